"""E-mail notifications: the stored outbox that every app's services write to, and
its sending through Django's mail framework.

- `notify()` is called by a service inside its transaction: one row per recipient
  (`qms.Notification`) is written after the commit (nothing is announced that was
  rolled back), rendered in the recipient's language (Vietnamese by default).
  People who chose "immediate" get the e-mail at once; the others get it in the
  day's digest.
- `send_digests()` (run daily by `python manage.py send_reminders`) sends each
  person one message with everything still pending for them: new events,
  reminders and escalations. At most one digest a person a day (a partial unique
  constraint of `MailDelivery`), so a second run the same day sends nothing twice.
- `department_heads()` says who receives the escalations of a unit.

The backend is settings.EMAIL_BACKEND: the console by default, SMTP when
DJANGO_EMAIL_HOST is set (qms/settings/env.py); tests use locmem.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import roles
from .models import MailDelivery, Notification, NotificationPreference, OrgUnit

log = logging.getLogger(__name__)

Category = Notification.Category
Status = Notification.Status
BATCH = 500


@dataclass
class Message:
    """One event for some people. `subject` and `body` are (lazy) translatable
    strings, formatted with `params` in each recipient's language."""

    recipients: list
    kind: str
    subject: object
    body: object = ""
    url: str = ""
    params: dict = field(default_factory=dict)
    ref: str = ""
    key: str = ""
    category: str = Category.EVENT


def ref_of(obj) -> str:
    """What a notification is about, as stored in `Notification.ref`."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def notify(*, recipients, kind: str, subject, body="", url: str = "", params=None, ref: str = "",
           key: str = "", category: str = Category.EVENT) -> None:
    """Tell `recipients` (users; inactive ones and duplicates are dropped) that
    something happened. Call it inside the service's transaction: the rows are
    written, and the immediate e-mails sent, after the commit.

    `subject` and `body` should be gettext_lazy strings with %(name)s placeholders
    filled from `params` (plain values, or lazy strings translated in turn), so
    that each person reads them in their own language. `url` is a path of the site.
    A non-empty `key` makes the event idempotent per person: a second notify with
    the same key writes nothing for someone who already has it.
    """
    notify_each([Message(list(recipients), kind, subject, body, url, dict(params or {}), ref, key,
                         category)])


def notify_each(messages: list[Message], *, after_commit: bool = True) -> None:
    """Several events at once (reminders): one query for the preferences, batched inserts.

    `after_commit=False` writes at once: for the daily reminders, which report no
    change of their own (send_reminders writes them, then sends the digests).
    """
    messages = [m for m in messages if m.recipients]
    if not messages:
        return
    frozen = [
        (sorted({u.pk for u in m.recipients if u is not None and u.is_active}), m) for m in messages
    ]
    if after_commit:
        transaction.on_commit(lambda: write(frozen), robust=True)
    else:
        write(frozen)


def write(frozen) -> int:
    """Insert the rows of `(recipient ids, Message)` pairs; send the immediate ones.
    Returns the number of rows offered (existing keys are skipped by the database)."""
    ids = sorted({pk for recipient_ids, _m in frozen for pk in recipient_ids})
    prefs = preferences(ids)
    rows = []
    for recipient_ids, message in frozen:
        for pk in recipient_ids:
            with translation.override(prefs[pk].language):
                rows.append(Notification(
                    recipient_id=pk,
                    kind=message.kind,
                    category=message.category,
                    # One line: a mail header never carries a line break.
                    subject=" ".join(_render(message.subject, message.params).split())[:300],
                    body=_render(message.body, message.params),
                    url=message.url,
                    ref=message.ref,
                    key=message.key[:200],
                ))
    # A row whose (recipient, key) exists is skipped: reminders stay idempotent.
    Notification.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    immediate = [
        pk for pk in ids if prefs[pk].delivery == NotificationPreference.Delivery.IMMEDIATE
    ]
    if immediate:
        send_immediate(recipient_ids=immediate)
    return len(rows)


def _indent(text: str) -> str:
    """A body's lines under its item in the digest."""
    return "\n  ".join(text.splitlines())


def _render(text, params: dict) -> str:
    text = str(text or "")
    if not params:
        return text
    return text % {name: str(value) for name, value in params.items()}


def preferences(user_ids) -> dict[int, NotificationPreference]:
    """Each person's preference; the default (daily digest, Vietnamese) for those
    who never chose. One query."""
    found = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=list(user_ids))}
    return {pk: found.get(pk) or NotificationPreference(user_id=pk) for pk in user_ids}


def preference_of(user) -> NotificationPreference:
    return preferences([user.pk])[user.pk]


# ---------------------------------------------------------------- sending


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.QMS_SITE_URL + url


def _site_link(name: str) -> str:
    try:
        return _absolute(reverse(name))
    except NoReverseMatch:
        return ""


