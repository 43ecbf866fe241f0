"""Import procedure files (.docx, .odt, .txt, .md) as effective versions."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from edition_migration import cli, services


class Command(BaseCommand):
    help = (
        "Import procedure files (.docx, .odt, .txt, .md) into the register as effective "
        "versions on the stated edition. Each file is reported; a refused file does not stop "
        "the batch. Exit status is non-zero only when every file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--edition", type=int, default=2008, choices=[2008, 2015])
        parser.add_argument("--department", metavar="CODE",
                            help="owning department of new procedures (OrgUnit code)")
        parser.add_argument("--format", default="text", choices=["text", "json"])
        cli.add_actor_argument(parser)

    def handle(self, *args, files, edition, department, format, actor, **options):
        actor = cli.actor_from(actor)
        unit = None
        if department:
            try:
                unit = services.department_get(department)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        bar = cli.progress_bar(len(files), "Nhập tệp", self.stderr._out)

        def read_all():
            for path in files:
                try:
                    content = Path(path).read_bytes()
                except OSError as error:
                    content = b""
                    self.stderr.write(f"{path}: {error.strerror}")
                yield Path(path).name, content

        results = services.procedures_import(
            actor=actor, files_in=read_all(), edition=edition, department=unit, progress=bar.update
        )
        bar.close()
        if format == "json":
            self.stdout.write(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
        else:
            for r in results:
                if r.status == "failed":
                    self.stdout.write(f"{r.name}: LỖI — {r.error}")
                else:
                    self.stdout.write(
                        f"{r.name}: {r.status} {r.code} lần {r.revision} — {r.title} "
                        f"[{', '.join(r.clause_refs)}]"
                    )
        if results and all(r.status == "failed" for r in results):
            raise CommandError("Every file failed.", returncode=1)
