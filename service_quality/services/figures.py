"""Fields, reporting units, online targets, monthly dossier figures and their
publication. Every function is one transaction and writes history rows."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from qms.models import OrgUnit, Sector

from .. import permissions
from ..exceptions import ServiceQualityError
from ..importing import RowError, RowsRefused, parse_count, parse_period
from ..models import (
    COUNT_FIELDS,
    DossierStat,
    OnlineTarget,
    PublishedPeriod,
    ReportingUnit,
    period_label,
)
from ._common import deny, officers_of, save, text

STAT_COLUMNS = ("period", "department", "field", *COUNT_FIELDS)


def column_labels() -> dict[str, str]:
    return {f: str(DossierStat._meta.get_field(f).verbose_name) for f in COUNT_FIELDS}


# ---------------------------------------------------------------- units and fields


def _enrol(unit: OrgUnit, actor) -> ReportingUnit:
    reporting, created = ReportingUnit.objects.get_or_create(unit=unit)
    if created:
        reporting._history_user = actor
        reporting.save()
    officers = officers_of([unit.pk])
    for perm in permissions.UNIT_PERMS:
        if officers:
            assign_perm(perm, officers, reporting)
    return reporting


@transaction.atomic
def reporting_unit_enrol(*, unit: OrgUnit, actor) -> ReportingUnit:
    """Make a department a reporting unit (idempotent) and grant its current active
    quality officers `enter_figures` and `view_figures` on it. Run again after a new
    officer joins the department."""
    if not permissions.can_manage_fields(actor):
        deny()
    return _enrol(unit, actor)


@transaction.atomic
def reporting_unit_grant(*, unit: OrgUnit, actor, user, enter: bool) -> ReportingUnit:
    """Let one person read (and, with `enter`, enter) a department's figures."""
    if not permissions.can_manage_fields(actor):
        deny()
    reporting = _enrol(unit, actor)
    assign_perm(permissions.VIEW, user, reporting)
    if enter:
        assign_perm(permissions.ENTER, user, reporting)
    return reporting


def _check_field(code: str, name: str, department) -> None:
    if not code:
        raise ServiceQualityError(_("Hãy nhập mã lĩnh vực."), code="code")
    if not name:
        raise ServiceQualityError(_("Hãy nhập tên lĩnh vực."), code="name")
    if department is None:
        raise ServiceQualityError(_("Hãy chọn đơn vị giải quyết."), code="department")


@transaction.atomic
def field_create(*, actor, code: str, name: str, department: OrgUnit) -> Sector:
    """A field of procedures handled by a department (enrolled as a reporting unit).
    The procedures that govern it name it themselves (procedure_set_sectors)."""
    if not permissions.can_manage_fields(actor):
        deny()
    code, name = text(code).lower(), text(name)
    _check_field(code, name, department)
    field = Sector(code=code, name=name, department=department)
    try:
        with transaction.atomic():
            save(field, actor=actor, reason=_("Thêm lĩnh vực"))
    except IntegrityError:
        raise ServiceQualityError(
            _("Mã lĩnh vực “%(code)s” đã có."), code="duplicate", params={"code": code}
        ) from None
    _enrol(department, actor)
    return field


@transaction.atomic
def field_update(*, field: Sector, actor, name: str, department: OrgUnit) -> Sector:
    if not permissions.can_manage_fields(actor):
        deny()
    field = Sector.objects.select_for_update().get(pk=field.pk)
    name = text(name)
    _check_field(field.code, name, department)
    field.name, field.department = name, department
    save(field, actor=actor, reason=_("Sửa lĩnh vực"))
    _enrol(department, actor)
    return field


@transaction.atomic
def online_target_set(*, actor, year: int, department: OrgUnit, target: int) -> OnlineTarget:
    """The province's target of level-3 online dossiers for a unit and a year."""
    if not permissions.can_set_targets(actor):
        deny()
    if not isinstance(target, int) or target < 0:
        raise ServiceQualityError(_("Chỉ tiêu phải là số nguyên không âm."), code="target")
    item = OnlineTarget.objects.select_for_update().filter(year=year, department=department).first()
    if item is None:
        item = OnlineTarget(year=year, department=department, target=target, set_by=actor)
    elif item.target == target:
        return item
    item.target, item.set_by = target, actor
    save(item, actor=actor, reason=_("Đặt chỉ tiêu hồ sơ trực tuyến"))
    return item


