"""Uploads are recognised by their content and limited in size."""

import io
import zipfile

import pytest

from qms.files import UploadError, check_upload

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
