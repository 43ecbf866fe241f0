"""Reads of reading the effective text: acknowledgements and the access log."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .. import permissions
from ..models import (
    ProcedureVersion,
    State,
)


def acknowledgement_pending_list(*, user) -> QuerySet:
    """Effective versions distributed to the user's department that the user has not
    acknowledged yet (staff members only)."""
    if not (permissions.must_acknowledge(user) and permissions.can_view_effective(user)):
        return ProcedureVersion.objects.none()
    return (
        ProcedureVersion.objects.filter(
            state=State.EFFECTIVE, procedure__distribution=user.department_id
        )
        .exclude(acknowledgements__user=user)
        .select_related("procedure__department")
        .order_by("-effective_from", "procedure__code")
    )


def acknowledgement_of(*, user, version):
    """The user's acknowledgement of this version, or None."""
    return version.acknowledgements.filter(user=user).first()


def acknowledgement_required_users(*, version) -> QuerySet:
    """Who must acknowledge a version: the active staff of the departments it is
    distributed to."""
    from django.contrib.auth import get_user_model

    from qms import roles

    return get_user_model().objects.filter(
        is_active=True,
        groups__name=roles.STAFF,
        department__in=version.procedure.distribution.values("pk"),
    )


def acknowledgement_missing_users(*, version) -> QuerySet:
    """Those of them who have not acknowledged it yet."""
    from ..models import Acknowledgement

    return acknowledgement_required_users(version=version).exclude(
        pk__in=Acknowledgement.objects.filter(version=version).values("user")
    ).select_related("department").order_by("pk")


def acknowledgement_status_list(*, version, department=None) -> QuerySet:
    """Who must acknowledge a version (active staff of the departments it is
    distributed to) and anyone else who did, each with `acknowledged_at` (or None),
    and the reminders sent about it: `reminder_count` and `last_reminded_at`.
    One query; `department` narrows to one unit."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from qms import notifications
    from qms.models import Notification

    from ..models import Acknowledgement
    from ..services.reading import ACKNOWLEDGEMENT_REMINDER

    User = get_user_model()
    acks = Acknowledgement.objects.filter(version=version)
    required = acknowledgement_required_users(version=version).values("pk")
    reminders = (
        Notification.objects.filter(
            ref=notifications.ref_of(version),
            kind=ACKNOWLEDGEMENT_REMINDER,
            status=Notification.Status.SENT,
            recipient=OuterRef("pk"),
        )
        .order_by()
        .values("recipient")
    )
    people = (
        User.objects.filter(Q(pk__in=required) | Q(pk__in=acks.values("user")))
        .select_related("department")
        .annotate(
            acknowledged_at=Subquery(
                acks.filter(user=OuterRef("pk")).values("acknowledged_at")[:1]
            ),
            reminder_count=Coalesce(
                Subquery(reminders.annotate(n=Count("pk")).values("n")[:1],
                         output_field=IntegerField()),
                0,
            ),
            last_reminded_at=Subquery(reminders.annotate(last=Max("sent_at")).values("last")[:1]),
        )
        .order_by("department__name", "last_name", "first_name", "username")
    )
    if department is not None:
        people = people.filter(department=department)
    return people


def acknowledgement_summary(people) -> list[dict]:
    """Per department of a status list: how many have and have not acknowledged
    (computed from the rows already fetched: no query)."""
    by_unit: dict = {}
    for person in people:
        unit = person.department
        row = by_unit.setdefault(unit.pk if unit else None, {
            "department": unit, "done": 0, "missing": 0, "reminders": 0})
        row["done" if person.acknowledged_at else "missing"] += 1
        row["reminders"] += person.reminder_count
    return sorted(by_unit.values(), key=lambda r: str(r["department"] or ""))


def last_acknowledged_version(*, user, version):
    """The latest earlier revision of the same procedure that the user acknowledged,
    or None."""
    from ..models import Acknowledgement

    ack = (
        Acknowledgement.objects.filter(
            user=user, version__procedure_id=version.procedure_id,
            version__revision__lt=version.revision,
        )
        .select_related("version")
        .order_by("-version__revision")
        .first()
    )
    return ack.version if ack else None


def revisions_since(*, version, since) -> list:
    """The released revisions after `since` (a version, or None for all) up to
    `version`, oldest first: their change summaries tell what changed since."""
    qs = ProcedureVersion.objects.filter(
        procedure_id=version.procedure_id, revision__lte=version.revision
    ).exclude(state__in=[State.DRAFT, State.IN_REVIEW, State.APPROVED])
    if since is not None:
        qs = qs.filter(revision__gt=since.revision)
    return list(qs.order_by("revision"))


def access_log_list(*, procedure, person=None, department=None, revision=None, action=None,
                    date_from=None, date_to=None) -> QuerySet:
    """A procedure's access log, newest first, filtered by person, department (of
    the person), revision, action and local dates (both ends included). The caller
    checked `can_manage`."""
    from ..models import AccessLog

    qs = AccessLog.objects.filter(version__procedure=procedure)
    if person is not None:
        qs = qs.filter(user=person)
    if department is not None:
        qs = qs.filter(user__department=department)
    if revision is not None:
        qs = qs.filter(version__revision=revision)
    if action:
        qs = qs.filter(action=action)
    if date_from is not None:
        qs = qs.filter(at__gte=_local_midnight(date_from))
    if date_to is not None:
        qs = qs.filter(at__lt=_local_midnight(date_to + datetime.timedelta(days=1)))
    return qs.select_related("user__department", "version", "attachment").order_by("-at", "-pk")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log_counts(queryset) -> dict[str, int]:
    """How many views, prints, downloads and acknowledgements a (filtered) log holds:
    one query."""
    from django.db.models import Count, Q

    from ..models import AccessLog

    return queryset.order_by().aggregate(**{
        value: Count("pk", filter=Q(action=value)) for value in AccessLog.Action.values
    })


def access_log_people(*, procedure) -> QuerySet:
    """The people who appear in a procedure's access log (the person filter)."""
    from django.contrib.auth import get_user_model

    from ..models import AccessLog

    return (
        get_user_model().objects.filter(
            pk__in=AccessLog.objects.filter(version__procedure=procedure).values("user")
        )
        .order_by("last_name", "first_name", "username")
    )
