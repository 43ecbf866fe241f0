"""Check the controlled records against what vouches for them (issue 11, point 10):
every history chain (each row's keyed hash and its link to the previous row of the
same object, qms/history_check.py), every electronic signature of a version (its
keyed hash), every audit report signature (its keyed seal, and the signed PDF's SHA-256), and every
stored file (its SHA-256).

Prints each mismatch and exits with status 1 if there is any; 0 and a summary
otherwise. Usage: python manage.py verify_integrity
"""

import hashlib
import sys

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from audits.models import AuditSignature
from procedures.models import ProcedureVersion
from procedures.selectors import signatures_checked
from qms.history_check import ChainReport, problem_message


def _file_sha256(name: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return digest.hexdigest()


def _stored_file_models():
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if {"file", "sha256"} <= names and not model.__name__.startswith("Historical"):
            yield model


class Command(BaseCommand):
    help = ("Kiểm tra chuỗi lịch sử, chữ ký điện tử và mã SHA-256 của mọi tệp lưu trữ; "
            "mã thoát 1 nếu có sai lệch.")

    def handle(self, **options):
        problems, counts = [], {"signatures": 0, "files": 0}
        chains, broken = ChainReport(), 0
        for problem in chains:
            # Written as found: a tampered database may report many rows.
            self.stderr.write(problem_message(*problem))
            broken += 1
        self.stdout.write(_("Đã kiểm tra %(rows)d dòng lịch sử trong %(chains)d chuỗi của "
                            "%(tables)d bảng lịch sử.") % chains.counts)
        versions = ProcedureVersion.objects.select_related("procedure", "edition").prefetch_related(
            "signatures", "clauses", "distribution", "attachments")
        for version in versions.filter(signatures__isnull=False).distinct().iterator(chunk_size=200):
            for signature, holds in signatures_checked(version=version):
                counts["signatures"] += 1
                if not holds:
                    problems.append(f"signature {signature.pk} ({version.procedure.code} rev. {version.revision}, {signature.meaning}): does not match the content")
        for signature in AuditSignature.objects.select_related("report"):
            counts["signatures"] += 1
            if not signature.seal_holds():
                problems.append(f"audit report signature {signature.pk}: its seal or the report's SHA-256 does not match")
        for model in _stored_file_models():
            for row in model.objects.exclude(file="").iterator(chunk_size=500):
                counts["files"] += 1
                actual = _file_sha256(row.file.name)
                if actual is None:
                    problems.append(f"{model._meta.label} {row.pk}: file {row.file.name} is missing")
                elif actual != row.sha256:
                    problems.append(f"{model._meta.label} {row.pk}: file {row.file.name} has SHA-256 {actual}, expected {row.sha256}")
        for line in problems:
            self.stderr.write(line)
        self.stdout.write("checked {signatures} signatures and {files} files".format(**counts))
        if problems or broken:
            self.stderr.write(f"{len(problems) + broken} mismatch(es)")
            sys.exit(1)
        self.stdout.write("integrity OK")
