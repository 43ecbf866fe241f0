"""Import legacy procedure files (.docx, .odt, .txt, .md) into the register."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edition_migration import cli, services


class Command(BaseCommand):
    help = gettext_lazy(
        "Nhập tệp quy trình của hệ thống cũ (.docx, .odt, .txt, .md). Tài liệu chưa có trong sổ "
        "đăng ký được nhập với lần ban hành và ngày hiệu lực ghi trong tệp, đánh dấu “nhập từ hệ "
        "thống cũ”. Mã số đã có bị từ chối, hoặc với --as-draft trở thành dự thảo lần ban hành "
        "mới. Mỗi tệp được báo cáo; lỗi một tệp không dừng cả lô. Mã thoát khác 0 chỉ khi mọi "
        "tệp đều lỗi."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--edition", type=int, default=2008, choices=[2008, 2015])
        parser.add_argument("--department", metavar="CODE",
                            help=gettext_lazy("đơn vị chủ trì của tài liệu mới (mã đơn vị)"))
        parser.add_argument("--as-draft", action="store_true", dest="as_draft",
                            help=gettext_lazy("tài liệu đã có: nhập thành dự thảo lần ban hành mới"))
        parser.add_argument("--format", default="text", choices=["text", "json"])
        cli.add_actor_argument(parser)

    def handle(self, *args, files, edition, department, as_draft, format, actor, **options):
        actor = cli.actor_from(actor)
        unit = None
        if department:
            try:
                unit = services.department_get(department)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        bar = cli.progress_bar(len(files), _("Nhập tệp"), self.stderr._out)

        refused = []

        def read_all():
            for path in files:
                try:
                    content = cli.read_regular_file(path, limit=settings.QMS_UPLOAD_MAX_BYTES)
                except ValueError as error:
                    refused.append(services.ImportResult(
                        name=Path(path).name or path, status="failed",
                        error=_("Tệp “%(name)s”: %(reason)s") % {"name": path, "reason": error}))
                    bar.update()
                    continue
                yield Path(path).name, content

        results = services.procedures_import(
            actor=actor, files_in=read_all(), edition=edition, department=unit,
            as_draft=as_draft, progress=bar.update,
        )
        results = refused + results
        bar.close()
        if format == "json":
            self.stdout.write(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
        else:
            self._print(results)
        if results and all(r.status == "failed" for r in results):
            raise CommandError(_("Mọi tệp đều không nhập được."), returncode=1)

    def _print(self, results):
        labels = {"created": _("nhập từ hệ thống cũ"), "draft": _("dự thảo lần ban hành mới"),
                  "unchanged": _("không thay đổi (tệp đã được nhập)")}
        for r in results:
            if r.status == "failed":
                self.stdout.write(_("%(file)s: LỖI — %(error)s") % {"file": r.name, "error": r.error})
                continue
            self.stdout.write(_("%(file)s: %(status)s %(code)s lần ban hành %(rev)s, hiệu lực từ "
                                "%(date)s — %(title)s [%(refs)s]") % {
                "file": r.name, "status": labels[r.status], "code": r.code, "rev": r.revision,
                "date": cli.day(r.effective_from), "title": r.title, "refs": ", ".join(r.clause_refs)})
            for note in r.notes:
                self.stdout.write("    " + note)
        counts = {s: sum(1 for r in results if r.status == s)
                  for s in ("created", "draft", "unchanged", "failed")}
        self.stdout.write(_("%(created)s tài liệu được nhập, %(draft)s dự thảo, %(unchanged)s tệp "
                            "không thay đổi, %(failed)s tệp lỗi.") % counts)