# ---------------------------------------------------------------- dossier figures


def check_counts(counts: dict) -> list[str]:
    """The rules within one row: no negative count, online within received,
    resolved within what there was to resolve, the balance, apologies for late ones."""
    labels = column_labels()
    errors = [
        _("“%(column)s” không được âm (%(value)s).") % {"column": labels[name], "value": value}
        for name, value in counts.items() if value < 0
    ]
    if errors:
        return errors
    c = counts
    to_resolve = c["carried_over"] + c["received"]
    resolved = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
    pending = c["pending_in_time"] + c["pending_overdue"]
    online = c["received_online_l3"] + c["received_online_l4"]
    if online > c["received"]:
        errors.append(_("hồ sơ trực tuyến (%(online)s) nhiều hơn hồ sơ tiếp nhận mới (%(received)s).")
                      % {"online": online, "received": c["received"]})
    if resolved > to_resolve:
        errors.append(_("số đã giải quyết (%(resolved)s) nhiều hơn số phải giải quyết (%(total)s = "
                        "kỳ trước chuyển sang + tiếp nhận mới).")
                      % {"resolved": resolved, "total": to_resolve})
    elif resolved + pending != to_resolve:
        errors.append(_("số liệu không cân đối: kỳ trước chuyển sang + tiếp nhận mới = %(left)s, "
                        "nhưng đã giải quyết + đang giải quyết = %(right)s.")
                      % {"left": to_resolve, "right": resolved + pending})
    if c["apologies"] > c["resolved_late"] + c["pending_overdue"]:
        errors.append(_("số thư xin lỗi (%(apologies)s) nhiều hơn số hồ sơ trễ hạn, quá hạn (%(late)s).")
                      % {"apologies": c["apologies"], "late": c["resolved_late"] + c["pending_overdue"]})
    return errors


@dataclass
class StatRow:
    """A checked row about to be saved."""

    line: int | None
    year: int
    month: int
    department: OrgUnit
    field: Sector
    counts: dict

    @property
    def key(self):
        return (self.department.pk, self.field.pk, self.year, self.month)

    @property
    def pending(self) -> int:
        return self.counts["pending_in_time"] + self.counts["pending_overdue"]


def _previous(year, month):
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _next(year, month):
    return (year + 1, 1) if month == 12 else (year, month + 1)


def published_months(years) -> set[tuple[int, int]]:
    return set(
        PublishedPeriod.objects.filter(year__in=years, published=True).values_list("year", "month")
    )


def _parse_rows(actor, items, errors) -> list[StatRow]:
    """Text cells to StatRows; what is wrong goes to `errors` with its line."""
    codes = {(v.get("department") or "").strip().lower() for _line, v in items}
    fields = {(v.get("field") or "").strip().lower() for _line, v in items}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    known_fields = {f.code: f for f in Sector.objects.filter(code__in=fields)}
    labels = column_labels()
    rows = []
    for line, values in items:
        problems = []
        period = parse_period(values.get("period", ""))
        if period is None:
            problems.append(_("kỳ “%(value)s” không hợp lệ (YYYY-MM).") % {"value": values.get("period", "")})
        code = (values.get("department") or "").strip().lower()
        unit = units.get(code)
        if unit is None:
            problems.append(_("không có đơn vị mã “%(code)s”.") % {"code": values.get("department", "")})
        elif not permissions.can_enter(actor, unit):
            problems.append(_("bạn không được nhập số liệu của %(department)s.") % {"department": unit.name})
        field = known_fields.get((values.get("field") or "").strip().lower())
        if field is None:
            problems.append(_("không có lĩnh vực mã “%(code)s”.") % {"code": values.get("field", "")})
        counts = {}
        for name in COUNT_FIELDS:
            raw = values.get(name, "")
            number = parse_count(raw) if not isinstance(raw, int) else raw
            if number is None:
                problems.append(_("“%(column)s” phải là số nguyên (“%(value)s”).")
                                % {"column": labels[name], "value": raw})
            counts[name] = number
        if None not in counts.values():
            problems.extend(check_counts(counts))
        if problems:
            errors.extend(RowError(line, p) for p in problems)
            continue
        rows.append(StatRow(line, period[0], period[1], unit, field, counts))
    return rows


