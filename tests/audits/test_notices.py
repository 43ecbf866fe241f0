"""The e-mails of corrective actions (issue 10 point 6): assigned, waiting for the
effectiveness check, sent back; written after the commit, to the right people."""

import pytest

from audits import services
from qms.models import Notification

from .conftest import record

pytestmark = pytest.mark.django_db


def sent(kind):
    return sorted(
        (n.recipient.username, n.subject, n.url)
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    )


def test_the_owner_is_told_when_a_nonconformity_assigns_an_action(
        cast, org, started, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        finding = record(started, cast, org, grade="major")
        record(started, cast, org, grade="observation", statement="Một lưu ý.")  # no action
    assert sent("audits.action_assigned") == [
        ("owner", f"Hành động khắc phục được giao: {started.code}, phát hiện số 1",
         f"/audits/actions/{finding.action.pk}/answer/")]
    body = Notification.objects.get().body
    assert body == ("Hồ sơ lưu trữ không đúng thời hạn.\nĐơn vị: Phòng Tài nguyên và Môi trường. "
                    "Hạn hoàn thành: 30/04/2026. Hãy nêu nguyên nhân gốc rễ và hành động khắc phục.")


def test_the_audit_team_is_told_an_answer_waits_for_its_check(
        cast, org, started, django_capture_on_commit_callbacks):
    action = record(started, cast, org).action
    with django_capture_on_commit_callbacks(execute=True):
        services.corrective_action_answer(
            action=action, actor=cast["owner"], correction="", root_cause="Thiếu hướng dẫn.",
            action_plan="Tập huấn.")
    assert [who for who, _s, _u in sent("audits.action_to_verify")] == ["auditor", "auditor2"]
    assert {u for _w, _s, u in sent("audits.action_to_verify")} == {
        f"/audits/actions/{action.pk}/verify/"}


def test_a_new_owner_chosen_in_the_answer_is_told(cast, org, started, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    action = record(started, cast, org).action
    other = UserFactory(username="other_owner", department=org["a"])
    with django_capture_on_commit_callbacks(execute=True):
        services.corrective_action_answer(
            action=action, actor=cast["officer"], correction="", root_cause="Thiếu hướng dẫn.",
            action_plan="Tập huấn.", owner=other)
    assert [who for who, _s, _u in sent("audits.action_assigned")] == ["other_owner"]


def test_an_action_found_not_effective_goes_back_to_its_owner(
        cast, org, started, django_capture_on_commit_callbacks):
    action = record(started, cast, org).action
    services.corrective_action_answer(action=action, actor=cast["owner"], correction="",
                                      root_cause="Thiếu hướng dẫn.", action_plan="Tập huấn.")
    with django_capture_on_commit_callbacks(execute=True):
        services.corrective_action_verify(action=action, actor=cast["auditor2"], effective=False,
                                          note="Vẫn còn 2 hồ sơ thiếu phiếu.")
    [(who, subject, url)] = sent("audits.action_reopened")
    assert (who, subject) == ("owner", f"Hành động khắc phục chưa có hiệu lực: {started.code}, "
                                       "phát hiện số 1")
    assert Notification.objects.get(kind="audits.action_reopened").body == (
        "Kết quả kiểm tra hiệu lực: Vẫn còn 2 hồ sơ thiếu phiếu.\nHãy trả lời lại trước ngày 30/04/2026.")


def test_a_refused_change_tells_nobody(cast, org, started, django_capture_on_commit_callbacks):
    from audits.exceptions import AuditError

    action = record(started, cast, org).action
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AuditError):
        services.corrective_action_answer(action=action, actor=cast["owner"], correction="",
                                          root_cause="", action_plan="Tập huấn.")
    assert not Notification.objects.filter(kind="audits.action_to_verify").exists()


def test_the_team_is_told_it_is_on_a_new_audit(cast, org, programme, procedure_a,
                                              django_capture_on_commit_callbacks):
    from .conftest import plan

    with django_capture_on_commit_callbacks(execute=True):
        audit = plan(cast, org, programme, procedure_a, team=[cast["auditor2"], cast["stranger"]])
    # The lead planned it: only the two members are told.
    assert [who for who, _s, _u in sent("audits.audit_planned")] == ["auditor2", "stranger"]
    row = Notification.objects.filter(kind="audits.audit_planned").first()
    assert row.subject == f"Anh/chị tham gia cuộc đánh giá {audit.code}"
    assert row.body == ("Đánh giá Phòng Tài nguyên và Môi trường\nTrưởng đoàn: "
                        f"{cast['auditor']}. Thời gian dự kiến: 10/03/2026 – 12/03/2026.")
    assert row.url == f"/audits/{audit.pk}/"
