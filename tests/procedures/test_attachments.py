"""Attaching files to a draft: stored by hash, refused files save nothing."""

import pytest
from django.core.files.storage import default_storage

from procedures import services
from procedures.exceptions import ProcedureError
from procedures.models import ProcedureVersion
from qms.files import UploadError
from tests.factories import draft, submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
    submit(version, approver=people["approver"])
    with pytest.raises(ProcedureError) as excinfo:
        services.attachment_add(version=version, actor=people["officer"], name="x.pdf", content=PDF)
    assert excinfo.value.messages == ["Chỉ đính kèm tệp vào phiên bản ở trạng thái dự thảo."]
