"""Quality objectives and their status, computed from the figures month by month.

For each month k that has figures in the objective's scope: the value over the
year so far (months 1..k) and the value of month k alone. Status at month k:
- missed ("không đạt"): the value of the year so far breaks the target;
- at risk ("có nguy cơ"): the year so far meets it but month k breaks it;
- met ("đạt"): both meet it.
The trend compares month k with the month before. An objective's status is its
status at the latest month with figures.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import (
    Comparison,
    Indicator,
    ObjectiveNonconformity,
    ObjectiveReading,
    QualityObjective,
    SatisfactionSurvey,
    Scope,
)
from .report import Visibility, stat_rows, totals_over

MET, AT_RISK, MISSED, NO_DATA = "met", "at_risk", "missed", "no_data"
STATUS_LABELS = {
    MET: _("Đạt"),
    AT_RISK: _("Có nguy cơ không đạt"),
    MISSED: _("Không đạt"),
    NO_DATA: _("Chưa có số liệu"),
}
BETTER, WORSE, STEADY = "better", "worse", "steady"
TREND_LABELS = {BETTER: _("tốt lên"), WORSE: _("xấu đi"), STEADY: _("không đổi")}


def breaks(objective, value: Decimal | None) -> bool | None:
    """Whether a value breaks the objective's target (None when there is no value)."""
    if value is None:
        return None
    target = objective.target
    return {
        Comparison.LT: value >= target,
        Comparison.LE: value > target,
        Comparison.GT: value <= target,
        Comparison.GE: value < target,
    }[objective.comparison]


def _lower_is_better(objective) -> bool:
    return objective.comparison in (Comparison.LT, Comparison.LE)


def satisfaction_share(surveys) -> Decimal | None:
    """The share satisfied over surveys: each survey's mean of its five question
    groups, weighted by its respondents; two decimals, half up."""
    weight = sum(s.respondents for s in surveys)
    if not weight:
        return None
    total = sum(
        (sum(getattr(s, g) for g in SatisfactionSurvey.GROUPS) / Decimal(5)) * s.respondents
        for s in surveys
    )
    return (total / Decimal(weight)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _in_scope_rows(objective, rows):
    if objective.scope == Scope.FIELD:
        return [r for r in rows if r[3] == objective.field_id]
    if objective.scope == Scope.DEPARTMENT:
        return [r for r in rows if r[2] == objective.department_id]
    return rows


def _in_scope_surveys(objective, surveys):
    if objective.scope == Scope.COMMITTEE:
        return surveys
    department_id = permissions.objective_department(objective).pk
    return [s for s in surveys if s.department_id == department_id]


def _figure(objective, totals):
    return {
        Indicator.LATE_RATE: totals.late_pct,
        Indicator.RESOLVED_RATE: totals.resolved_pct,
        Indicator.ONLINE_SHARE: totals.online_share_pct,
    }[objective.indicator]


def _values(objective, rows, surveys, readings) -> list[tuple[int, Decimal | None, Decimal | None]]:
    """(month, value of the year so far, value of the month) for each month with data."""
    if objective.indicator == Indicator.MANUAL:
        # A manual reading is already the value to date; it is both.
        return [(r.month, r.value, r.value) for r in sorted(readings, key=lambda r: r.month)]
    if objective.indicator == Indicator.SATISFACTION:
        mine = _in_scope_surveys(objective, surveys)
        months = sorted({s.month for s in mine})
        return [
            (m, satisfaction_share([s for s in mine if s.month <= m]),
             satisfaction_share([s for s in mine if s.month == m]))
            for m in months
        ]
    mine = _in_scope_rows(objective, rows)
    months = sorted({r[1] for r in mine})
    return [
        (m, _figure(objective, totals_over(mine, months=set(range(1, m + 1)))),
         _figure(objective, totals_over(mine, months={m})))
        for m in months
    ]


def status_of(objective, values) -> dict:
    """The monthly statuses, the latest status, value and trend of an objective."""
    monthly = []
    for month, to_date, alone in values:
        if breaks(objective, to_date):
            status = MISSED
        elif breaks(objective, alone):
            status = AT_RISK
        elif to_date is None:
            status = NO_DATA
        else:
            status = MET
        monthly.append({"month": month, "to_date": to_date, "value": alone, "status": status,
                        "status_label": STATUS_LABELS[status]})
    latest = monthly[-1] if monthly else None
    trend = None
    if len(monthly) >= 2 and monthly[-1]["value"] is not None and monthly[-2]["value"] is not None:
        now, before = monthly[-1]["value"], monthly[-2]["value"]
        if now == before:
            trend = STEADY
        else:
            trend = BETTER if (now < before) == _lower_is_better(objective) else WORSE
    status = latest["status"] if latest else NO_DATA
    return {
        "monthly": monthly,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "value": latest["to_date"] if latest else None,
        "month": latest["month"] if latest else None,
        "trend": trend,
        "trend_label": TREND_LABELS[trend] if trend else "",
    }


def objective_queryset() -> QuerySet:
    return (
        QualityObjective.objects.select_related("department", "field__department", "owner")
        .prefetch_related(
            Prefetch("readings", queryset=ObjectiveReading.objects.order_by("month")),
            Prefetch("nonconformities",
                     queryset=ObjectiveNonconformity.objects.select_related("finding__audit__programme",
                                                                            "finding__action")),
        )
    )


def with_status(objectives, *, visibility: Visibility) -> list:
    """The objectives, each with `.state` (status_of), in three queries whatever
    their number (rows of their years, surveys of their years)."""
    objectives = list(objectives)
    years = {o.year for o in objectives}
    if not objectives:
        return objectives
    rows_by_year = defaultdict(list)
    if any(o.indicator in (Indicator.LATE_RATE, Indicator.RESOLVED_RATE, Indicator.ONLINE_SHARE)
           for o in objectives):
        for row in stat_rows(years=years, visibility=visibility):
            rows_by_year[row[0]].append(row)
    surveys_by_year = defaultdict(list)
    if any(o.indicator == Indicator.SATISFACTION for o in objectives):
        for survey in SatisfactionSurvey.objects.filter(year__in=years):
            surveys_by_year[survey.year].append(survey)
    for objective in objectives:
        values = _values(objective, rows_by_year[objective.year], surveys_by_year[objective.year],
                         list(objective.readings.all()))
        objective.state = status_of(objective, values)
        objective.open_nonconformity = next(
            (n for n in objective.nonconformities.all()
             if getattr(n.finding, "action", None) is None or n.finding.action.state != "closed"),
            None,
        )
    return objectives


def objective_list(*, user, year: int | None = None) -> list:
    """Objectives are communicated to everyone with a role (6.2.1); their status is
    computed over the figures the reader may see."""
    from .report import visibility_for

    visibility = visibility_for(user)
    if visibility is None:
        return []
    qs = objective_queryset().order_by("-year", "scope", "pk")
    if year is not None:
        qs = qs.filter(year=year)
    return with_status(qs, visibility=visibility)


def objective_get(*, user, pk: int):
    from .report import visibility_for

    visibility = visibility_for(user)
    objective = objective_queryset().filter(pk=pk).first() if visibility else None
    if objective is None:
        raise Http404(pk)
    return with_status([objective], visibility=visibility)[0]
