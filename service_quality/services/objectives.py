"""Quality objectives (6.2): creating and revising them, manual readings, and the
nonconformity raised from an objective whose figures break it (through the
audits app's services: the finding and its corrective action live there)."""

import datetime
import json
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from audits import services as audit_services
from audits.models import AuditProgramme, ChecklistItem
from qms.models import Clause, OrgUnit, Sector

from .. import permissions
from ..exceptions import ServiceQualityError
from ..formatting import vn_number
from ..models import (
    Comparison,
    Indicator,
    ObjectiveNonconformity,
    ObjectiveReading,
    QualityObjective,
    Scope,
)
from ._common import deny, save, text

PLAN_FIELDS = ("plan_actions", "plan_resources", "plan_responsible", "plan_due", "plan_evaluation")


def _check(*, year, title, indicator, scope, department, field, comparison, target, owner, plan) -> None:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ServiceQualityError(_("Năm %(year)s không hợp lệ."), code="year", params={"year": year})
    if not title:
        raise ServiceQualityError(_("Hãy nêu mục tiêu."), code="title")
    if indicator not in Indicator.values:
        raise ServiceQualityError(_("Chỉ số không hợp lệ."), code="indicator")
    if comparison not in Comparison.values:
        raise ServiceQualityError(_("Cách so sánh với chỉ tiêu không hợp lệ."), code="comparison")
    if target is None or not isinstance(target, Decimal | int):
        raise ServiceQualityError(_("Hãy nhập chỉ tiêu."), code="target")
    if indicator != Indicator.MANUAL and not (0 <= Decimal(target) <= 100):
        raise ServiceQualityError(_("Chỉ tiêu tỷ lệ phải từ 0 đến 100 %."), code="target")
    if scope == Scope.FIELD and field is None:
        raise ServiceQualityError(_("Hãy chọn lĩnh vực của mục tiêu."), code="field")
    if scope == Scope.DEPARTMENT and department is None:
        raise ServiceQualityError(_("Hãy chọn đơn vị của mục tiêu."), code="department")
    if scope not in Scope.values:
        raise ServiceQualityError(_("Phạm vi không hợp lệ."), code="scope")
    if owner is None or not owner.is_active:
        raise ServiceQualityError(_("Hãy chọn cán bộ theo dõi mục tiêu."), code="owner")
    if not plan["plan_actions"] or not plan["plan_responsible"] or not plan["plan_evaluation"]:
        raise ServiceQualityError(
            _("Kế hoạch thực hiện cần nêu việc sẽ làm, người thực hiện và cách đánh giá kết quả."),
            code="plan")
    if plan["plan_due"] is None:
        raise ServiceQualityError(_("Hãy nhập thời hạn hoàn thành kế hoạch."), code="plan_due")


def _plan(values) -> dict:
    return {
        "plan_actions": text(values.get("plan_actions")),
        "plan_resources": text(values.get("plan_resources")),
        "plan_responsible": text(values.get("plan_responsible")),
        "plan_due": values.get("plan_due"),
        "plan_evaluation": text(values.get("plan_evaluation")),
    }


def _scoped(scope, department, field):
    if scope == Scope.FIELD:
        return None, field
    if scope == Scope.DEPARTMENT:
        return department, None
    return None, None


@transaction.atomic
def objective_create(
    *, actor, year: int, title: str, indicator: str, scope: str, comparison: str, target,
    owner, department: OrgUnit | None = None, field: Sector | None = None,
    unit_label: str = "%", **plan,
) -> QualityObjective:
    """A quality objective for a year with its plan (6.2.2). The owner (the officer
    who follows it) sees it in their task list when it is missed or at risk."""
    department, field = _scoped(scope, department, field)
    scope_unit = field.department if field is not None else department
    if not permissions.can_create_objective(actor, scope=scope, department=scope_unit):
        deny()
    title = text(title)
    plan = _plan(plan)
    _check(year=year, title=title, indicator=indicator, scope=scope, department=department,
           field=field, comparison=comparison, target=target, owner=owner, plan=plan)
    objective = QualityObjective(
        year=year, title=title, indicator=indicator, scope=scope, department=department, field=field,
        comparison=comparison, target=Decimal(target), unit_label=text(unit_label) or "%",
        owner=owner, created_by=actor, **plan,
    )
    save(objective, actor=actor, reason=_("Lập mục tiêu chất lượng"))
    return objective


