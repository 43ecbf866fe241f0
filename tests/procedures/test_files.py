"""Uploads are recognised by their content, limited in size, stored by hash."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from procedures import services
from procedures.exceptions import ProcedureError
from procedures.files import UploadError, check_upload
from procedures.models import ProcedureVersion
from tests.factories import draft

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("quy-trinh.pdf", PDF, "pdf"),
        ("Quy trình.DOCX", docx_bytes(), "docx"),
        ("bieu-mau.odt", odt_bytes(), "odt"),
        ("ghi-chu.txt", "Nội dung tiếng Việt".encode(), "txt"),
        ("ghi-chu.md", "# Tiêu đề".encode("utf-16"), "md"),
        ("cu.txt", b"\xd0i\xea\xccu kho\xe1n 4.2.3", "txt"),  # "Điều khoản" in cp1258
    ],
)
def test_accepted_kinds(name, content, kind):
    assert check_upload(name, content) == kind


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("virus.exe", b"MZ\x90\x00", "Tệp “virus.exe” không thuộc loại được phép (PDF, DOCX, ODT, TXT, MD)."),
        ("gia.pdf", b"<html>not a pdf</html>", "Nội dung tệp “gia.pdf” không đúng với loại PDF."),
        ("gia.docx", PDF, "Nội dung tệp “gia.docx” không đúng với loại DOCX."),
        ("nhi-phan.txt", b"\x00\x01\x02\x03binary\x00", "Nội dung tệp “nhi-phan.txt” không đúng với loại TXT."),
        ("rong.txt", b"", "Tệp “rong.txt” rỗng."),
        ("khong-duoi", b"abc", "Tệp “khong-duoi” không thuộc loại được phép (PDF, DOCX, ODT, TXT, MD)."),
    ],
)
def test_refused_files_name_the_file_and_reason(name, content, message):
    with pytest.raises(UploadError) as excinfo:
        check_upload(name, content)
    assert excinfo.value.messages == [message]


def test_size_limit_is_configurable(settings):
    settings.QMS_UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(UploadError) as excinfo:
        check_upload("lon.txt", b"a" * (1024 * 1024 + 1))
    assert excinfo.value.messages == ["Tệp “lon.txt” lớn hơn giới hạn 1 MB."]


@pytest.mark.django_db
def test_attachment_is_stored_under_its_hash_and_changes_the_content_hash(people):
    version = draft(author=people["officer"])
    before = version.content_sha256
    attachment = services.attachment_add(
        version=version, actor=people["officer"], name="../../etc/passwd.pdf", content=PDF
    )
    assert attachment.file.name == f"attachments/{attachment.sha256[:2]}/{attachment.sha256}.pdf"
    assert default_storage.open(attachment.file.name).read() == PDF
    assert attachment.original_name == "../../etc/passwd.pdf"
    assert ProcedureVersion.objects.get(pk=version.pk).content_sha256 != before


@pytest.mark.django_db
def test_refused_attachment_saves_nothing(people):
    version = draft(author=people["officer"])
    with pytest.raises(UploadError):
        services.attachment_add(version=version, actor=people["officer"], name="x.pdf", content=b"no")
    assert not version.attachments.exists()


@pytest.mark.django_db
def test_no_attachment_on_a_submitted_version(people):
    version = draft(author=people["officer"])
    services.version_submit(version=version, actor=people["officer"])
    with pytest.raises(ProcedureError) as excinfo:
        services.attachment_add(version=version, actor=people["officer"], name="x.pdf", content=PDF)
    assert excinfo.value.messages == ["Chỉ đính kèm tệp vào phiên bản ở trạng thái dự thảo."]
