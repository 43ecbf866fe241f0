"""Corrective actions answered before attempts existed migrate forward without
loss: every answer and check in an action's history becomes an attempt (with its
own history rows), an action whose history says nothing gets its attempt from its
columns, and going back puts the latest attempt into the columns again."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The flush after a transactional test would also empty the tables that the data
# migrations fill (clauses, roles); serialized_rollback restores them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("audits", "0002_findingattachment_stored_file")]
SINGLE_ANSWER_DROPPED = [("audits", "0005_drop_single_answer_of_actions")]
BEFORE_THE_DROP = [("audits", "0004_attempts_from_single_answers")]


def _migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _at(day: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 4, day, hour, 0))


def _old_rows(apps):
    """Three actions as the single-answer code left them:
    - `twice`: answered, found not effective, answered again, closed — in its history;
    - `waiting`: answered and waiting for its check, with no history rows at all;
    - `open`: never answered.
    """
    User = apps.get_model("qms", "User")
    OrgUnit = apps.get_model("qms", "OrgUnit")
    Clause = apps.get_model("qms", "Clause")
    Programme = apps.get_model("audits", "AuditProgramme")
    Audit = apps.get_model("audits", "Audit")
    Finding = apps.get_model("audits", "Finding")
    Action = apps.get_model("audits", "CorrectiveAction")
    HistoricalAction = apps.get_model("audits", "HistoricalCorrectiveAction")

    lead = User.objects.create(username="lead_old", first_name="Minh", last_name="Lê Quang")
    checker = User.objects.create(username="checker_old", first_name="Hà", last_name="Nguyễn Thu")
    officer = User.objects.create(username="officer_old", first_name="Đức", last_name="Vũ Minh")
    unit = OrgUnit.objects.create(code="mc-old", name="Bộ phận Tiếp nhận và Trả kết quả")
    clause = Clause.objects.get(edition__year=2015, number="8.5.1")
    programme = Programme.objects.create(year=2026, title="Chương trình 2026", created_by=lead)
    audit = Audit.objects.create(
        programme=programme, number=1, title="Đánh giá một cửa", planned_start=datetime.date(2026, 3, 9),
        planned_end=datetime.date(2026, 3, 13), lead_auditor=lead, created_by=lead, state="reported",
    )

    def finding(number):
        return Finding.objects.create(audit=audit, number=number, grade="major", statement=f"Phát hiện {number}",
                                      clause=clause, department=unit, recorded_by=lead)

    first = {"correction": "Gửi phiếu xin lỗi.", "root_cause": "Chưa hướng dẫn công chức.",
             "action_plan": "Tập huấn."}
    second = {"correction": "Liên hệ công dân.", "root_cause": "Phần mềm không cảnh báo hồ sơ sắp đến hạn.",
              "action_plan": "Bật cảnh báo trước hạn 2 ngày."}
    twice = Action.objects.create(
        finding=finding(1), owner=officer, due_date=datetime.date(2026, 4, 30), state="closed",
        answered_by=officer, answered_at=_at(20, 9), verified_by=checker, verified_at=_at(25, 9),
        verification_note="Đạt.", closed_at=_at(25, 9), **second,
    )
    empty = {"correction": "", "root_cause": "", "action_plan": ""}
    steps = [
        ("+", _at(1, 8), lead, "Yêu cầu hành động khắc phục",
         {"state": "open", **empty}),
        ("~", _at(5, 9), officer, "Đơn vị trả lời hành động khắc phục",
         {"state": "answered", "answered_by": officer, "answered_at": _at(5, 9), **first}),
        ("~", _at(10, 9), checker, "Kiểm tra: chưa có hiệu lực, yêu cầu khắc phục lại",
         {"state": "open", "answered_by": officer, "answered_at": _at(5, 9), "verified_by": checker,
          "verified_at": _at(10, 9), "verification_note": "Còn 3 hồ sơ trễ hạn.", **first}),
        ("~", _at(20, 9), officer, "Đơn vị trả lời hành động khắc phục",
         {"state": "answered", "answered_by": officer, "answered_at": _at(20, 9), "verified_by": checker,
          "verified_at": _at(10, 9), "verification_note": "Còn 3 hồ sơ trễ hạn.", **second}),
        ("~", _at(25, 9), checker, "Kiểm tra: có hiệu lực, đóng hành động khắc phục",
         {"state": "closed", "answered_by": officer, "answered_at": _at(20, 9), "verified_by": checker,
          "verified_at": _at(25, 9), "verification_note": "Đạt.", "closed_at": _at(25, 9), **second}),
    ]
    for kind, when, who, reason, values in steps:
        HistoricalAction.objects.create(
            id=twice.pk, finding_id=twice.finding_id, owner=officer, due_date=twice.due_date,
            history_type=kind, history_date=when, history_user=who, history_change_reason=reason, **values,
        )
    waiting = Action.objects.create(
        finding=finding(2), owner=officer, due_date=datetime.date(2026, 5, 15), state="answered",
        answered_by=officer, answered_at=_at(22, 14), correction="", root_cause="Mẫu cũ chưa thu hồi.",
        action_plan="Thu hồi mẫu cũ.",
    )
    never = Action.objects.create(finding=finding(3), owner=officer, due_date=datetime.date(2026, 5, 31))
    return {"twice": twice.pk, "waiting": waiting.pk, "open": never.pk,
            "officer": officer.pk, "checker": checker.pk}


def test_single_answers_become_attempts_and_come_back():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        ids = _old_rows(_migrate(BEFORE))
        apps = _migrate(SINGLE_ANSWER_DROPPED)
        Attempt = apps.get_model("audits", "ActionAttempt")
        HistoricalAttempt = apps.get_model("audits", "HistoricalActionAttempt")

        twice = list(Attempt.objects.filter(action_id=ids["twice"]).order_by("number").values(
            "number", "root_cause", "correction", "action_plan", "answered_by_id", "answered_at",
            "result", "verification_note", "verified_by_id", "verified_at"))
        assert twice == [
            {"number": 1, "root_cause": "Chưa hướng dẫn công chức.", "correction": "Gửi phiếu xin lỗi.",
             "action_plan": "Tập huấn.", "answered_by_id": ids["officer"], "answered_at": _at(5, 9),
             "result": "not_effective", "verification_note": "Còn 3 hồ sơ trễ hạn.",
             "verified_by_id": ids["checker"], "verified_at": _at(10, 9)},
            {"number": 2, "root_cause": "Phần mềm không cảnh báo hồ sơ sắp đến hạn.",
             "correction": "Liên hệ công dân.", "action_plan": "Bật cảnh báo trước hạn 2 ngày.",
             "answered_by_id": ids["officer"], "answered_at": _at(20, 9), "result": "effective",
             "verification_note": "Đạt.", "verified_by_id": ids["checker"], "verified_at": _at(25, 9)},
        ]
        history = list(
            HistoricalAttempt.objects.filter(action_id=ids["twice"]).order_by("history_date").values_list(
                "number", "history_type", "history_date", "history_user_id", "history_change_reason", "result")
        )
        assert history == [
            (1, "+", _at(5, 9), ids["officer"], "Đơn vị trả lời hành động khắc phục", "pending"),
            (1, "~", _at(10, 9), ids["checker"], "Kiểm tra: chưa có hiệu lực, yêu cầu khắc phục lại",
             "not_effective"),
            (2, "+", _at(20, 9), ids["officer"], "Đơn vị trả lời hành động khắc phục", "pending"),
            (2, "~", _at(25, 9), ids["checker"], "Kiểm tra: có hiệu lực, đóng hành động khắc phục", "effective"),
        ]

        waiting = Attempt.objects.get(action_id=ids["waiting"])
        assert (waiting.number, waiting.root_cause, waiting.action_plan, waiting.result, waiting.answered_at,
                waiting.verified_by_id) == (1, "Mẫu cũ chưa thu hồi.", "Thu hồi mẫu cũ.", "pending",
                                            _at(22, 14), None)
        assert not Attempt.objects.filter(action_id=ids["open"]).exists()
        Action = apps.get_model("audits", "CorrectiveAction")
        assert dict(Action.objects.values_list("pk", "state")) == {
            ids["twice"]: "closed", ids["waiting"]: "answered", ids["open"]: "open"}

        # Back before the columns were dropped: the latest attempt fills them again.
        apps = _migrate(BEFORE_THE_DROP)
        apps = _migrate([("audits", "0003_action_attempts_finding_revisions_signatures")])
        Action = apps.get_model("audits", "CorrectiveAction")
        back = Action.objects.get(pk=ids["twice"])
        assert (back.root_cause, back.verification_note, back.verified_by_id, back.answered_at) == (
            "Phần mềm không cảnh báo hồ sơ sắp đến hạn.", "Đạt.", ids["checker"], _at(20, 9))
    finally:
        _migrate(latest)
