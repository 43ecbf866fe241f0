"""The e-mails that the routing of a draft sends (through qms.notifications, after
the commit). The services call these at the point of the event; each person reads
them in their own language, at once or in the daily digest."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_users_with_perms

from qms import notifications

from . import permissions
from .models import ReviewAssignment

REVIEW_REQUESTED = "procedures.review_requested"
APPROVAL_REQUESTED = "procedures.approval_requested"
RETURNED = "procedures.returned"
APPROVED = "procedures.approved"
RECALLED = "procedures.recalled"
COMMENT = "procedures.comment"


def _url(version) -> str:
    return reverse(
        "procedures:version",
        kwargs={"code": version.procedure.code, "revision": version.revision},
    )


def _params(version, **more) -> dict:
    return {"code": version.procedure.code, "rev": version.revision,
            "title": version.title or version.procedure.title, **more}


def _send(version, recipients, kind, subject, body="", **params) -> None:
    notifications.notify(
        recipients=recipients,
        kind=kind,
        subject=subject,
        body=body,
        params=_params(version, **params),
        url=_url(version),
        ref=notifications.ref_of(version),
    )


def _round(version, role):
    return [
        a.person
        for a in version.assignments.filter(round=version.submission_round, role=role)
        .select_related("person")
    ]


def submitted(version) -> None:
    """The named reviewers are asked to review; with none (approval only), the approver."""
    reviewers = _round(version, ReviewAssignment.Role.REVIEWER)
    if reviewers:
        _send(version, reviewers, REVIEW_REQUESTED,
              _("Dự thảo chờ anh/chị xem xét: %(code)s lần ban hành %(rev)s"),
              _("%(title)s"))
    else:
        approval_open(version)


def approval_open(version) -> None:
    """Every named reviewer has signed: the approver is asked to approve."""
    _send(version, _round(version, ReviewAssignment.Role.APPROVER), APPROVAL_REQUESTED,
          _("Dự thảo chờ anh/chị phê duyệt: %(code)s lần ban hành %(rev)s"),
          _("%(title)s"))


def returned(version, *, reason: str) -> None:
    _send(version, [version.author], RETURNED,
          _("Dự thảo bị trả lại: %(code)s lần ban hành %(rev)s"),
          _("Lý do: %(reason)s"), reason=reason)


def approved(version) -> None:
    """The author and the procedure's publishers: the version waits to be issued."""
    publishers = get_users_with_perms(
        version.procedure, only_with_perms_in=[permissions.PUBLISH], with_group_users=False
    )
    _send(version, [version.author, *publishers], APPROVED,
          _("Đã phê duyệt, chờ ban hành: %(code)s lần ban hành %(rev)s"),
          _("%(title)s"))


def recalled(version, *, people) -> None:
    _send(version, people, RECALLED,
          _("Dự thảo đã được rút lại: %(code)s lần ban hành %(rev)s"),
          _("Người soạn thảo đã rút lại dự thảo; anh/chị không cần ký nữa."))


def commented(comment) -> None:
    """A new comment goes to the author; an answer to the one who commented."""
    version = comment.version
    to = comment.parent.author if comment.parent_id else version.author
    if to is None or to.pk == comment.author_id:
        return
    _send(version, [to], COMMENT,
          _("Góp ý mới về %(code)s lần ban hành %(rev)s"),
          _("%(who)s: %(text)s"), who=comment.author.get_full_name(), text=comment.body)
