"""Archives are read with limits; uploads are measured while they stream; the import
command reads regular files only, up to the limit."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from procedures.models import Attachment, Procedure
from qms import files
from qms.uploads import LimitedUploadHandler, RefusedUpload
from tests import factories

MB = 1024 * 1024


def docx_with(part: bytes, *, name="word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(name, part)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory_before_expansion():
    bomb = docx_with(b"\0" * (8 * MB))  # 8 MB of zeros compress to ~8 KB: ratio ~1000
    assert len(bomb) < 100_000
    with pytest.raises(files.UploadError) as caught:
        files.check_upload("bom.docx", bomb)
    assert caught.value.code == "archive"
    assert "bom.docx" in caught.value.messages[0]
    assert "giải nén quá lớn" in caught.value.messages[0]


def test_past_the_absolute_size_is_refused(settings):
    settings.QMS_ARCHIVE_MAX_BYTES = MB
    content = docx_with(os.urandom(MB + 10))  # random bytes: ratio 1, size past 1 MB
    with pytest.raises(files.UploadError) as caught:
        files.check_upload("lon.docx", content)
    assert caught.value.code == "archive"


def test_many_members_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        for n in range(files.ARCHIVE_MAX_MEMBERS + 1):
            archive.writestr("p/" + str(n), "")
    with pytest.raises(files.UploadError):
        files.check_upload("nhieu.docx", buffer.getvalue())


def test_an_ordinary_docx_passes():
    assert files.check_upload("qt.docx", docx_with(b"<w:document>" + b"x" * 2000 + b"</w:document>")) == "docx"


def test_the_upload_handler_stops_keeping_bytes_past_the_limit(settings):
    settings.QMS_UPLOAD_MAX_BYTES = 100
    handler = LimitedUploadHandler()
    handler.new_file("file", "big.pdf", "application/pdf", 1000)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    assert handler.receive_data_chunk(b"x" * 60, 60) is None  # not passed on
    assert handler.receive_data_chunk(b"x" * 60, 120) is None
    refused = handler.file_complete(180)
    assert isinstance(refused, RefusedUpload)
    assert refused.size == 180 and refused.read() == b""
    files_ok = LimitedUploadHandler()
    files_ok.new_file("file", "small.pdf", "application/pdf", 10)
    files_ok.receive_data_chunk(b"x" * 10, 0)
    assert files_ok.file_complete(10) is None  # the next handler keeps it


def test_an_upload_past_the_limit_is_refused_by_the_form_and_saves_nothing(client, people, settings):
    settings.QMS_UPLOAD_MAX_BYTES = MB
    version = factories.draft(author=people["officer"])
    client.force_login(people["officer"])
    url = reverse("procedures:attachment_upload",
                  kwargs={"code": version.procedure.code, "revision": 1})
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (2 * MB), "application/pdf")
    response = client.post(url, {"file": big}, follow=True)
    assert response.status_code == 200
    assert "Tệp “lon.pdf” lớn hơn giới hạn 1 MB." in response.content.decode()
    assert not Attachment.objects.exists()


def _import(*paths):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_procedures", *map(str, paths), "--department", "tnmt",
                     "--actor", "officer", stdout=out, stderr=io.StringIO())
    assert str(caught.value) == "Mọi tệp đều không nhập được."
    return out.getvalue()


def test_import_refuses_devices_fifos_and_folders_without_reading_them(people, tmp_path):
    fifo = tmp_path / "ong.md"
    os.mkfifo(fifo)  # opening it for reading would block forever without O_NONBLOCK
    out = _import("/dev/zero", fifo, tmp_path)
    assert out.count("không phải tệp thông thường") == 3
    assert not Procedure.objects.exists()


def test_import_refuses_a_file_past_the_limit(people, tmp_path, settings):
    settings.QMS_UPLOAD_MAX_BYTES = MB
    path = tmp_path / "qt-lon.md"
    path.write_bytes(b"# QT\n" + b"a" * (2 * MB))
    out = _import(path)
    assert "lớn hơn giới hạn 1 MB" in out
    assert not Procedure.objects.exists()
