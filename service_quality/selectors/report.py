"""The yearly report of dossier figures: totals, by field, by month, this year
beside last year. A fixed number of queries whatever the number of rows (one for
the rows of both years, one for the fields, one for the targets, one for the
published months); the sums are done in Python over plain tuples.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from qms.models import OrgUnit, Sector

from .. import permissions
from ..models import COUNT_FIELDS, DossierStat, OnlineTarget, PublishedPeriod
from ..rates import Totals

ROW_COLUMNS = ("year", "month", "department_id", "field_id", *COUNT_FIELDS)
_INDEX = {name: i for i, name in enumerate(ROW_COLUMNS)}


@dataclass(frozen=True)
class Visibility:
    """Which rows a reader sees: every row of the departments in `full_unit_ids`
    (None: of all departments), and the rows of published months elsewhere."""

    full_unit_ids: frozenset | None

    @classmethod
    def everything(cls) -> "Visibility":
        return cls(None)

    @property
    def restricted(self) -> bool:
        return self.full_unit_ids is not None


def visibility_for(user) -> Visibility | None:
    """None for someone who may not read the figures at all."""
    if not permissions.can_use(user):
        return None
    ids = permissions.full_view_unit_ids(user)
    return Visibility(None if ids is None else frozenset(ids))


def visible_stats(visibility: Visibility):
    qs = DossierStat.objects.all()
    if visibility.restricted:
        published = PublishedPeriod.objects.filter(
            year=OuterRef("year"), month=OuterRef("month"), published=True)
        qs = qs.filter(Q(department__in=visibility.full_unit_ids) | Q(Exists(published)))
    return qs


def stat_rows(*, years, visibility: Visibility, department: OrgUnit | None = None,
              field: Sector | None = None) -> list[tuple]:
    """The visible rows of these years as tuples in ROW_COLUMNS order (one query;
    the (year, month) index serves it)."""
    qs = visible_stats(visibility).filter(year__in=list(years))
    if department is not None:
        qs = qs.filter(department=department)
    if field is not None:
        qs = qs.filter(field=field)
    return list(qs.order_by().values_list(*ROW_COLUMNS))


def as_mapping(row: tuple) -> dict:
    return {name: row[i] for name, i in _INDEX.items()}


def _prev(year, month):
    return (year - 1, 12) if month == 1 else (year, month - 1)


def totals_over(rows, *, months=None) -> Totals:
    """Totals of rows of one period (a year, or the months listed): what was
    carried over counts only where a run of months of a (department, field)
    starts, never each month's carried-over figure."""
    if months is not None:
        rows = [r for r in rows if r[1] in months]
    keys = {(r[2], r[3], r[0], r[1]) for r in rows}
    totals = Totals()
    for r in rows:
        previous = (r[2], r[3], *_prev(r[0], r[1]))
        starts_run = previous[2] != r[0] or previous not in keys
        totals.add_row(as_mapping(r), starts_run=starts_run)
    return totals


def _group(rows, index):
    groups: dict = {}
    for r in rows:
        groups.setdefault(r[index], []).append(r)
    return groups


def _targets(year_list, department):
    qs = OnlineTarget.objects.filter(year__in=year_list)
    if department is not None:
        qs = qs.filter(department=department)
    result: dict[int, int] = {}
    for year, target in qs.values_list("year", "target"):
        result[year] = result.get(year, 0) + target
    return result


def report_data(*, year: int, visibility: Visibility, department: OrgUnit | None = None,
                field: Sector | None = None) -> dict:
    """Everything the report shows, for the page, the command, the charts and the PDF."""
    rows = stat_rows(years=(year - 1, year), visibility=visibility, department=department, field=field)
    by_year = _group(rows, 0)
    current, previous = by_year.get(year, []), by_year.get(year - 1, [])
    targets = _targets((year - 1, year), department) if field is None else {}

    totals = totals_over(current)
    totals.online_target = targets.get(year)
    last = totals_over(previous)
    last.online_target = targets.get(year - 1)

    field_ids = {r[3] for r in rows}
    names = {
        f["id"]: f for f in Sector.objects.filter(pk__in=field_ids).values("id", "code", "name")
    }
    now_by_field, then_by_field = _group(current, 3), _group(previous, 3)
    by_field = []
    for field_id in sorted(field_ids, key=lambda i: names[i]["code"]):
        by_field.append({
            "field": names[field_id]["code"],
            "name": names[field_id]["name"],
            "totals": totals_over(now_by_field.get(field_id, [])),
            "previous": totals_over(then_by_field.get(field_id, [])),
        })
    now_by_month, then_by_month = _group(current, 1), _group(previous, 1)
    months = [
        {
            "month": m,
            "totals": totals_over(now_by_month[m]) if m in now_by_month else None,
            "previous": totals_over(then_by_month[m]) if m in then_by_month else None,
        }
        for m in range(1, 13)
    ]
    published = sorted(
        PublishedPeriod.objects.filter(year=year, published=True).values_list("month", flat=True)
    )
    return {
        "year": year,
        "department": department,
        "field": field,
        "totals": totals,
        "previous": last,
        "by_field": by_field,
        "months": months,
        "published_months": published,
        "restricted": visibility.restricted,
        "row_count": len(current),
    }


def report_json(data: dict) -> dict:
    """The issue's JSON contract. Online targets are set per unit, so a field's row
    (and a report narrowed to a field) has no target: online_target is null."""
    result = data["totals"].as_json()
    result["by_field"] = [
        {"field": item["field"], "name": item["name"], **item["totals"].as_json()}
        for item in data["by_field"]
    ]
    return result


def _text(value):
    return None if value is None else str(value)


def report_plain(data: dict) -> dict:
    """report_data as plain JSON data (for the PDF and the frozen review inputs)."""
    return {
        "year": data["year"],
        "totals": data["totals"].as_json(),
        "previous": data["previous"].as_json(),
        "by_field": [
            {"field": f["field"], "name": f["name"], **f["totals"].as_json(),
             "previous_late_pct": _text(f["previous"].late_pct)}
            for f in data["by_field"]
        ],
        "months": [
            {
                "month": m["month"],
                "received": m["totals"].received_new if m["totals"] else None,
                "resolved": m["totals"].resolved if m["totals"] else None,
                "early": m["totals"].early if m["totals"] else None,
                "on_time": m["totals"].on_time if m["totals"] else None,
                "late": m["totals"].late if m["totals"] else None,
                "late_pct": _text(m["totals"].late_pct) if m["totals"] else None,
                "previous_late_pct": _text(m["previous"].late_pct) if m["previous"] else None,
            }
            for m in data["months"]
        ],
    }
