"""Every corrective action's answers and effectiveness checks become its attempts.

Until now an action held one answer and one check: a re-answer after a failed
check overwrote them, and the earlier ones lived only in the action's history.
This walks each action's history in order and rebuilds every attempt from it
(an answer opens an attempt, the next check ends it), with its own history rows
(same user, time and reason as the action's). An action with no usable history
gets its attempt from the row itself. Before 0005 drops the old columns.

Reverse: the latest attempt goes back into the action's columns, and the
attempts are removed (forwards rebuilds them). Safe to run twice: an action that
has attempts already is left alone.
"""

from django.db import migrations
from django.utils import timezone

ANSWERED, OPEN, CLOSED = "answered", "open", "closed"
PENDING, EFFECTIVE, NOT_EFFECTIVE = "pending", "effective", "not_effective"


def _answer(row):
    return {
        "correction": row.correction or "",
        "root_cause": row.root_cause or "",
        "action_plan": row.action_plan or "",
        "answered_by_id": row.answered_by_id,
        "answered_at": row.answered_at,
    }


def _attempts_from_history(rows):
    """[(answer, answered history row, check, checked history row)] from the
    action's history rows, oldest first."""
    attempts = []
    previous = None
    for row in rows:
        if row.state == ANSWERED and previous != ANSWERED and row.answered_by_id:
            attempts.append({"answer": _answer(row), "answer_row": row, "check": None, "check_row": None})
        elif previous == ANSWERED and row.state in (OPEN, CLOSED) and attempts and row.verified_by_id:
            attempts[-1]["check"] = {
                "result": EFFECTIVE if row.state == CLOSED else NOT_EFFECTIVE,
                "verification_note": row.verification_note or "",
                "verified_by_id": row.verified_by_id,
                "verified_at": row.verified_at or row.history_date,
            }
            attempts[-1]["check_row"] = row
        previous = row.state
    return attempts


def _attempts_from_row(action):
    """The one attempt the action's columns describe, when its history says nothing."""
    if not action.answered_by_id:
        return []
    check = None
    if action.state in (OPEN, CLOSED) and action.verified_by_id:
        check = {
            "result": EFFECTIVE if action.state == CLOSED else NOT_EFFECTIVE,
            "verification_note": action.verification_note or "",
            "verified_by_id": action.verified_by_id,
            "verified_at": action.verified_at or action.answered_at or timezone.now(),
        }
    return [{"answer": _answer(action), "answer_row": None, "check": check, "check_row": None}]


def forwards(apps, schema_editor):
    Action = apps.get_model("audits", "CorrectiveAction")
    HistoricalAction = apps.get_model("audits", "HistoricalCorrectiveAction")
    Attempt = apps.get_model("audits", "ActionAttempt")
    HistoricalAttempt = apps.get_model("audits", "HistoricalActionAttempt")

    done = set(Attempt.objects.values_list("action_id", flat=True))
    for action in Action.objects.order_by("pk").iterator():
        if action.pk in done:
            continue
        rows = list(HistoricalAction.objects.filter(id=action.pk).order_by("history_date", "history_id"))
        attempts = _attempts_from_history(rows) or _attempts_from_row(action)
        if attempts and action.answered_by_id:
            # The action's own columns are the last word on its latest attempt.
            last, [own] = attempts[-1], _attempts_from_row(action)
            last["answer"] = own["answer"]
            if action.state == ANSWERED:
                last["check"] = None
            elif own["check"] is not None:
                last["check"] = own["check"]
        for number, item in enumerate(attempts, start=1):
            answer, check = item["answer"], item["check"]
            if answer["answered_at"] is None:
                answer["answered_at"] = (
                    (item["answer_row"].history_date if item["answer_row"] else None)
                    or action.closed_at or timezone.now()
                )
            attempt = Attempt.objects.create(
                action_id=action.pk, number=number, evidence="",
                result=check["result"] if check else PENDING,
                verification_note=check["verification_note"] if check else "",
                verified_by_id=check["verified_by_id"] if check else None,
                verified_at=check["verified_at"] if check else None,
                **answer,
            )
            answered = {**answer, "result": PENDING, "verification_note": "",
                        "verified_by_id": None, "verified_at": None}
            source = item["answer_row"]
            HistoricalAttempt.objects.create(
                id=attempt.pk, action_id=action.pk, number=number, evidence="", **answered,
                history_date=source.history_date if source else answer["answered_at"],
                history_type="+",
                history_user_id=source.history_user_id if source else answer["answered_by_id"],
                history_change_reason=(
                    source.history_change_reason if source else "Đơn vị trả lời hành động khắc phục"
                ),
            )
            if check:
                source = item["check_row"]
                HistoricalAttempt.objects.create(
                    id=attempt.pk, action_id=action.pk, number=number, evidence="",
                    **{**answered, **check},
                    history_date=source.history_date if source else check["verified_at"],
                    history_type="~",
                    history_user_id=source.history_user_id if source else check["verified_by_id"],
                    history_change_reason=(
                        source.history_change_reason if source else "Kiểm tra hiệu lực"
                    ),
                )


def backwards(apps, schema_editor):
    Action = apps.get_model("audits", "CorrectiveAction")
    Attempt = apps.get_model("audits", "ActionAttempt")
    HistoricalAttempt = apps.get_model("audits", "HistoricalActionAttempt")
    for action in Action.objects.order_by("pk").iterator():
        last = Attempt.objects.filter(action_id=action.pk).order_by("-number").first()
        if last is None:
            continue
        Action.objects.filter(pk=action.pk).update(
            correction=last.correction, root_cause=last.root_cause, action_plan=last.action_plan,
            answered_by_id=last.answered_by_id, answered_at=last.answered_at,
            verification_note=last.verification_note, verified_by_id=last.verified_by_id,
            verified_at=last.verified_at,
        )
    # Forwards rebuilds them from the action's history again.
    HistoricalAttempt.objects.all().delete()
    Attempt.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("audits", "0003_action_attempts_finding_revisions_signatures"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