def _claim(rows, *, delivery=None) -> list[Notification]:
    """Mark pending rows as sent, one by one, keeping those this process won: two
    senders running at once never both send a row."""
    now = timezone.now()
    won = []
    for row in rows:
        if Notification.objects.filter(pk=row.pk, status=Status.PENDING).update(
            status=Status.SENT, sent_at=now, delivery=delivery
        ):
            won.append(row)
    return won


def _release(rows) -> None:
    """Put back rows whose e-mail could not be handed to the backend."""
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=Status.PENDING, sent_at=None, delivery=None
    )


def _skip_unreachable(user, rows) -> bool:
    """Rows of a person without an address (or deactivated) are kept as 'not sent'."""
    if user.is_active and user.email:
        return False
    Notification.objects.filter(pk__in=[r.pk for r in rows], status=Status.PENDING).update(
        status=Status.SKIPPED, sent_at=timezone.now()
    )
    return True


def send_immediate(*, recipient_ids) -> int:
    """Send the pending events of these people one e-mail each. Returns the number sent.

    Failures are logged and the rows stay pending: the daily digest takes them.
    """
    User = get_user_model()
    users = {u.pk: u for u in User.objects.filter(pk__in=list(recipient_ids))}
    prefs = preferences(users)
    pending = list(
        Notification.objects.filter(
            recipient_id__in=list(users), status=Status.PENDING, category=Category.EVENT
        ).order_by("pk")
    )
    sent = 0
    for row in pending:
        user = users[row.recipient_id]
        if _skip_unreachable(user, [row]) or not _claim([row]):
            continue
        with translation.override(prefs[user.pk].language):
            subject = settings.EMAIL_SUBJECT_PREFIX + row.subject
            text = render_to_string("qms/email/notification.txt", {
                "name": str(user), "row": row, "link": _absolute(row.url),
                "preferences_link": _site_link("notification_preferences"),
            })
        if _deliver(user, [row], kind=MailDelivery.Kind.IMMEDIATE, subject=subject, text=text,
                    day=timezone.localdate()):
            sent += 1
    return sent


def _deliver(user, rows, *, kind, subject, text, day, delivery=None) -> bool:
    """Hand one message to the backend and record it; on failure the rows go back
    to pending and the delivery is marked failed."""
    if delivery is None:
        delivery = MailDelivery.objects.create(
            recipient=user, kind=kind, day=day, address=user.email, subject=subject[:300],
            status=MailDelivery.Status.SENDING,
        )
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(delivery=delivery)
    message = mail.EmailMessage(subject=subject, body=text, to=[user.email])
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any backend failure: keep the rows for later
        log.exception("E-mail to %s failed", user.email)
        MailDelivery.objects.filter(pk=delivery.pk).update(
            status=MailDelivery.Status.FAILED, error=str(error)[:2000]
        )
        _release(rows)
        return False
    MailDelivery.objects.filter(pk=delivery.pk).update(status=MailDelivery.Status.SENT)
    return True


@dataclass
class DigestResult:
    sent: int = 0
    already_sent_today: int = 0
    no_address: int = 0
    failed: int = 0
    nothing_left: int = 0
    # Rows not sent because their work was done before the digest went.
    done_before: int = 0


def send_digests(*, today=None, open_urls=None, task_kinds=()) -> DigestResult:
    """Send each person with pending notifications one message for the day.

    Safe to run twice: a person who already has today's digest gets nothing more
    today (what came in since waits for tomorrow's).

    `open_urls(user) -> set[str]` gives the links of the person's open work (their
    inbox, which the top layer knows); a pending row of one of `task_kinds` whose
    link is no longer among them was done before the digest went: it is kept as
    "done" and not sent, so that a digest never asks for work already done.
    """
    today = today or timezone.localdate()
    User = get_user_model()
    waiting = Notification.objects.filter(status=Status.PENDING).values("recipient")
    result = DigestResult()
    people = list(User.objects.filter(pk__in=waiting).order_by("pk"))
    prefs = preferences([u.pk for u in people])
    for user in people:
        outcome = _send_digest(user, prefs[user.pk], today, result,
                               open_urls=open_urls, task_kinds=frozenset(task_kinds))
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _drop_done(user, rows, *, open_urls, task_kinds) -> list[Notification]:
    tasks = [r for r in rows if r.kind in task_kinds]
    if not (tasks and open_urls):
        return rows
    still_open = open_urls(user)
    done = [r for r in tasks if r.url not in still_open]
    Notification.objects.filter(pk__in=[r.pk for r in done], status=Status.PENDING).update(
        status=Status.DONE, sent_at=timezone.now()
    )
    done_ids = {r.pk for r in done}
    return [r for r in rows if r.pk not in done_ids]


