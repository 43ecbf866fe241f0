"""Issue 11, points 7–9: a signature binds the content shown, the title is controlled
content, and the stored hash is keyed."""

import io

import pypdf
import pytest
from django.test import override_settings

from procedures import selectors, services
from procedures.exceptions import ProcedureError
from procedures.models import ProcedureVersion, Signature, State
from tests.factories import PASSWORD, approve, draft, effective, submit

pytestmark = pytest.mark.django_db

STALE = ("Nội dung phiên bản đã thay đổi sau khi bạn mở trang: chữ ký chưa được ghi "
         "nhận. Hãy tải lại trang, đọc lại nội dung rồi ký.")


@pytest.fixture
def submitted(people):
    version = draft(author=people["officer"], code="QT-K-01", body="Bản gốc")
    return submit(version, reviewers=[people["officer2"]], approver=people["approver"])


def _swap_body(version, body):
    # A body swapped in after the page was opened (in review, so no trigger refuses it).
    ProcedureVersion.objects.filter(pk=version.pk).update(body=body)


def test_a_stale_review_form_is_refused_and_records_nothing(people, submitted):
    shown = services.content_hash(submitted)
    _swap_body(submitted, "Bản bị tráo")
    with pytest.raises(ProcedureError) as excinfo:
        services.version_review(version=submitted, actor=people["officer2"], password=PASSWORD,
                                shown_sha256=shown)
    assert excinfo.value.messages == [STALE]
    assert not Signature.objects.exists()
    services.version_review(version=submitted, actor=people["officer2"], password=PASSWORD,
                            shown_sha256=services.content_hash(
                                ProcedureVersion.objects.get(pk=submitted.pk)))
    assert Signature.objects.count() == 1


def test_a_stale_approval_form_on_screen_is_refused(client, people, submitted):
    services.version_review(version=submitted, actor=people["officer2"], password=PASSWORD)
    client.force_login(people["approver"])
    url = "/procedures/QT-K-01/versions/1/"
    page = client.get(url)
    shown = page.context["shown_sha256"]
    assert f'name="content_sha256" value="{shown}"' in page.content.decode()
    _swap_body(submitted, "Bản bị tráo")
    response = client.post(url + "approve/", {"password": PASSWORD, "content_sha256": shown},
                           follow=True)
    assert response.status_code == 200
    assert STALE in [str(m) for m in response.context["messages"]]
    assert ProcedureVersion.objects.get(pk=submitted.pk).state == State.IN_REVIEW
    assert not Signature.objects.filter(meaning="approved").exists()
    # A form without the hash is refused too, with a message.
    response = client.post(url + "approve/", {"password": PASSWORD}, follow=True)
    assert "Thiếu mã băm của nội dung: hãy tải lại trang rồi ký." in [
        str(m) for m in response.context["messages"]]
    assert not Signature.objects.filter(meaning="approved").exists()


def test_the_stale_return_form_is_refused(people, submitted):
    shown = services.content_hash(submitted)
    _swap_body(submitted, "Bản bị tráo")
    with pytest.raises(ProcedureError):
        services.version_return(version=submitted, actor=people["officer2"], password=PASSWORD,
                                reason="Thiếu", shown_sha256=shown)
    assert ProcedureVersion.objects.get(pk=submitted.pk).state == State.IN_REVIEW


def test_rewriting_the_stored_hash_does_not_make_a_changed_text_valid(tamper_allowed, people, submitted):
    signature = services.version_review(version=submitted, actor=people["officer2"],
                                        password=PASSWORD)
    assert selectors.signature_is_valid(signature)
    _swap_body(submitted, "Bản bị tráo")
    changed = ProcedureVersion.objects.get(pk=submitted.pk)
    # Whoever writes to the database without the key can only store an unkeyed hash.
    Signature.objects.filter(pk=signature.pk).update(content_sha256=services.content_hash(changed))
    assert not selectors.signature_is_valid(Signature.objects.get(pk=signature.pk))
    # Another key: the signatures made with the first one do not hold.
    ProcedureVersion.objects.filter(pk=submitted.pk).update(body="Bản gốc")
    assert selectors.signature_is_valid(signature)
    with override_settings(QMS_SIGNATURE_KEY="another-key"):
        assert not selectors.signature_is_valid(signature)


def test_a_draft_rename_leaves_the_effective_title_and_its_copy_alone(tamper_allowed, client, people):
    first = effective(author=people["officer"], approver=people["approver"], code="QT-K-02",
                      title="Quy trình tiếp nhận hồ sơ")
    draft2 = services.version_start_revision(procedure=first.procedure, actor=people["officer"])
    services.version_update(version=draft2, actor=people["officer"], title="Tên mới dự thảo",
                            body="Nội dung mới")
    client.force_login(people["staff"])
    html = client.get("/procedures/QT-K-02/").content.decode()
    assert "Quy trình tiếp nhận hồ sơ" in html and "Tên mới dự thảo" not in html
    pdf = client.get("/procedures/QT-K-02/pdf/")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(b"".join(
        pdf.streaming_content) if pdf.streaming else pdf.content)).pages)
    assert "Quy trình tiếp nhận hồ sơ" in text and "Tên mới dự thảo" not in text
    # The title is signed: a changed title on a signed revision breaks its signatures.
    approved = approve(draft2, approver=people["approver"])
    signatures = selectors.signatures_checked(version=approved)
    assert signatures and all(holds for _, holds in signatures)
    ProcedureVersion.objects.filter(pk=approved.pk).update(title="Tên bị tráo")
    changed = ProcedureVersion.objects.get(pk=approved.pk)
    assert not any(holds for _, holds in selectors.signatures_checked(version=changed))


def test_the_new_title_takes_effect_with_its_revision(people):
    from tests.factories import make_effective
    first = effective(author=people["officer"], approver=people["approver"], code="QT-K-03",
                      title="Tên cũ")
    draft2 = services.version_start_revision(procedure=first.procedure, actor=people["officer"])
    services.version_update(version=draft2, actor=people["officer"], title="Tên mới")
    assert ProcedureVersion.objects.get(pk=first.pk).title == "Tên cũ"
    make_effective(approve(draft2, approver=people["approver"]), actor=people["officer"])
    first.procedure.refresh_from_db()
    assert first.procedure.title == "Tên mới"
    assert ProcedureVersion.objects.get(pk=first.pk).title == "Tên cũ"


def test_staff_page_and_controlled_copy_show_signature_validity(tamper_allowed, client, people):
    version = effective(author=people["officer"], approver=people["approver"], code="QT-K-04")
    client.force_login(people["staff"])
    html = client.get("/procedures/QT-K-04/").content.decode()
    assert html.count("Khớp nội dung") == version.signatures.exclude(meaning="returned").count()
    Signature.objects.filter(version=version, meaning="approved").update(content_sha256="0" * 64)
    html = client.get("/procedures/QT-K-04/").content.decode()
    assert "Nội dung đã thay đổi sau khi ký" in html
    pdf = client.get("/procedures/QT-K-04/pdf/")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(b"".join(
        pdf.streaming_content) if pdf.streaming else pdf.content)).pages)
    text = " ".join(text.split())  # table cells wrap
    assert "Khớp nội dung" in text and "Nội dung đã thay đổi sau khi ký" in text
