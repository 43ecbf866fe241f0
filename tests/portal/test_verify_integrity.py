"""Issue 11, point 10: verify_integrity reports what does not match, exit status 1."""

import functools
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from procedures import services
from procedures.models import Attachment, ProcedureVersion
from tests.commands import run as run_command
from tests.factories import PASSWORD, draft, effective, submit

pytestmark = pytest.mark.django_db


# (exit status, stdout, stderr) of verify_integrity
run = functools.partial(run_command, "verify_integrity")


def test_a_clean_installation_passes_and_a_tampered_one_fails(people, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    effective(author=people["officer"], approver=people["approver"], code="QT-I-01")
    version = submit(draft(author=people["officer"], code="QT-I-02"),
                     reviewers=[people["officer2"]], approver=people["approver"])
    name = default_storage.save("attachments/t.txt", ContentFile(b"noi dung"))
    Attachment.objects.create(version=version, original_name="t.txt",
                              sha256=hashlib.sha256(b"noi dung").hexdigest(), size=8,
                              content_type="text/plain", uploaded_by=people["officer"], file=name)
    version = ProcedureVersion.objects.get(pk=version.pk)
    ProcedureVersion.objects.filter(pk=version.pk).update(
        content_sha256=services.content_hash(version))
    services.version_review(version=version, actor=people["officer2"], password=PASSWORD)
    code, out, err = run()
    assert code == 0, err
    assert "integrity OK" in out
    # The stored file altered on disk.
    (tmp_path / name).write_bytes(b"noi dung khac")
    code, out, err = run()
    assert code == 1 and "file attachments/t.txt has SHA-256" in err
    (tmp_path / name).write_bytes(b"noi dung")
    # A body swapped in after review (not frozen yet, so the database lets it through).
    ProcedureVersion.objects.filter(pk=version.pk).update(body="Bản bị tráo")
    code, out, err = run()
    assert code == 1 and "QT-I-02 rev. 1, reviewed): does not match" in err
