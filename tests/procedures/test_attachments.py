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


# ---------------------------------------------------------------- issue 10, point 4

FORM_NAME = "Mẫu đơn.pdf"
OTHER = b"%PDF-1.4\n2 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def with_form(people):
    """An effective revision 1 with one attached form."""
    from tests.factories import approve, make_effective

    version = draft(author=people["officer"], code="QT-A-01")
    services.attachment_add(version=version, actor=people["officer"], name=FORM_NAME, content=PDF)
    return make_effective(approve(version, approver=people["approver"]), actor=people["officer"])


@pytest.mark.django_db
def test_a_new_revision_starts_with_the_attachments_of_its_base(people, with_form):
    original = with_form.attachments.get()
    revision = services.version_start_revision(procedure=with_form.procedure, actor=people["officer"])
    copy = revision.attachments.get()
    assert copy.pk != original.pk and copy.copied_from == original
    assert (copy.file.name, copy.sha256, copy.original_name) == (
        original.file.name, original.sha256, FORM_NAME)  # the same stored file
    assert revision.content_sha256 == services.content_hash(revision)
    assert copy.history.get().history_change_reason == "Mang theo từ lần ban hành 1"


@pytest.mark.django_db
def test_removing_an_attachment_keeps_it_marked_and_takes_it_out_of_the_content(people, with_form):
    from procedures.models import Attachment

    revision = services.version_start_revision(procedure=with_form.procedure, actor=people["officer"])
    copy = revision.attachments.get()
    services.attachment_remove(attachment=copy, actor=people["officer2"], reason="Bỏ mẫu cũ")
    copy.refresh_from_db()
    assert copy.removed_by == people["officer2"] and copy.removal_reason == "Bỏ mẫu cũ"
    assert copy.removed_at is not None
    revision = ProcedureVersion.objects.get(pk=revision.pk)
    assert revision.current_attachments == [] and revision.removed_attachments == [copy]
    assert revision.content_sha256 == services.content_hash(revision)
    assert Attachment.objects.filter(pk=copy.pk).exists()  # never deleted
    assert with_form.attachments.get().removed_at is None  # the earlier revision untouched
    last = copy.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason) == (people["officer2"], "Gỡ tệp khỏi dự thảo")
    with pytest.raises(ProcedureError) as excinfo:
        services.attachment_remove(attachment=copy, actor=people["officer"])
    assert excinfo.value.messages == [f"Tệp “{FORM_NAME}” đã được gỡ khỏi dự thảo."]


@pytest.mark.django_db
def test_the_content_hash_ignores_removed_attachments(people):
    version = draft(author=people["officer"])
    before = ProcedureVersion.objects.get(pk=version.pk).content_sha256
    attachment = services.attachment_add(version=version, actor=people["officer"], name="a.pdf",
                                         content=PDF)
    assert ProcedureVersion.objects.get(pk=version.pk).content_sha256 != before
    services.attachment_remove(attachment=attachment, actor=people["officer"])
    assert ProcedureVersion.objects.get(pk=version.pk).content_sha256 == before


@pytest.mark.django_db
def test_replacing_an_attachment_records_both(people, with_form):
    revision = services.version_start_revision(procedure=with_form.procedure, actor=people["officer"])
    old = revision.attachments.get()
    new = services.attachment_replace(attachment=old, actor=people["officer"], name="Mẫu đơn 2025.pdf",
                                      content=OTHER)
    old.refresh_from_db()
    assert new.replaces == old and new.version_id == revision.pk
    assert old.removed_at is not None and old.removal_reason == "Thay bằng “Mẫu đơn 2025.pdf”"
    revision = ProcedureVersion.objects.get(pk=revision.pk)
    assert [a.original_name for a in revision.current_attachments] == ["Mẫu đơn 2025.pdf"]


@pytest.mark.django_db
def test_a_refused_replacement_changes_nothing(people, with_form):
    revision = services.version_start_revision(procedure=with_form.procedure, actor=people["officer"])
    old = revision.attachments.get()
    with pytest.raises(UploadError):
        services.attachment_replace(attachment=old, actor=people["officer"], name="x.pdf", content=b"no")
    old.refresh_from_db()
    assert old.removed_at is None and revision.attachments.count() == 1


