"""Routing a draft (issue 10, points 1 and 2): named reviewers and approver, parallel
review, approval after every review, return with reason and password, recall."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from procedures import permissions, services
from procedures.exceptions import ProcedureError
from procedures.models import ProcedureVersion, ReviewAssignment, Signature, State
from qms import services as qms_services
from tests.factories import PASSWORD, draft, submit

pytestmark = pytest.mark.django_db


def name(user):
    return user.get_full_name()


def statuses(version):
    version = ProcedureVersion.objects.get(pk=version.pk)
    return {
        (a.person.username, a.role): a.status
        for a in version.assignments.filter(round=version.submission_round).select_related("person")
    }


def refused(call, message):
    with pytest.raises(ProcedureError) as excinfo:
        call()
    assert excinfo.value.messages == [message]


@pytest.fixture
def two_reviewers(people, head):
    """Under review by officer2 and the head of A in parallel, then the approver."""
    version = draft(author=people["officer"], code="QT-R-01")
    return submit(version, reviewers=[people["officer2"], head], approver=people["approver"])


# ---------------------------------------------------------------- submitting


def test_submit_names_reviewers_and_approver_in_round_1(people, two_reviewers):
    version = two_reviewers
    assert (version.state, version.submission_round) == (State.IN_REVIEW, 1)
    assert statuses(version) == {
        ("officer2", "reviewer"): "pending",
        ("head_a", "reviewer"): "pending",
        ("approver", "approver"): "pending",
    }
    rows = ReviewAssignment.history.filter(version_id=version.pk)
    assert {(r.history_user.username, r.history_change_reason) for r in rows} == {
        ("officer", "Trình xem xét, phê duyệt")
    }
    assert rows.count() == 3


def test_an_officer_with_author_permission_submits_for_the_author(people):
    version = draft(author=people["officer"])
    services.version_submit(version=version, actor=people["officer2"],
                            reviewers=[people["officer2"]], approver=people["approver"])
    assert statuses(version) == {("officer2", "reviewer"): "pending",
                                 ("approver", "approver"): "pending"}


def test_a_reviewer_named_twice_is_named_once(people):
    version = submit(draft(author=people["officer"]), approver=people["approver"],
                     reviewers=[people["officer2"], people["officer2"]])
    assert version.assignments.filter(role="reviewer").count() == 1


def test_submit_without_an_approver_is_refused(people):
    version = draft(author=people["officer"])
    refused(lambda: submit(version, reviewers=[people["officer2"]], approver=None),
            "Hãy chọn người phê duyệt.")
    assert ProcedureVersion.objects.get(pk=version.pk).state == State.DRAFT


def test_review_is_required_before_approval_for_a_procedure(people):
    version = draft(author=people["officer"])
    refused(lambda: submit(version, reviewers=[], approver=people["approver"]),
            "Quy trình phải được xem xét trước khi phê duyệt: hãy chọn ít nhất một người xem xét.")
    assert not ReviewAssignment.objects.exists()


def test_a_form_may_go_to_approval_only(people):
    version = draft(author=people["officer"], kind="form")
    submit(version, reviewers=[], approver=people["approver"])
    services.version_approve(version=version, actor=people["approver"], password=PASSWORD)
    assert ProcedureVersion.objects.get(pk=version.pk).state == State.APPROVED


def test_the_review_policy_is_a_setting_per_kind(people, settings):
    settings.QMS_REVIEW_POLICY = {"procedure": "approval_only"}
    assert permissions.review_required(draft(author=people["officer"], kind="form").procedure)
    version = draft(author=people["officer"])
    submit(version, reviewers=[], approver=people["approver"])
    assert ProcedureVersion.objects.get(pk=version.pk).state == State.IN_REVIEW


def test_the_author_is_neither_reviewer_nor_approver(people):
    version = draft(author=people["officer"])
    message = "Người soạn thảo không được xem xét hoặc phê duyệt phiên bản của mình."
    refused(lambda: submit(version, reviewers=[people["officer"]], approver=people["approver"]),
            message)
    people["officer"].groups.add(*people["approver"].groups.all())  # even as an approver
    refused(lambda: submit(version, reviewers=[people["officer2"]], approver=people["officer"]),
            message)


@pytest.mark.parametrize("who", ["staff", "officer_b", "auditor", "nobody"])
def test_only_people_with_review_permission_may_be_named_reviewers(people, who):
    version = draft(author=people["officer"])
    refused(lambda: submit(version, reviewers=[people[who]], approver=people["approver"]),
            f"{name(people[who])} không có quyền xem xét tài liệu này.")


def test_only_people_with_approve_permission_may_be_named_approver(people):
    version = draft(author=people["officer"])
    refused(lambda: submit(version, reviewers=[people["approver"]], approver=people["officer2"]),
            f"{name(people['officer2'])} không có quyền phê duyệt tài liệu này.")


def test_a_deactivated_person_may_not_be_named(people):
    version = draft(author=people["officer"])
    qms_services.user_deactivate(user=people["officer2"], actor=people["admin"])
    officer2 = type(people["officer2"]).objects.get(pk=people["officer2"].pk)
    refused(lambda: submit(version, reviewers=[officer2], approver=people["approver"]),
            f"{name(officer2)} không có quyền xem xét tài liệu này.")


def test_one_person_may_not_both_review_and_approve(people, head):
    version = draft(author=people["officer"])
    refused(lambda: submit(version, reviewers=[people["approver"]], approver=people["approver"]),
            f"Một người không được vừa xem xét vừa phê duyệt cùng một phiên bản: "
            f"{name(people['approver'])}.")


def test_the_database_holds_one_role_per_person_and_one_approver_per_round(people, two_reviewers):
    version, now = two_reviewers, timezone.now()
    row = {"version": version, "round": 1, "assigned_by": people["officer"], "assigned_at": now}
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewAssignment.objects.create(person=people["approver"], role="reviewer", **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewAssignment.objects.create(person=people["officer_b"], role="approver", **row)


def test_a_reviewer_of_an_earlier_round_may_not_approve_the_version(people, head):
    version = draft(author=people["officer"])
    submit(version, reviewers=[people["approver"]], approver=head)
    services.version_review(version=version, actor=people["approver"], password=PASSWORD)
    services.version_return(version=version, actor=head, password=PASSWORD, reason="Sửa bước 3")
    message = (f"Một người không được vừa xem xét vừa phê duyệt cùng một phiên bản: "
               f"{name(people['approver'])}.")
    refused(lambda: submit(version, reviewers=[people["officer2"]], approver=people["approver"]),
            message)


def test_approval_refuses_someone_who_reviewed_the_version_even_past_the_routing(people, head):
    # The routing refuses it (above); the signature refuses it too, should a routing
    # ever be written around the service.
    version = draft(author=people["officer"], kind="form")
    submit(version, reviewers=[people["approver"]], approver=head)
    services.version_review(version=version, actor=people["approver"], password=PASSWORD)
    # Around the services, straight in the table: the reviewer becomes the round's approver.
    ReviewAssignment.objects.filter(version=version, role="approver").update(round=0)
    ReviewAssignment.objects.filter(version=version, role="reviewer").update(
        role="approver", status="pending")
    refused(lambda: services.version_approve(version=version, actor=people["approver"],
                                             password=PASSWORD),
            "Người đã ký xem xét phiên bản này không được ký phê duyệt nó.")


# ---------------------------------------------------------------- parallel review, approval


def test_reviewers_sign_in_parallel_and_approval_opens_when_all_have(people, head, two_reviewers):
    version = two_reviewers
    approve = lambda: services.version_approve(  # noqa: E731
        version=version, actor=people["approver"], password=PASSWORD)
    refused(approve, "Chưa thể phê duyệt: còn 2 người được chỉ định chưa ký xem xét.")
    services.version_review(version=version, actor=head, password=PASSWORD)  # any order
    assert not permissions.approval_is_open(ProcedureVersion.objects.get(pk=version.pk))
    refused(approve, "Chưa thể phê duyệt: còn 1 người được chỉ định chưa ký xem xét.")
    services.version_review(version=version, actor=people["officer2"], password=PASSWORD)
    assert permissions.approval_is_open(ProcedureVersion.objects.get(pk=version.pk))
    signature = approve()
    assert statuses(version) == {
        ("officer2", "reviewer"): "signed",
        ("head_a", "reviewer"): "signed",
        ("approver", "approver"): "signed",
    }
    version.refresh_from_db()
    assert version.state == State.APPROVED
    assert ReviewAssignment.objects.get(version=version, role="approver").signature == signature
    meanings = list(version.signatures.values_list("signer__username", "meaning"))
    assert sorted(meanings) == [("approver", "approved"), ("head_a", "reviewed"),
                                ("officer2", "reviewed")]


def test_only_the_named_reviewers_sign_a_review(people, two_reviewers):
    refused(lambda: services.version_review(version=two_reviewers, actor=people["approver"],
                                            password=PASSWORD),
            "Bạn không được chỉ định xem xét phiên bản này.")


def test_a_reviewer_signs_once(people, two_reviewers):
    services.version_review(version=two_reviewers, actor=people["officer2"], password=PASSWORD)
    refused(lambda: services.version_review(version=two_reviewers, actor=people["officer2"],
                                            password=PASSWORD),
            "Bạn đã ký xem xét phiên bản này.")


def test_only_the_named_approver_approves(people, head):
    version = submit(draft(author=people["officer"]), reviewers=[people["officer2"]],
                     approver=people["approver"])
    services.version_review(version=version, actor=people["officer2"], password=PASSWORD)
    refused(lambda: services.version_approve(version=version, actor=head, password=PASSWORD),
            "Bạn không được chỉ định phê duyệt phiên bản này.")


def test_approval_checks_that_review_took_place_where_it_is_required(people, settings):
    version = draft(author=people["officer"], kind="form")
    submit(version, reviewers=[], approver=people["approver"])
    settings.QMS_REVIEW_POLICY = {}  # the office now wants forms reviewed too
    refused(lambda: services.version_approve(version=version, actor=people["approver"],
                                             password=PASSWORD),
            "Phiên bản phải được xem xét trước khi phê duyệt.")


def test_wrong_password_signs_no_review(people, two_reviewers):
    refused(lambda: services.version_review(version=two_reviewers, actor=people["officer2"],
                                            password="sai"),
            "Mật khẩu không đúng: chữ ký chưa được ghi nhận.")
    assert statuses(two_reviewers)[("officer2", "reviewer")] == "pending"
    assert not Signature.objects.exists()


# ---------------------------------------------------------------- returning


def test_a_reviewer_returns_the_draft_with_reason_and_password(people, head, two_reviewers):
    version = two_reviewers
    services.version_review(version=version, actor=head, password=PASSWORD)
    services.comment_add(version=version, actor=head, body="Bước 2 thiếu thời hạn.")
    signature = services.version_return(version=version, actor=people["officer2"],
                                        password=PASSWORD, reason="  Thiếu lưu đồ  ")
    version.refresh_from_db()
    assert (version.state, version.rejection_reason) == (State.DRAFT, "Thiếu lưu đồ")
    assert (signature.meaning, signature.reason, signature.signer) == (
        Signature.Meaning.RETURNED, "Thiếu lưu đồ", people["officer2"])
    assert statuses(version) == {
        ("officer2", "reviewer"): "returned",
        ("head_a", "reviewer"): "signed",
        ("approver", "approver"): "closed",  # the round closed: approval never opened
    }
    assert [c.body for c in version.comments.all()] == ["Bước 2 thiếu thời hạn."]  # kept
    last = version.history.order_by("-history_date", "-history_id").first()
    assert (last.history_user, last.history_change_reason) == (
        people["officer2"], "Trả lại: Thiếu lưu đồ")


def test_return_needs_the_password_and_changes_nothing_without_it(people, two_reviewers):
    refused(lambda: services.version_return(version=two_reviewers, actor=people["officer2"],
                                            password="sai", reason="Thiếu lưu đồ"),
            "Mật khẩu không đúng: chữ ký chưa được ghi nhận.")
    assert ProcedureVersion.objects.get(pk=two_reviewers.pk).state == State.IN_REVIEW
    assert set(statuses(two_reviewers).values()) == {"pending"}


def test_a_reviewer_who_signed_may_not_return(people, two_reviewers):
    services.version_review(version=two_reviewers, actor=people["officer2"], password=PASSWORD)
    refused(lambda: services.version_return(version=two_reviewers, actor=people["officer2"],
                                            password=PASSWORD, reason="Đổi ý"),
            "Bạn không được chỉ định xem xét hoặc phê duyệt phiên bản này, hoặc đã ký rồi.")


def test_someone_not_named_may_not_return(people, head):
    version = submit(draft(author=people["officer"]), reviewers=[people["officer2"]],
                     approver=people["approver"])
    refused(lambda: services.version_return(version=version, actor=head, password=PASSWORD,
                                            reason="Không đạt"),
            "Bạn không được chỉ định xem xét hoặc phê duyệt phiên bản này, hoặc đã ký rồi.")


def test_the_approver_may_return_before_the_reviews_are_done(people, two_reviewers):
    services.version_return(version=two_reviewers, actor=people["approver"], password=PASSWORD,
                            reason="Không phù hợp quy định mới")
    assert statuses(two_reviewers) == {
        ("officer2", "reviewer"): "closed",
        ("head_a", "reviewer"): "closed",
        ("approver", "approver"): "returned",
    }


def test_a_new_submission_is_a_new_round_where_earlier_signatures_do_not_count(
        people, head, two_reviewers):
    version = two_reviewers
    services.version_review(version=version, actor=head, password=PASSWORD)
    services.version_return(version=version, actor=people["officer2"], password=PASSWORD,
                            reason="Sửa bước 1")
    version = submit(version, reviewers=[people["officer2"], head], approver=people["approver"])
    assert version.submission_round == 2
    assert set(statuses(version).values()) == {"pending"}
    refused(lambda: services.version_approve(version=version, actor=people["approver"],
                                             password=PASSWORD),
            "Chưa thể phê duyệt: còn 2 người được chỉ định chưa ký xem xét.")
    assert version.assignments.filter(round=1).count() == 3  # the first round is kept


# ---------------------------------------------------------------- recall


def test_the_author_recalls_a_draft_before_anyone_signs(people, two_reviewers):
    version = services.version_recall(version=two_reviewers, actor=people["officer"])
    assert version.state == State.DRAFT
    assert set(statuses(version).values()) == {"closed"}
    last = version.history.order_by("-history_date", "-history_id").first()
    assert (last.history_user, last.history_change_reason) == (people["officer"], "Rút lại dự thảo")
    services.version_update(version=version, actor=people["officer"], body="Đã sửa")


def test_an_officer_with_author_permission_may_recall(people, two_reviewers):
    services.version_recall(version=two_reviewers, actor=people["officer2"])
    assert ProcedureVersion.objects.get(pk=two_reviewers.pk).state == State.DRAFT


def test_recall_after_a_signature_is_refused(people, head, two_reviewers):
    services.version_review(version=two_reviewers, actor=head, password=PASSWORD)
    refused(lambda: services.version_recall(version=two_reviewers, actor=people["officer"]),
            "Đã có người ký nên không thể rút lại dự thảo.")


def test_a_reviewer_may_not_recall(people, head, two_reviewers):
    refused(lambda: services.version_recall(version=two_reviewers, actor=head),
            "Bạn không có quyền thực hiện thao tác này.")


def test_recall_of_a_draft_is_refused_with_the_states_named(people):
    version = draft(author=people["officer"])
    refused(lambda: services.version_recall(version=version, actor=people["officer"]),
            "Không thể chuyển phiên bản từ trạng thái “Dự thảo” sang “Dự thảo”.")
