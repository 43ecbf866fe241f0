"""Comments on a version under review (issue 10, point 2): on the whole text or on a
quoted passage; answered and resolved by the author; kept with the version for good."""

import unicodedata

import pytest

from procedures import selectors, services
from procedures.exceptions import ControlledRecordError, ProcedureError
from procedures.models import Comment
from tests.factories import PASSWORD, approve, draft, make_effective, submit

pytestmark = pytest.mark.django_db

BODY = "# Mục đích\n\nĐăng ký **đất đai** lần đầu.\n\n- Bước 1: tiếp nhận hồ sơ\n- Bước 2: thẩm định"


@pytest.fixture
def under_review(people):
    version = draft(author=people["officer"], code="QT-C-01", body=BODY)
    return submit(version, reviewers=[people["officer2"]], approver=people["approver"])


def refused(call, message):
    with pytest.raises(ProcedureError) as excinfo:
        call()
    assert excinfo.value.messages == [message]


def test_a_named_reviewer_comments_on_the_whole_text(people, under_review):
    comment = services.comment_add(version=under_review, actor=people["officer2"],
                                   body="  Thiếu thời hạn giải quyết.  ")
    assert (comment.body, comment.quote, comment.round, comment.status) == (
        "Thiếu thời hạn giải quyết.", "", 1, Comment.Status.OPEN)
    row = comment.history.get()
    assert (row.history_user, row.history_change_reason) == (people["officer2"], "Góp ý")


@pytest.mark.parametrize("quote", [
    "Đăng ký **đất đai** lần đầu.",  # as written (Markdown)
    "Đăng ký đất đai lần đầu.",  # as shown on the page
    "Bước 1: tiếp nhận hồ sơ\n\nBước 2",  # across lines, whitespace aside
    "Đăng ký đất đai".replace("ă", "a\u0306"),  # typed in NFD
])
def test_the_approver_comments_on_a_quoted_passage(people, under_review, quote):
    comment = services.comment_add(version=under_review, actor=people["approver"],
                                   body="Ghi rõ thành phần hồ sơ.", quote=quote)
    assert comment.quote == unicodedata.normalize("NFC", quote)  # stored as typed, in NFC


def test_a_quote_not_in_the_text_is_refused(people, under_review):
    refused(lambda: services.comment_add(version=under_review, actor=people["officer2"],
                                         body="Sửa", quote="Quyền sử dụng đất"),
            "Đoạn trích dẫn không có trong nội dung phiên bản.")
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused(people, under_review):
    refused(lambda: services.comment_add(version=under_review, actor=people["officer2"], body=" \n"),
            "Hãy nhập nội dung góp ý.")


def test_a_too_long_quote_is_refused(people, under_review):
    refused(lambda: services.comment_add(version=under_review, actor=people["officer2"],
                                         body="x", quote="đ" * 2001),
            "Đoạn trích dẫn quá dài (tối đa 2000 ký tự).")


@pytest.mark.parametrize("who", ["head", "officer_b", "staff", "auditor", "nobody"])
def test_people_not_named_may_not_comment(people, under_review, head, who):
    actor = head if who == "head" else people[who]
    refused(lambda: services.comment_add(version=under_review, actor=actor, body="Ý kiến"),
            "Bạn không có quyền thực hiện thao tác này.")


def test_the_author_answers_and_resolves(people, under_review):
    comment = services.comment_add(version=under_review, actor=people["officer2"], body="Thiếu lưu đồ")
    answer = services.comment_answer(comment=comment, actor=people["officer"],
                                     body="Đã bổ sung lưu đồ ở mục 5.")
    assert (answer.parent, answer.version, answer.author) == (comment, under_review, people["officer"])
    resolved = services.comment_resolve(comment=comment, actor=people["officer"],
                                        resolution="Bổ sung ở lần trình sau")
    assert (resolved.status, resolved.resolved_by, resolved.resolution) == (
        Comment.Status.RESOLVED, people["officer"], "Bổ sung ở lần trình sau")
    assert resolved.resolved_at is not None
    reasons = [r.history_change_reason for r in comment.history.order_by("history_id")]
    assert reasons == ["Góp ý", "Giải quyết góp ý"]
    refused(lambda: services.comment_resolve(comment=comment, actor=people["officer"]),
            "Góp ý này đã được giải quyết.")


def test_an_officer_with_author_permission_answers_too(people, under_review):
    comment = services.comment_add(version=under_review, actor=people["approver"], body="Xem lại")
    services.comment_answer(comment=comment, actor=people["officer2"], body="Đã xem lại")


def test_reviewers_do_not_answer_or_resolve(people, under_review):
    comment = services.comment_add(version=under_review, actor=people["officer2"], body="Thiếu")
    for call in (
        lambda: services.comment_answer(comment=comment, actor=people["approver"], body="Đồng ý"),
        lambda: services.comment_resolve(comment=comment, actor=people["approver"]),
    ):
        refused(call, "Bạn không có quyền thực hiện thao tác này.")


def test_an_answer_is_not_answered_again(people, under_review):
    comment = services.comment_add(version=under_review, actor=people["officer2"], body="Thiếu")
    answer = services.comment_answer(comment=comment, actor=people["officer"], body="Đã sửa")
    refused(lambda: services.comment_answer(comment=answer, actor=people["officer"], body="Thêm"),
            "Chỉ trả lời hoặc giải quyết được góp ý gốc.")


def test_comments_stay_with_the_version_through_return_and_issue(people, under_review):
    version = under_review
    comment = services.comment_add(version=version, actor=people["approver"], body="Bước 2?")
    services.version_return(version=version, actor=people["approver"], password=PASSWORD,
                            reason="Xem góp ý")
    services.comment_answer(comment=comment, actor=people["officer"], body="Đã sửa bước 2")
    services.comment_resolve(comment=comment, actor=people["officer"])
    version = approve(version, approver=people["approver"], reviewers=[people["officer2"]])
    version = make_effective(version, actor=people["officer"])
    assert [(c.body, c.parent_id is None) for c in version.comments.order_by("pk")] == [
        ("Bước 2?", True), ("Đã sửa bước 2", False)]
    refused(lambda: services.comment_add(version=version, actor=people["officer"], body="Muộn"),
            "Chỉ góp ý được trên dự thảo hoặc phiên bản đang xem xét.")


def test_comments_are_never_deleted(people, under_review):
    comment = services.comment_add(version=under_review, actor=people["officer2"], body="Giữ lại")
    for action in (comment.delete, Comment.objects.all().delete):
        with pytest.raises(ControlledRecordError):
            action()
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_comments_show_in_the_procedure_history(people, under_review):
    comment = services.comment_add(version=under_review, actor=people["officer2"],
                                   body="Thiếu thời hạn", quote="Bước 2: thẩm định")
    services.comment_resolve(comment=comment, actor=people["officer"], resolution="Đã thêm")
    timeline = selectors.procedure_timeline(procedure=under_review.procedure)
    added = next(e for e in timeline if e["reason"] == "Góp ý")
    assert (added["user"], added["subject"]) == (people["officer2"], 1)
    assert ("đoạn trích dẫn", "", "Bước 2: thẩm định") in added["changes"]
    assert ("nội dung góp ý", "", "Thiếu thời hạn") in added["changes"]
    resolved = next(e for e in timeline if e["reason"] == "Giải quyết góp ý")
    assert ("tình trạng", "Chưa giải quyết", "Đã giải quyết") in resolved["changes"]
    assert timeline.index(resolved) < timeline.index(added)  # newest first
