"""Quality objectives: status month by month as figures are added, manual and
satisfaction indicators, and the nonconformity raised through the audits app."""

import datetime
from decimal import Decimal

import pytest

from audits.models import Audit, ChecklistItem, CorrectiveAction, Finding
from qms import roles
from service_quality import services
from service_quality.exceptions import ServiceQualityError
from service_quality.selectors.objectives import objective_get
from tests.factories import UserFactory

from .conftest import load, row

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)
PLAN = {"plan_actions": "Rà soát quy trình, cảnh báo hồ sơ sắp đến hạn.", "plan_resources": "",
        "plan_responsible": "Trưởng phòng", "plan_due": datetime.date(2024, 12, 31),
        "plan_evaluation": "Tỷ lệ trễ hạn hằng tháng."}


@pytest.fixture
def objective(cast, fields):
    return services.objective_create(
        actor=cast["officer"], year=2024, title="Tỷ lệ hồ sơ đất đai trễ hạn dưới 3 %",
        indicator="late_rate", scope="field", field=fields["land"], comparison="lt",
        target=Decimal("3"), owner=cast["officer"], **PLAN)


# (month, received = resolved, early, late): on time is 10 every month, nothing pending.
MONTHS = [(1, 200, 188, 2), (2, 100, 86, 4), (3, 100, 82, 8), (4, 300, 290, 0)]


def add_month(actor, month):
    m, received, early, late = MONTHS[month - 1]
    load(actor, [row(f"2024-{m:02d}", received=received, early=early, on_time=10, late=late)])


def state(user, objective):
    return objective_get(user=user, pk=objective.pk).state


def test_status_changes_as_months_are_added(cast, objective):
    officer = cast["officer"]
    assert state(officer, objective)["status"] == "no_data"
    expected = [
        # Jan: 2/200 = 1.00 % so far and in the month: met
        ("met", "1.00", "1.00", None),
        # Feb: month 4/100 = 4.00 % breaks it, year so far 6/300 = 2.00 % meets it: at risk, worse
        ("at_risk", "2.00", "4.00", "worse"),
        # Mar: year so far 14/400 = 3.50 % breaks it: missed, worse (8.00 % > 4.00 %)
        ("missed", "3.50", "8.00", "worse"),
        # Apr: 0/300 in the month, 14/700 = 2.00 % so far: met again, better
        ("met", "2.00", "0.00", "better"),
    ]
    for month, (status, to_date, value, trend) in enumerate(expected, start=1):
        add_month(officer, month)
        now = state(officer, objective)
        assert (now["status"], str(now["value"]), str(now["monthly"][-1]["value"]), now["trend"]) == (
            status, to_date, value, trend), month
    assert [m["status"] for m in state(officer, objective)["monthly"]] == ["met", "at_risk", "missed", "met"]


def test_the_boundary_itself_breaks_a_strict_target(cast, objective):
    # 3 late of 100 = 3.00 %: not below 3 %.
    load(cast["officer"], [row("2024-01", received=100, early=87, on_time=10, late=3)])
    assert state(cast["officer"], objective)["status"] == "missed"


def test_manual_and_satisfaction_objectives(cast, org, fields):
    manual = services.objective_create(
        actor=cast["central"], year=2024, title="Số ý kiến phản ánh được trả lời đúng hạn",
        indicator="manual", scope="committee", comparison="ge", target=Decimal("95"), owner=cast["central"],
        **PLAN)
    services.objective_reading_record(objective=manual, actor=cast["central"], month=1, value=Decimal("96"))
    services.objective_reading_record(objective=manual, actor=cast["central"], month=2, value=Decimal("94.5"))
    now = state(cast["central"], manual)
    assert (now["status"], str(now["value"]), now["trend"]) == ("missed", "94.50", "worse")
    liked = services.objective_create(
        actor=cast["officer"], year=2024, title="Hài lòng từ 90 %", indicator="satisfaction",
        scope="department", department=org["a"], comparison="ge", target=Decimal("90"),
        owner=cast["officer"], **PLAN)
    groups = ("access_pct", "procedures_pct", "staff_pct", "results_pct", "feedback_pct")
    services.survey_save(actor=cast["officer"], department=org["a"], year=2024, month=6, respondents=100,
                         shares=dict(zip(groups, map(Decimal, ("95", "90", "92", "88", "85")), strict=True)))
    services.survey_save(actor=cast["officer"], department=org["a"], year=2024, month=12, respondents=300,
                         shares=dict(zip(groups, map(Decimal, ("90", "88", "86", "84", "82")), strict=True)))
    # June mean 90.00; December mean 86.00; weighted (90*100 + 86*300) / 400 = 87.00: missed
    now = state(cast["officer"], liked)
    assert [(m["month"], str(m["to_date"]), str(m["value"]), m["status"]) for m in now["monthly"]] == [
        (6, "90.00", "90.00", "met"), (12, "87.00", "86.00", "missed")]
    with pytest.raises(ServiceQualityError, match="Mục tiêu này được tính từ số liệu"):
        services.objective_reading_record(objective=liked, actor=cast["officer"], month=1, value=1)