@transaction.atomic
def objective_update(*, objective: QualityObjective, actor, title: str, comparison: str, target,
                     owner, **plan) -> QualityObjective:
    """Revise an objective's wording, target, owner or plan (its year, indicator and
    scope stay: a different objective is a new one)."""
    objective = QualityObjective.objects.select_for_update(of=("self",)).select_related("field__department").get(
        pk=objective.pk)
    if not permissions.can_change_objective(actor, objective):
        deny()
    title, plan = text(title), _plan(plan)
    _check(year=objective.year, title=title, indicator=objective.indicator, scope=objective.scope,
           department=objective.department, field=objective.field, comparison=comparison,
           target=target, owner=owner, plan=plan)
    objective.title, objective.comparison, objective.target = title, comparison, Decimal(target)
    objective.owner = owner
    for name, value in plan.items():
        setattr(objective, name, value)
    save(objective, actor=actor, reason=_("Sửa mục tiêu chất lượng"))
    return objective


@transaction.atomic
def objective_reading_record(*, objective: QualityObjective, actor, month: int, value, note: str = ""
                             ) -> ObjectiveReading:
    """The measured value of a manual objective for a month (replaces that month's)."""
    objective = QualityObjective.objects.select_for_update(of=("self",)).select_related("field__department").get(
        pk=objective.pk)
    if not permissions.can_change_objective(actor, objective):
        deny()
    if objective.indicator != Indicator.MANUAL:
        raise ServiceQualityError(
            _("Mục tiêu này được tính từ số liệu, không nhập kết quả bằng tay."), code="indicator")
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ServiceQualityError(_("Tháng không hợp lệ."), code="month")
    if value is None:
        raise ServiceQualityError(_("Hãy nhập giá trị đo được."), code="value")
    reading = ObjectiveReading.objects.filter(objective=objective, month=month).first()
    reading = reading or ObjectiveReading(objective=objective, month=month)
    reading.value, reading.note, reading.recorded_by = Decimal(value), text(note), actor
    save(reading, actor=actor, reason=_("Ghi kết quả đo mục tiêu"))
    return reading


# ---------------------------------------------------------------- nonconformity


def _programme(actor, year: int) -> AuditProgramme:
    programme = AuditProgramme.objects.filter(year=year).first()
    if programme is None:
        programme = audit_services.programme_create(actor=actor, year=year)
    return programme


def figures_text(objective, state) -> str:
    """The figures attached to the nonconformity, as plain text (one line a month)."""
    lines = [
        _("Mục tiêu: %(title)s (%(year)s), chỉ tiêu %(target)s") % {
            "title": objective.title, "year": objective.year, "target": objective.target_text},
        _("Tháng | Lũy kế từ đầu năm | Trong tháng | Đánh giá"),
    ]
    for m in state["monthly"]:
        lines.append(f"{m['month']:02d}/{objective.year} | {vn_number(m['to_date'])}"
                     f" | {vn_number(m['value'])} | {m['status_label']}")
    return "\n".join(lines)


