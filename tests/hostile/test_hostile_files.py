"""66 hostile files (tests/hostile/corpus.py) through the upload pages and the import
command: none gives a server error or a traceback, and a refusal changes nothing
(no procedure, no version, no attachment, no stored file)."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from procedures.models import Attachment, Procedure, ProcedureVersion
from tests import factories

from .corpus import cases

CASES = list(cases())
IDS = [name.replace("\n", "\\n")[:40] for name, _content, _family in CASES]

pytestmark = pytest.mark.django_db


def test_the_corpus_has_at_least_50_files_of_every_family():
    families = {family for _name, _content, family in CASES}
    assert len(CASES) >= 50
    assert families == {"bomb", "nested", "mismatch", "encoding", "huge", "control", "name"}


def _state(media_root):
    files = sorted(str(p) for p in Path(media_root).rglob("*") if p.is_file())
    return (Procedure.objects.count(), ProcedureVersion.objects.count(),
            Attachment.objects.count(), files)


@pytest.mark.parametrize("name, content, family", CASES, ids=IDS)
def test_import_command_never_gives_a_traceback(people, media_root, tmp_path, name, content, family):
    path = tmp_path / name.replace("/", "_")
    path.write_bytes(content)
    before = _state(media_root)
    out = io.StringIO()
    try:
        call_command("import_procedures", str(path), "--department", "tnmt", "--actor", "admin",
                     "--edition", "2008", stdout=out, stderr=io.StringIO())
    except CommandError as error:
        assert str(error) == "Mọi tệp đều không nhập được."
        assert "LỖI" in out.getvalue()
        assert _state(media_root) == before  # a refusal changes nothing
        return
    code = Procedure.objects.get().code  # imported: its code fits a URL
    assert Procedure.objects.filter(code=code).exists()
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", code)


@pytest.mark.parametrize("name, content, family", CASES, ids=IDS)
def test_import_page_never_gives_a_server_error(client, people, media_root, name, content, family,
                                                django_capture_on_commit_callbacks):
    client.force_login(people["admin"])
    before = _state(media_root)
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    # The import runs as a job once the request commits; its page shows each file's outcome.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("edition_migration:import"), {
            "files": [upload], "edition": 2008, "department": people["officer"].department_id})
    if response.status_code == 200:  # refused by the form itself, with its message
        assert response.context["form"].errors
    else:
        assert response.status_code == 302
        job = client.get(response["Location"])
        assert job.status_code == 200
        assert "job-succeeded" in job.content.decode()  # refused files are listed, the job ends
    if not Procedure.objects.exists():
        assert _state(media_root) == before
    else:
        code = Procedure.objects.get().code
        assert client.get(reverse("procedures:register")).status_code == 200
        assert client.get(reverse("procedures:detail", kwargs={"code": code})).status_code in (200, 302)


@pytest.mark.parametrize("name, content, family", CASES, ids=IDS)
def test_attachment_upload_never_gives_a_server_error(client, people, media_root, name, content, family):
    version = factories.draft(author=people["officer"], code="QT-DINH-KEM")
    client.force_login(people["officer"])
    before = _state(media_root)
    url = reverse("procedures:attachment_upload", kwargs={"code": "QT-DINH-KEM", "revision": 1})
    response = client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
    assert response.status_code == 200
    if not version.attachments.exists():
        assert _state(media_root) == before
