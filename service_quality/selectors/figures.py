"""Lists of entered figures, surveys, fields and targets for the pages."""

from django.db.models import QuerySet
from django.http import Http404

from qms.models import Sector

from .. import permissions
from ..models import DossierStat, OnlineTarget, PublishedPeriod, SatisfactionSurvey


def stat_list(*, user, year: int, month: int | None = None) -> QuerySet:
    """The rows a user reads in full (unpublished included): their departments' or,
    for the central office, leadership and auditors, all. Staff read none here
    (the published summary is the report)."""
    ids = permissions.full_view_unit_ids(user)
    qs = DossierStat.objects.filter(year=year).select_related("department", "field", "entered_by")
    if ids is not None:
        qs = qs.filter(department__in=ids)
    if month is not None:
        qs = qs.filter(month=month)
    return qs.order_by("month", "department__name", "field__name")


def stat_get(*, user, pk: int) -> DossierStat:
    ids = permissions.full_view_unit_ids(user)
    qs = DossierStat.objects.select_related("department", "field")
    if ids is not None:
        qs = qs.filter(department__in=ids)
    stat = qs.filter(pk=pk).first()
    if stat is None:
        raise Http404(pk)
    return stat


def publication_list(*, year: int) -> dict[int, PublishedPeriod]:
    return {p.month: p for p in PublishedPeriod.objects.filter(year=year).select_related("published_by")}


def survey_list(*, user, year: int) -> QuerySet:
    """Survey results are part of the summary: everyone with a role reads them."""
    if not permissions.can_use(user):
        return SatisfactionSurvey.objects.none()
    return SatisfactionSurvey.objects.filter(year=year).select_related("department").order_by(
        "month", "department__name")


def field_list() -> QuerySet:
    return Sector.objects.select_related("department").prefetch_related("procedures").order_by("name")


def target_list(*, year: int) -> QuerySet:
    return OnlineTarget.objects.filter(year=year).select_related("department").order_by("department__name")