def test_an_officer_sets_objectives_of_their_own_department_only(cast, org, fields):
    for actor, scope, kwargs in (
        (cast["officer"], "field", {"field": fields["build"]}),
        (cast["officer"], "committee", {}),
        (cast["staff"], "department", {"department": org["a"]}),
    ):
        with pytest.raises(ServiceQualityError, match="Bạn không có quyền thực hiện thao tác này."):
            services.objective_create(actor=actor, year=2024, title="X", indicator="late_rate", scope=scope,
                                      comparison="lt", target=3, owner=actor, **kwargs, **PLAN)
    with pytest.raises(ServiceQualityError) as refused:
        services.objective_create(actor=cast["officer"], year=2024, title="X", indicator="late_rate",
                                  scope="field", field=fields["land"], comparison="lt", target=3,
                                  owner=cast["officer"], **{**PLAN, "plan_evaluation": ""})
    assert refused.value.messages == [
        "Kế hoạch thực hiện cần nêu việc sẽ làm, người thực hiện và cách đánh giá kết quả."]


def test_a_missed_objective_raises_a_nonconformity_with_its_corrective_action(cast, org, objective):
    for month in (1, 2, 3):
        add_month(cast["officer"], month)
    record = services.objective_raise_nonconformity(
        objective=objective, actor=cast["auditor"], owner=cast["officer"],
        due_date=datetime.date(2026, 4, 30), today=TODAY)
    finding = Finding.objects.select_related("audit", "clause", "department").get(pk=record.finding_id)
    assert (finding.grade, finding.clause.number, finding.department, finding.recorded_by) == (
        "minor", "6.2", org["a"], cast["auditor"])
    assert finding.statement == ("Mục tiêu chất lượng “Tỷ lệ hồ sơ đất đai trễ hạn dưới 3 %” năm 2024 "
                                 "không đạt: 3,50 % (lũy kế đến tháng 3/2024), chỉ tiêu < 3,00 %.")
    assert "03/2024 | 3,50 | 8,00 | Không đạt" in finding.evidence
    assert [a.original_name for a in finding.attachments.all()] == [f"so-lieu-muc-tieu-{objective.pk}.txt"]
    action = CorrectiveAction.objects.get(finding=finding)
    assert (action.owner, action.due_date, action.state) == (cast["officer"], datetime.date(2026, 4, 30), "open")
    audit = Audit.objects.get(pk=finding.audit_id)
    assert (audit.state, audit.programme.year, audit.lead_auditor) == ("in_progress", 2026, cast["auditor"])
    assert set(audit.checklist.values_list("result", flat=True)) == {
        ChecklistItem.Result.NONCONFORMING, ChecklistItem.Result.CONFORMING}
    assert [m["status"] for m in record.figures] == ["met", "at_risk", "missed"]
    with pytest.raises(ServiceQualityError) as again:
        services.objective_raise_nonconformity(objective=objective, actor=cast["auditor"], owner=cast["officer"],
                                               due_date=datetime.date(2026, 4, 30), today=TODAY)
    assert again.value.messages == [
        f"Mục tiêu đã có điểm không phù hợp đang được khắc phục ({finding})."]


def test_raising_is_refused_for_a_met_objective_a_non_auditor_and_an_auditor_of_the_department(
        cast, org, objective):
    add_month(cast["officer"], 1)
    with pytest.raises(ServiceQualityError) as met:
        services.objective_raise_nonconformity(objective=objective, actor=cast["auditor"], owner=cast["officer"],
                                               due_date=datetime.date(2026, 4, 30), today=TODAY)
    assert met.value.messages == [
        "Mục tiêu đang ở trạng thái “Đạt”: chỉ nêu điểm không phù hợp khi số liệu không đạt hoặc "
        "có nguy cơ không đạt chỉ tiêu."]
    add_month(cast["officer"], 2)
    with pytest.raises(ServiceQualityError, match="Bạn không có quyền thực hiện thao tác này."):
        services.objective_raise_nonconformity(objective=objective, actor=cast["central"], owner=cast["officer"],
                                               due_date=datetime.date(2026, 4, 30), today=TODAY)
    own = UserFactory(username="auditor_a", role=roles.INTERNAL_AUDITOR, department=org["a"])
    with pytest.raises(Exception, match="không được đánh giá đơn vị của chính mình"):
        services.objective_raise_nonconformity(objective=objective, actor=own, owner=cast["officer"],
                                               due_date=datetime.date(2026, 4, 30), today=TODAY)
    assert not Finding.objects.exists()


def test_the_owner_revises_an_objective_and_a_stranger_may_not(cast, objective):
    services.objective_update(objective=objective, actor=cast["officer"], title="Trễ hạn đất đai dưới 2,5 %",
                              comparison="le", target=Decimal("2.5"), owner=cast["officer2"], **PLAN)
    objective.refresh_from_db()
    assert (objective.title, objective.target_text, objective.owner) == (
        "Trễ hạn đất đai dưới 2,5 %", "≤ 2,50 %", cast["officer2"])
    assert objective.history.first().history_change_reason == "Sửa mục tiêu chất lượng"
    with pytest.raises(ServiceQualityError, match="Bạn không có quyền thực hiện thao tác này."):
        services.objective_update(objective=objective, actor=cast["officer_b"], title="X", comparison="lt",
                                  target=Decimal("3"), owner=cast["officer_b"], **PLAN)
