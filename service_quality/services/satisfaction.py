"""Satisfaction surveys of citizens (9.1.2): typed in a form or imported from a file."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from qms.models import OrgUnit

from .. import permissions
from ..importing import RowError, RowsRefused, parse_count, parse_percent, parse_period
from ..models import SatisfactionSurvey, period_label
from ._common import deny, save, text

# File column -> model field.
GROUP_COLUMNS = {
    "access": "access_pct",
    "procedures": "procedures_pct",
    "civil_servants": "staff_pct",
    "results": "results_pct",
    "feedback": "feedback_pct",
}
SURVEY_COLUMNS = ("period", "department", "respondents", *GROUP_COLUMNS)


def _group_label(name: str) -> str:
    return str(SatisfactionSurvey._meta.get_field(name).verbose_name)


def check_survey(respondents, shares: dict) -> list[str]:
    errors = []
    if respondents is None or respondents <= 0:
        errors.append(_("số người trả lời phải là số nguyên dương."))
    for name, value in shares.items():
        if value is None or not (Decimal(0) <= value <= Decimal(100)):
            errors.append(_("“%(group)s” phải là tỷ lệ từ 0 đến 100.") % {"group": _group_label(name)})
    return errors


def _save(actor, *, department, year, month, respondents, shares, comments, replace) -> tuple[SatisfactionSurvey, bool]:
    survey = SatisfactionSurvey.objects.filter(department=department, year=year, month=month).first()
    created = survey is None
    if survey is None:
        survey = SatisfactionSurvey(department=department, year=year, month=month)
    survey.respondents = respondents
    for name, value in shares.items():
        setattr(survey, name, value.quantize(Decimal("0.01")))
    survey.comments, survey.entered_by = text(comments), actor
    save(survey, actor=actor, reason=_("Nhập kết quả khảo sát sự hài lòng"))
    return survey, created


@transaction.atomic
def survey_save(*, actor, department: OrgUnit, year: int, month: int, respondents: int,
                shares: dict, comments: str = "") -> SatisfactionSurvey:
    """A survey's results for a unit and a month (a second entry replaces the first)."""
    if not permissions.can_enter(actor, department):
        deny()
    errors = check_survey(respondents, shares)
    if errors:
        raise RowsRefused([RowError(None, e[:1].upper() + e[1:]) for e in errors])
    survey, _created = _save(actor, department=department, year=year, month=month,
                             respondents=respondents, shares=shares, comments=comments, replace=True)
    return survey


@transaction.atomic
def surveys_import(*, actor, items: list[tuple[int, dict]]) -> int:
    """Import survey results, all or nothing (a bad row names its line)."""
    if not permissions.can_enter_any(actor):
        deny()
    codes = {(v.get("department") or "").strip().lower() for _l, v in items}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    errors, rows, seen = [], [], {}
    for line, values in items:
        problems = []
        period = parse_period(values.get("period", ""))
        if period is None:
            problems.append(_("kỳ “%(value)s” không hợp lệ (YYYY-MM).") % {"value": values.get("period", "")})
        unit = units.get((values.get("department") or "").strip().lower())
        if unit is None:
            problems.append(_("không có đơn vị mã “%(code)s”.") % {"code": values.get("department", "")})
        elif not permissions.can_enter(actor, unit):
            problems.append(_("bạn không được nhập số liệu của %(department)s.") % {"department": unit.name})
        respondents = parse_count(values.get("respondents", ""))
        shares = {field: parse_percent(values.get(column, "")) for column, field in GROUP_COLUMNS.items()}
        problems.extend(check_survey(respondents, shares))
        if not problems:
            key = (unit.pk, *period)
            if key in seen:
                problems.append(_("trùng kỳ %(period)s và đơn vị với dòng %(other)s.") % {
                    "period": period_label(*period), "other": seen[key]})
            seen[key] = line
        if problems:
            errors.extend(RowError(line, p) for p in problems)
            continue
        rows.append((unit, period, respondents, shares, values.get("comments", "")))
    if errors:
        raise RowsRefused(errors)
    for unit, (year, month), respondents, shares, comments in rows:
        _save(actor, department=unit, year=year, month=month, respondents=respondents, shares=shares,
              comments=comments, replace=True)
    return len(rows)