@transaction.atomic
def objective_raise_nonconformity(*, objective: QualityObjective, actor, owner, due_date: datetime.date,
                                  today: datetime.date | None = None) -> ObjectiveNonconformity:
    """Raise a nonconformity (10.2) from an objective whose figures break it, in one step.

    Through the audits services, as the acting internal auditor: an audit of the
    responsible department in this year's audit programme (created if missing),
    scope clauses 6.2 and 9.1.3, started, its checklist answered (6.2 not
    conforming, with the figures), and a minor nonconformity with its corrective
    action owned by `owner` (a person of that department) due on `due_date`, the
    figures attached as a text file. The audits' rules hold: the auditor may not
    audit their own department. Refused while an earlier nonconformity of the
    objective is still open, or when the objective is met.
    """
    from ..selectors.objectives import AT_RISK, MISSED, with_status
    from ..selectors.report import Visibility

    objective = QualityObjective.objects.select_for_update().get(pk=objective.pk)
    if not permissions.can_raise_nonconformity(actor, objective):
        deny()
    [objective] = with_status(
        QualityObjective.objects.filter(pk=objective.pk).select_related("field__department", "department"),
        visibility=Visibility.everything())
    state = objective.state
    if state["status"] not in (MISSED, AT_RISK):
        raise ServiceQualityError(
            _("Mục tiêu đang ở trạng thái “%(status)s”: chỉ nêu điểm không phù hợp khi số liệu "
              "không đạt hoặc có nguy cơ không đạt chỉ tiêu."),
            code="status", params={"status": state["status_label"]})
    if objective.open_nonconformity is not None:
        raise ServiceQualityError(
            _("Mục tiêu đã có điểm không phù hợp đang được khắc phục (%(finding)s)."),
            code="duplicate", params={"finding": str(objective.open_nonconformity.finding)})
    department = permissions.objective_department(objective) or (owner.department if owner else None)
    if department is None:
        raise ServiceQualityError(_("Hãy chọn người chịu trách nhiệm khắc phục."), code="owner")
    today = today or timezone.localdate()
    figures = figures_text(objective, state)
    statement = _("Mục tiêu chất lượng “%(title)s” năm %(year)s %(status)s: %(value)s %(unit)s "
                  "(lũy kế đến tháng %(month)s/%(year)s), chỉ tiêu %(target)s.") % {
        "title": objective.title, "year": objective.year, "status": state["status_label"].lower(),
        "value": vn_number(state["value"]), "unit": objective.unit_label, "month": state["month"],
        "target": objective.target_text}
    audit = audit_services.audit_create(
        actor=actor, programme=_programme(actor, today.year),
        title=_("Theo dõi mục tiêu chất lượng: %(title)s") % {"title": objective.title},
        departments=[department], planned_start=today, planned_end=today,
        lead_auditor=actor, team=[], clause_numbers=["6.2", "9.1.3"],
        objectives=_("Điểm không phù hợp nêu từ số liệu theo dõi mục tiêu chất lượng (9.1.3, 10.2)."),
    )
    audit = audit_services.audit_start(audit=audit, actor=actor)
    for item in audit.checklist.select_related("clause").order_by("position"):
        nonconforming = item.clause is not None and item.clause.number == "6.2"
        audit_services.checklist_item_answer(
            item=item, actor=actor,
            result=ChecklistItem.Result.NONCONFORMING if nonconforming else ChecklistItem.Result.CONFORMING,
            notes=statement if nonconforming else _("Số liệu được theo dõi, phân tích hằng tháng."),
        )
    finding = audit_services.finding_record(
        audit=audit, actor=actor, grade="minor", statement=statement, evidence=figures,
        clause=Clause.objects.get(edition__year=2015, number="6.2"), department=department,
        action_owner=owner, action_due=due_date,
        attachments=[(f"so-lieu-muc-tieu-{objective.pk}.txt", figures.encode("utf-8"))],
    )
    record = ObjectiveNonconformity(
        objective=objective, finding=finding, raised_by=actor,
        figures=json.loads(json.dumps(state["monthly"], default=str)),
    )
    save(record, actor=actor, reason=_("Nêu điểm không phù hợp từ mục tiêu"))
    # The objective's owner follows the corrective action too.
    assign_perm("audits.view_audit", objective.owner, audit)
    return record