def _check_against_database(rows: list[StatRow], *, replace: bool, errors, existing_pk=None) -> dict:
    """Duplicates, locked months and carry-over against the file and the database.
    Returns the existing rows to update {key: DossierStat}."""
    seen: dict[tuple, StatRow] = {}
    for row in rows:
        if row.key in seen:
            errors.append(RowError(row.line, _(
                "trùng kỳ %(period)s, đơn vị, lĩnh vực với dòng %(other)s.") % {
                "period": period_label(row.year, row.month), "other": seen[row.key].line}))
        else:
            seen[row.key] = row
    if not rows:
        return {}
    years = {r.year for r in rows} | {r.year - 1 for r in rows} | {r.year + 1 for r in rows}
    stored = {
        (s.department_id, s.field_id, s.year, s.month): s
        for s in DossierStat.objects.filter(
            department__in={r.department.pk for r in rows},
            field__in={r.field.pk for r in rows},
            year__in=years,
        )
    }
    locked = published_months({r.year for r in rows})
    to_update = {}
    for row in rows:
        label = period_label(row.year, row.month)
        if (row.year, row.month) in locked:
            errors.append(RowError(row.line, _(
                "kỳ %(period)s đã được công bố; cần rút lại công bố trước khi sửa số liệu.")
                % {"period": label}))
        current = stored.get(row.key)
        if current is not None and current.pk != existing_pk:
            if replace:
                to_update[row.key] = current
            else:
                errors.append(RowError(row.line, _(
                    "số liệu kỳ %(period)s của %(department)s, lĩnh vực %(field)s đã có (trùng kỳ).")
                    % {"period": label, "department": row.department.name, "field": row.field.name}))
        elif current is not None:
            to_update[row.key] = current

    def pending_of(key):
        if key in seen:
            return seen[key].pending, seen[key].line
        if key in stored:
            return stored[key].pending, None
        return None, None

    for row in rows:
        d, f = row.department.pk, row.field.pk
        prev_key = (d, f, *_previous(row.year, row.month))
        pending, _line = pending_of(prev_key)
        if pending is not None and pending != row.counts["carried_over"]:
            errors.append(RowError(row.line, _(
                "số kỳ trước chuyển sang (%(carried)s) khác số còn đang giải quyết cuối kỳ %(period)s "
                "(%(pending)s).") % {"carried": row.counts["carried_over"],
                                     "period": period_label(*prev_key[2:]), "pending": pending}))
        next_key = (d, f, *_next(row.year, row.month))
        if next_key not in seen and next_key in stored:
            following = stored[next_key]
            if following.carried_over != row.pending:
                errors.append(RowError(row.line, _(
                    "kỳ %(period)s đã nhập với số chuyển sang %(carried)s, khác số còn đang giải quyết "
                    "cuối kỳ này (%(pending)s).") % {"period": period_label(*next_key[2:]),
                                                    "carried": following.carried_over,
                                                    "pending": row.pending}))
    return to_update


@dataclass
class ImportSummary:
    created: int
    updated: int


def _save_rows(rows, to_update, *, actor, source, reason) -> ImportSummary:
    created = updated = 0
    for row in sorted(rows, key=lambda r: (r.year, r.month)):
        stat = to_update.get(row.key)
        if stat is None:
            stat = DossierStat(year=row.year, month=row.month, department=row.department, field=row.field)
            created += 1
        else:
            updated += 1
        for name, value in row.counts.items():
            setattr(stat, name, value)
        stat.source, stat.entered_by = source, actor
        save(stat, actor=actor, reason=reason)
    return ImportSummary(created, updated)


