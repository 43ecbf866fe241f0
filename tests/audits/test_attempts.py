"""Every attempt of a corrective action is kept: each answer is an attempt, its
effectiveness check ends it, and an answer after a failed check is the next one."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audits import services
from audits.models import ActionAttempt, CorrectiveAction

from .conftest import reported_with_actions
from .test_services import refused

pytestmark = pytest.mark.django_db


def answer(action, actor, n=1, **change):
    values = {
        "action": action, "actor": actor, "correction": f"Khắc phục lần {n}.",
        "root_cause": f"Nguyên nhân lần {n}.", "action_plan": f"Hành động lần {n}.",
        "evidence": f"Bằng chứng lần {n}.",
    }
    values.update(change)
    return services.corrective_action_answer(**values)


def check(action, actor, effective, note, **change):
    return services.corrective_action_verify(action=action, actor=actor, effective=effective, note=note,
                                             **change)


@pytest.fixture
def major(started, cast, org):
    major, _minor = reported_with_actions(started, cast, org)
    return major.action


def test_an_answer_is_attempt_1_waiting_for_its_check(major, cast):
    before = timezone.now()
    action = answer(major, cast["officer"])
    assert action.state == CorrectiveAction.State.ANSWERED
    attempt = action.attempts.get()
    assert (attempt.number, attempt.correction, attempt.root_cause, attempt.action_plan, attempt.evidence) == (
        1, "Khắc phục lần 1.", "Nguyên nhân lần 1.", "Hành động lần 1.", "Bằng chứng lần 1.")
    assert (attempt.answered_by, attempt.result, attempt.verified_by, attempt.verified_at) == (
        cast["officer"], "pending", None, None)
    assert attempt.answered_at >= before
    row = attempt.history.get()
    assert (row.history_user, row.history_change_reason) == (cast["officer"], "Trả lời lần 1")


def test_a_failed_check_keeps_attempt_1_and_the_next_answer_is_attempt_2(major, cast):
    answer(major, cast["officer"])
    action = check(major, cast["auditor2"], False, "Còn 3 hồ sơ trễ hạn.")
    assert action.state == CorrectiveAction.State.OPEN
    first = action.attempts.get()
    assert (first.result, first.verification_note, first.verified_by) == (
        "not_effective", "Còn 3 hồ sơ trễ hạn.", cast["auditor2"])
    assert first.history.first().history_change_reason == "Kiểm tra hiệu lực lần 1: Chưa có hiệu lực"

    answer(major, cast["owner"], n=2)
    action = check(major, cast["auditor"], True, "Kiểm tra 20 hồ sơ: đạt.")
    assert action.state == CorrectiveAction.State.CLOSED
    rows = list(action.attempts.order_by("number").values_list(
        "number", "root_cause", "answered_by__username", "result", "verification_note", "verified_by__username"))
    assert rows == [
        (1, "Nguyên nhân lần 1.", "officer", "not_effective", "Còn 3 hồ sơ trễ hạn.", "auditor2"),
        (2, "Nguyên nhân lần 2.", "owner", "effective", "Kiểm tra 20 hồ sơ: đạt.", "auditor"),
    ]
    reasons = [h.history_change_reason for h in action.history.order_by("history_date")]
    assert reasons == [
        "Yêu cầu hành động khắc phục",
        "Đơn vị trả lời hành động khắc phục",
        "Kiểm tra: chưa có hiệu lực, yêu cầu khắc phục lại",
        "Đơn vị trả lời hành động khắc phục",
        "Kiểm tra: có hiệu lực, đóng hành động khắc phục",
    ]


def test_only_a_new_answer_follows_a_check_and_only_a_check_follows_an_answer(major, cast):
    refused("Không thể chuyển hành động khắc phục từ trạng thái “Chờ đơn vị trả lời” sang “Đã đóng”.",
            check, major, cast["auditor2"], True, "x")
    answer(major, cast["officer"])
    refused("Không thể chuyển hành động khắc phục từ trạng thái “Chờ kiểm tra hiệu lực” sang "
            "“Chờ kiểm tra hiệu lực”.", answer, major, cast["officer"], n=2)
    assert major.attempts.count() == 1


def test_who_answered_this_attempt_may_not_check_it(major, cast):
    answer(major, cast["admin"])
    refused("Người trả lời không được tự kiểm tra hiệu lực hành động của mình.",
            check, major, cast["admin"], False, "x")
    check(major, cast["auditor2"], False, "Chưa đạt.")
    # The next attempt is answered by someone else: the first answerer may check it.
    answer(major, cast["officer"], n=2)
    action = check(major, cast["admin"], True, "Đạt.")
    assert action.attempts.get(number=2).verified_by == cast["admin"]


def test_a_failed_check_may_set_a_new_due_date(major, cast):
    answer(major, cast["officer"])
    today = timezone.localdate()
    refused(f"Hạn hoàn thành mới ({(today - datetime.timedelta(days=1)).strftime('%d/%m/%Y')}) "
            "không được trước hôm nay.",
            check, major, cast["auditor2"], False, "x", new_due_date=today - datetime.timedelta(days=1))
    refused("Chỉ đặt hạn mới khi hành động chưa có hiệu lực.",
            check, major, cast["auditor2"], True, "x", new_due_date=today)
    action = check(major, cast["auditor2"], False, "Làm lại.", new_due_date=today + datetime.timedelta(days=30))
    assert action.due_date == today + datetime.timedelta(days=30)
    assert action.history.first().due_date == today + datetime.timedelta(days=30)


def test_a_refused_answer_writes_no_attempt(major, cast):
    refused("Hãy nêu nguyên nhân gốc rễ.", answer, major, cast["officer"], root_cause=" ")
    refused("Hãy nêu hành động khắc phục.", answer, major, cast["officer"], action_plan="")
    refused("Bạn không có quyền thực hiện thao tác này.", answer, major, cast["stranger"])
    assert not ActionAttempt.objects.exists()
    major.refresh_from_db()
    assert major.state == CorrectiveAction.State.OPEN


def test_text_is_stored_in_nfc(major, cast):
    decomposed = "Nguye\u0302\u0303n nha\u0302n"  # "Nguyễn nhân" typed as NFD
    answer(major, cast["officer"], root_cause=decomposed)
    assert major.attempts.get().root_cause == "Nguyễn nhân"


def test_the_database_holds_one_pending_attempt_per_action(major, cast):
    attempt = answer(major, cast["officer"]).attempts.get()
    duplicate = ActionAttempt(action=major, number=2, root_cause="x", action_plan="y",
                              answered_by=cast["officer"], answered_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    attempt.result = "effective"  # a result without a verifier
    with pytest.raises(IntegrityError), transaction.atomic():
        attempt.save()


def test_attempts_are_never_deleted(major, cast):
    from audits.exceptions import AuditRecordError

    attempt = answer(major, cast["officer"]).attempts.get()
    for target in (attempt, ActionAttempt.objects.all()):
        with pytest.raises(AuditRecordError):
            target.delete()
    assert ActionAttempt.objects.count() == 1
