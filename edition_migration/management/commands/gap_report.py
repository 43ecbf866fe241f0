"""The 2015 requirements that the procedures cover, and those they do not."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from edition_migration import pdf, selectors


class Command(BaseCommand):
    help = (
        "List each clause of the edition with the effective or draft procedures that cover it, "
        "the uncovered clauses, and the documented information the 2015 edition requires "
        "(present or missing). JSON: {\"uncovered\": [...], \"covered\": {number: [codes]}, ...}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", type=int, default=2015, choices=[2008, 2015])
        parser.add_argument("--format", default="text", choices=["text", "json"])
        parser.add_argument("--output", metavar="FILE.pdf", help="write the report as PDF")

    def handle(self, *args, edition, format, output, **options):
        report = selectors.gap_report(edition=edition)
        if output:
            Path(output).write_bytes(pdf.gap_report_pdf(report))
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        for clause in report.clauses:
            codes = ", ".join(clause["codes"]) or "CHƯA CÓ"
            self.stdout.write(f"{clause['number']:<9} {clause['title_vi']}: {codes}")
        for item in report.documented:
            mark = "có" if item["present"] else "THIẾU"
            self.stdout.write(f"[{mark}] {item['clause']} {item['title_vi']}")
        self.stdout.write(
            f"{len(report.covered)} covered, {len(report.uncovered)} uncovered clauses; "
            f"{sum(1 for d in report.documented if not d['present'])} documented information missing."
        )