@transaction.atomic
def stats_import(*, actor, items: list[tuple[int, dict]], replace: bool = False,
                 source: str = DossierStat.Source.IMPORT) -> ImportSummary:
    """Import rows of dossier figures ((line, {column: text}) from importing.read_rows):
    all or nothing. Every row is checked (format, department and field known and
    enterable by the actor, balance, duplicates in the file and in the database,
    published months, carry-over from the month before and into the month after)
    before any is saved; the refusal lists every bad row with its line."""
    if not permissions.can_enter_any(actor):
        deny()
    errors: list[RowError] = []
    rows = _parse_rows(actor, items, errors)
    to_update = _check_against_database(rows, replace=replace, errors=errors)
    if errors:
        raise RowsRefused(sorted(errors, key=lambda e: (e.line or 0)))
    return _save_rows(rows, to_update, actor=actor, source=source,
                      reason=_("Nhập số liệu từ tệp") if source == DossierStat.Source.IMPORT
                      else _("Nhập số liệu trên biểu mẫu"))


@transaction.atomic
def stat_save(*, actor, department: OrgUnit, field: Sector, year: int, month: int,
              counts: dict, stat: DossierStat | None = None) -> DossierStat:
    """One month's figures typed in the form: a new row, or a correction of `stat`
    (same checks as an import)."""
    if stat is not None:
        stat = DossierStat.objects.select_for_update().get(pk=stat.pk)
        if not permissions.can_enter(actor, stat.department):
            deny()
    if not permissions.can_enter(actor, department):
        deny()
    errors: list[RowError] = []
    labels = column_labels()
    for name in COUNT_FIELDS:
        if not isinstance(counts.get(name), int):
            errors.append(RowError(None, _("Hãy nhập “%(column)s”.") % {"column": labels[name]}))
    if errors:
        raise RowsRefused(errors)
    problems = check_counts(counts)
    if problems:
        raise RowsRefused([RowError(None, p[:1].upper() + p[1:]) for p in problems])
    row = StatRow(None, year, month, department, field, dict(counts))
    to_update = _check_against_database(
        [row], replace=False, errors=errors, existing_pk=stat.pk if stat else None)
    if stat is not None and (stat.department_id, stat.field_id, stat.year, stat.month) != row.key:
        raise ServiceQualityError(_("Không đổi kỳ, đơn vị hoặc lĩnh vực của số liệu đã nhập."), code="key")
    if errors:
        raise RowsRefused([RowError(None, e.message[:1].upper() + e.message[1:]) for e in errors])
    _save_rows([row], to_update, actor=actor, source=DossierStat.Source.FORM,
               reason=_("Sửa số liệu trên biểu mẫu") if stat else _("Nhập số liệu trên biểu mẫu"))
    return DossierStat.objects.get(department=department, field=field, year=year, month=month)


# ---------------------------------------------------------------- publication


@transaction.atomic
def period_publish(*, actor, year: int, month: int) -> PublishedPeriod:
    """Publish a month: its figures join the summary everyone reads, and are locked."""
    if not permissions.can_publish(actor):
        deny()
    label = period_label(year, month)
    if not DossierStat.objects.filter(year=year, month=month).exists():
        raise ServiceQualityError(_("Chưa có số liệu kỳ %(period)s để công bố."), code="empty",
                                  params={"period": label})
    item = PublishedPeriod.objects.select_for_update().filter(year=year, month=month).first()
    if item is not None and item.published:
        raise ServiceQualityError(_("Kỳ %(period)s đã được công bố."), code="state", params={"period": label})
    item = item or PublishedPeriod(year=year, month=month)
    item.published, item.published_by, item.published_at = True, actor, timezone.now()
    item.withdrawn_reason = ""
    save(item, actor=actor, reason=_("Công bố số liệu kỳ %(period)s") % {"period": label})
    return item


@transaction.atomic
def period_withdraw(*, actor, year: int, month: int, reason: str) -> PublishedPeriod:
    """Withdraw a publication so that the month's figures may be corrected."""
    if not permissions.can_publish(actor):
        deny()
    label = period_label(year, month)
    item = PublishedPeriod.objects.select_for_update().filter(year=year, month=month, published=True).first()
    if item is None:
        raise ServiceQualityError(_("Kỳ %(period)s chưa được công bố."), code="state", params={"period": label})
    reason = text(reason)
    if not reason:
        raise ServiceQualityError(_("Hãy nêu lý do rút lại công bố."), code="reason")
    item.published, item.withdrawn_reason = False, reason
    save(item, actor=actor, reason=_("Rút lại công bố kỳ %(period)s: %(reason)s") % {
        "period": label, "reason": reason})
    return item

