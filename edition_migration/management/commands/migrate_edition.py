"""Make draft revisions on ISO 9001:2015 from the effective 2008 versions."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from edition_migration import cli, pdf, services


class Command(BaseCommand):
    help = (
        "For each procedure whose effective version is on ISO 9001:2008, make a draft revision "
        "on 2015 (never effective: it goes through review and approval) with the clauses mapped, "
        "clause numbers in the text rewritten and 2008 terms flagged. Safe to run twice; "
        "--dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", dest="target", type=int, default=2015, choices=[2015])
        parser.add_argument("--code", action="append", dest="codes", metavar="CODE",
                            help="only these procedures (repeatable)")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", default="text", choices=["text", "json"])
        parser.add_argument("--report", metavar="FILE.pdf", help="write the report as PDF")
        cli.add_actor_argument(parser)

    def handle(self, *args, codes, dry_run, format, report, actor, **options):
        actor = cli.actor_from(actor)
        codes = [c for value in (codes or []) for c in value.split(",") if c.strip()]
        total = len(services.candidates_for(actor=actor, codes=codes))
        bar = cli.progress_bar(total, "Chuyển đổi", self.stderr._out)
        results = services.edition_migrate(
            actor=actor, codes=codes or None, dry_run=dry_run, progress=bar.update
        )
        bar.close()
        if report:
            Path(report).write_bytes(pdf.migration_report_pdf(
                [r.as_json() for r in results], dry_run=dry_run, actor=str(actor)))
        if format == "json":
            self.stdout.write(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
            return
        for r in results:
            if r.status == "failed":
                self.stdout.write(f"{r.code}: LỖI — {r.error}")
                continue
            target = r.to_revision if r.to_revision is not None else "-"
            self.stdout.write(
                f"{r.code}: {r.status} lần {r.from_revision} → {target}; "
                f"{', '.join(r.from_clauses)} → {', '.join(r.to_clauses)}; "
                f"{len(r.terms)} thuật ngữ; {len(r.needs_decision)} điểm cần quyết định"
            )
        counts = {s: sum(1 for r in results if r.status == s)
                  for s in ("created", "existing", "dry_run", "failed")}
        self.stdout.write(
            "{created} created, {existing} existing, {dry_run} dry run, {failed} failed.".format(**counts)
        )