@pytest.mark.django_db
def test_attachments_leave_only_a_draft_and_only_by_its_authors(people, with_form):
    revision = services.version_start_revision(procedure=with_form.procedure, actor=people["officer"])
    copy = revision.attachments.get()
    with pytest.raises(ProcedureError) as excinfo:
        services.attachment_remove(attachment=copy, actor=people["approver"])
    assert excinfo.value.messages == ["Bạn không có quyền thực hiện thao tác này."]
    with pytest.raises(ProcedureError) as excinfo:
        services.attachment_remove(attachment=with_form.attachments.get(), actor=people["officer"])
    assert excinfo.value.messages == ["Chỉ gỡ được tệp của phiên bản ở trạng thái dự thảo."]


@pytest.mark.django_db
def test_a_draft_whose_only_attachment_was_removed_is_empty(people):
    from tests.factories import submit

    version = draft(author=people["officer"], body="")
    attachment = services.attachment_add(version=version, actor=people["officer"], name="a.pdf",
                                         content=PDF)
    services.attachment_remove(attachment=attachment, actor=people["officer"])
    with pytest.raises(ProcedureError) as excinfo:
        submit(version, approver=people["approver"])
    assert excinfo.value.messages == ["Dự thảo chưa có nội dung hoặc tệp đính kèm nên chưa thể trình."]


@pytest.mark.django_db
def test_remove_and_replace_through_the_editor(client, people, with_form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    revision = services.version_start_revision(procedure=with_form.procedure, actor=people["officer"])
    copy = revision.attachments.get()
    client.force_login(people["officer"])
    base = "/procedures/QT-A-01/versions/2/attachments/"
    page = client.get("/procedures/QT-A-01/versions/2/edit/").content.decode()
    assert f"{base}{copy.pk}/remove/" in page and "mang theo từ lần ban hành trước" in page
    response = client.post(f"{base}{copy.pk}/replace/",
                           {"file": SimpleUploadedFile("Mẫu mới.pdf", OTHER)}, follow=True)
    assert "Đã thay tệp “Mẫu đơn.pdf” bằng “Mẫu mới.pdf”." in response.content.decode()
    new = revision.attachments.get(removed_at__isnull=True)
    response = client.post(f"{base}{new.pk}/remove/", {"reason": "Không dùng nữa"}, follow=True)
    html = response.content.decode()
    assert "Đã gỡ tệp “Mẫu mới.pdf” khỏi dự thảo." in html
    assert "Tệp đã gỡ khỏi dự thảo" in html and "Không dùng nữa" in html
    response = client.post(f"{base}{new.pk}/remove/", {}, follow=True)
    assert "Tệp “Mẫu mới.pdf” đã được gỡ khỏi dự thảo." in response.content.decode()


@pytest.mark.django_db
def test_a_file_removed_from_the_draft_is_not_served_to_readers_of_the_effective_text(
        client, people, with_form):
    from tests.factories import approve, make_effective

    revision = services.version_start_revision(procedure=with_form.procedure, actor=people["officer"])
    copy = revision.attachments.get()
    services.attachment_remove(attachment=copy, actor=people["officer"])
    services.attachment_add(version=revision, actor=people["officer"], name="Mẫu mới.pdf", content=OTHER)
    make_effective(approve(revision, approver=people["approver"]), actor=people["officer"])
    url = f"/procedures/QT-A-01/versions/2/attachments/{copy.pk}/"
    client.force_login(people["staff"])
    assert client.get(url).status_code == 404
    page = client.get("/procedures/QT-A-01/").content.decode()
    assert "Mẫu mới.pdf" in page and FORM_NAME not in page
    client.force_login(people["officer"])
    assert client.get(url).status_code == 200  # the officers keep the record


# ---------------------------------------------------------------- issue 11, point 10

def test_a_download_checks_the_stored_file_against_its_sha256(client, people, with_form, settings):
    attachment = with_form.attachments.get()
    url = f"/procedures/QT-A-01/versions/1/attachments/{attachment.pk}/"
    client.force_login(people["staff"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    # Someone changes the bytes on disk behind the application's back.
    with open(default_storage.path(attachment.file.name), "wb") as handle:
        handle.write(PDF.replace(b"1 0 obj", b"9 0 obj"))
    refused = client.get(url)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Tệp lưu trữ đã bị thay đổi" in page and FORM_NAME in page
    assert "9 0 obj" not in page
