"""Electronic signatures: the password again, separation of duties, invalidation."""

import pytest

from procedures import services
from procedures.exceptions import ProcedureError
from procedures.models import ProcedureVersion, Signature, State
from procedures.selectors import signature_is_valid
from tests.factories import PASSWORD, draft, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(people):
    """Under review by officer2, to be approved by the approver (issue 10: named people)."""
    version = draft(author=people["officer"])
    return submit(version, reviewers=[people["officer2"]], approver=people["approver"])


@pytest.fixture
def reviewed(people, submitted):
    services.version_review(version=submitted, actor=people["officer2"], password=PASSWORD)
    return submitted


def test_approval_records_signer_time_meaning_and_hash(people, reviewed):
    submitted = reviewed
    signature = services.version_approve(version=submitted, actor=people["approver"], password=PASSWORD)
    submitted.refresh_from_db()
    assert signature.signer == people["approver"]
    assert signature.signer_name == people["approver"].get_full_name()
    assert signature.meaning == Signature.Meaning.APPROVED
    # Keyed (issue 11): an HMAC of the content hash, not the bare hash.
    assert signature.content_sha256 != submitted.content_sha256
    assert signature.content_sha256 == services.signature_hash(
        submitted, signer_id=people["approver"].pk, meaning="approved")
    assert submitted.approved_by == people["approver"]
    assert submitted.approved_at == signature.signed_at
    assert signature_is_valid(signature)


def test_wrong_password_signs_nothing(people, reviewed):
    submitted = reviewed
    with pytest.raises(ProcedureError) as excinfo:
        services.version_approve(version=submitted, actor=people["approver"], password="sai")
    assert excinfo.value.messages == ["Mật khẩu không đúng: chữ ký chưa được ghi nhận."]
    assert not Signature.objects.filter(meaning=Signature.Meaning.APPROVED).exists()
    assert ProcedureVersion.objects.get(pk=submitted.pk).state == State.IN_REVIEW


def test_author_cannot_approve_own_version(people, submitted):
    people["officer"].groups.add(*people["approver"].groups.all())
    with pytest.raises(ProcedureError) as excinfo:
        services.version_approve(version=submitted, actor=people["officer"], password=PASSWORD)
    assert excinfo.value.messages == ["Người soạn thảo không được tự phê duyệt phiên bản của mình."]


def test_author_cannot_review_own_version(people, submitted):
    with pytest.raises(ProcedureError) as excinfo:
        services.version_review(version=submitted, actor=people["officer"], password=PASSWORD)
    assert excinfo.value.messages == ["Người soạn thảo không được tự xem xét phiên bản của mình."]


def test_superuser_author_cannot_approve_own_version(people):
    version = draft(author=people["admin"], department=people["officer"].department)
    submit(version, reviewers=[people["officer2"]], approver=people["approver"])
    with pytest.raises(ProcedureError):
        services.version_approve(version=version, actor=people["admin"], password=PASSWORD)


def test_review_by_another_officer_keeps_the_state(people, submitted):
    signature = services.version_review(version=submitted, actor=people["officer2"], password=PASSWORD)
    submitted.refresh_from_db()
    assert signature.meaning == Signature.Meaning.REVIEWED
    assert submitted.state == State.IN_REVIEW
    assert submitted.reviewed_by == people["officer2"]


def test_review_signature_becomes_invalid_when_the_content_changes(people, submitted):
    signature = services.version_review(version=submitted, actor=people["officer2"], password=PASSWORD)
    services.version_return(version=submitted, actor=people["approver"], password=PASSWORD,
                           reason="Sửa bước 2")
    services.version_update(version=submitted, actor=people["officer"], body="Bước 2 đã sửa")
    signature.refresh_from_db()
    assert not signature_is_valid(signature)


def test_approval_signature_becomes_invalid_when_the_database_is_tampered_with(tamper_allowed, people, reviewed):
    submitted = reviewed
    signature = services.version_approve(version=submitted, actor=people["approver"], password=PASSWORD)
    # Around the model's guard, straight in the table.
    ProcedureVersion.objects.filter(pk=submitted.pk).update(body="giả mạo")
    signature = Signature.objects.select_related("version").get(pk=signature.pk)
    assert not signature_is_valid(signature)