def _send_digest(user, preference, today, result, *, open_urls=None, task_kinds=frozenset()) -> str:
    rows = list(
        Notification.objects.filter(recipient=user, status=Status.PENDING).order_by("created_at", "pk")
    )
    if not rows:
        return "already_sent_today"
    if MailDelivery.objects.filter(recipient=user, day=today, kind=MailDelivery.Kind.DIGEST,
                                   status__in=[MailDelivery.Status.SENDING,
                                               MailDelivery.Status.SENT]).exists():
        return "already_sent_today"
    kept = _drop_done(user, rows, open_urls=open_urls, task_kinds=task_kinds)
    result.done_before += len(rows) - len(kept)
    rows = kept
    if not rows:
        return "nothing_left"
    if _skip_unreachable(user, rows):
        return "no_address"
    try:
        with transaction.atomic():
            delivery = MailDelivery.objects.create(
                recipient=user, kind=MailDelivery.Kind.DIGEST, day=today, address=user.email,
                subject="", status=MailDelivery.Status.SENDING,
            )
    except IntegrityError:
        return "already_sent_today"
    rows = _claim(rows, delivery=delivery)
    if not rows:
        MailDelivery.objects.filter(pk=delivery.pk).update(status=MailDelivery.Status.FAILED)
        return "already_sent_today"
    groups = [
        (label, [r for r in rows if r.category == value]) for value, label in Category.choices
    ]
    with translation.override(preference.language):
        subject = settings.EMAIL_SUBJECT_PREFIX + ngettext(
            "Tổng hợp công việc ngày %(day)s (%(count)s mục)",
            "Tổng hợp công việc ngày %(day)s (%(count)s mục)",
            len(rows),
        ) % {"day": date_format(today, "d/m/Y"), "count": len(rows)}
        text = render_to_string("qms/email/digest.txt", {
            "name": str(user),
            "day": today,
            "groups": [(str(label), [(r, _absolute(r.url), _indent(r.body)) for r in items])
                       for label, items in groups if items],
            "inbox_link": _site_link("inbox"),
            "preferences_link": _site_link("notification_preferences"),
        })
    MailDelivery.objects.filter(pk=delivery.pk).update(subject=subject[:300])
    ok = _deliver(user, rows, kind=MailDelivery.Kind.DIGEST, subject=subject, text=text, day=today,
                  delivery=delivery)
    return "sent" if ok else "failed"


# ---------------------------------------------------------------- reminders


def reminder_key(kind: str, ref: str, *, days_overdue: int) -> str:
    """The key of the reminder due for something `days_overdue` days late (1 or more):
    one every QMS_REMINDER_EVERY_DAYS, starting the first day late. Two runs of
    send_reminders in the same period produce the same key, so nothing is sent twice."""
    period = (days_overdue - 1) // max(settings.QMS_REMINDER_EVERY_DAYS, 1)
    return f"{kind}:{ref}:{period}"


def escalation_key(kind: str, ref: str, *, days_overdue: int) -> str | None:
    """The key of the escalation due for something `days_overdue` late, or None before
    QMS_ESCALATE_AFTER_DAYS: then one every QMS_REMINDER_EVERY_DAYS."""
    late = days_overdue - settings.QMS_ESCALATE_AFTER_DAYS
    if late < 0:
        return None
    return f"{kind}:{ref}:{late // max(settings.QMS_REMINDER_EVERY_DAYS, 1)}"


def names(people, *, limit: int = 20) -> str:
    """ "Nguyễn Văn A, Trần Thị B và 3 người khác" (in the active language)."""
    people = list(people)
    shown = ", ".join(str(p) for p in people[:limit])
    if len(people) > limit:
        return _("%(names)s và %(count)s người khác") % {"names": shown, "count": len(people) - limit}
    return shown


# ---------------------------------------------------------------- who is told


def department_heads(unit_ids) -> dict[int, list]:
    """Who receives the escalations of each unit's overdue work:

    1. the unit's named head (`OrgUnit.head`), when active;
    2. otherwise the unit's active approvers (the leadership role);
    3. otherwise the same rule one level up, up to the committee.

    Two queries whatever the number of units.
    """
    User = get_user_model()
    units = {u.pk: u for u in OrgUnit.objects.select_related("head")}
    approvers: dict[int, list] = {}
    for person in User.objects.filter(
        is_active=True, groups__name=roles.APPROVER, department__isnull=False
    ).order_by("last_name", "first_name", "pk"):
        approvers.setdefault(person.department_id, []).append(person)
    found = {}
    for unit_id in set(unit_ids):
        unit, seen = units.get(unit_id), set()
        heads: list = []
        while unit is not None and unit.pk not in seen and not heads:
            seen.add(unit.pk)
            if unit.head is not None and unit.head.is_active:
                heads = [unit.head]
            else:
                heads = approvers.get(unit.pk, [])
            unit = units.get(unit.parent_id)
        found[unit_id] = heads
    return found
