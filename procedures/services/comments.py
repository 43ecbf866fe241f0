"""Comments on a version under review: on the whole text or on a quoted passage.

Named reviewers and approvers (and the authors) comment while the version is a
draft or under review; the author, or an officer with author permission, answers
and resolves them. A comment is never edited nor deleted: it stays with its
version, in every later state, and each step writes a history row. One function
per event (commented, answered, resolved), so that a notification can follow each.
"""

import html
import re

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from qms.text import nfc

from .. import notices, permissions
from ..exceptions import ProcedureError
from ..models import Comment, ProcedureVersion
from ._common import _deny, _lock, _save

MAX_QUOTE_CHARS = 2000


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", nfc(text or "")).strip()


def quote_is_in(quote: str, body: str) -> bool:
    """Whether a passage is in the text, as written (Markdown) or as shown (its
    rendering, what a reader selects on the page), whitespace aside."""
    from ..templatetags.procedures_tags import render_markdown

    wanted = _plain(quote)
    if wanted in _plain(body):
        return True
    try:
        shown = html.unescape(strip_tags(render_markdown(body)))
    except RecursionError:
        return False
    return wanted in _plain(shown)


def _lock_open(version: ProcedureVersion) -> ProcedureVersion:
    version = _lock(version)
    if version.state not in permissions.OPEN_FOR_COMMENTS:
        raise ProcedureError(
            _("Chỉ góp ý được trên dự thảo hoặc phiên bản đang xem xét."), code="state"
        )
    return version


def _text(body: str) -> str:
    body = nfc(body or "").strip()
    if not body:
        raise ProcedureError(_("Hãy nhập nội dung góp ý."), code="empty")
    return body


@transaction.atomic
def comment_add(*, version: ProcedureVersion, actor, body: str, quote: str = "") -> Comment:
    """A comment on the version (on a quoted passage when `quote` is given, which must
    be found in the text). For the named reviewers and approver and the authors."""
    version = _lock_open(version)
    if not permissions.can_comment(actor, version):
        _deny()
    body = _text(body)
    quote = nfc(quote or "").strip()
    if len(quote) > MAX_QUOTE_CHARS:
        raise ProcedureError(
            _("Đoạn trích dẫn quá dài (tối đa %(limit)s ký tự)."),
            code="quote", params={"limit": MAX_QUOTE_CHARS},
        )
    if quote and not quote_is_in(quote, version.body):
        raise ProcedureError(
            _("Đoạn trích dẫn không có trong nội dung phiên bản."), code="quote"
        )
    comment = Comment(
        version=version, round=version.submission_round, author=actor, body=body, quote=quote
    )
    _save(comment, actor=actor, reason=_("Góp ý"))
    notices.commented(comment)
    return comment


def _lock_comment(comment: Comment, actor) -> tuple[Comment, ProcedureVersion]:
    version = _lock_open(comment.version)
    if not permissions.can_answer_comments(actor, version):
        _deny()
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.parent_id is not None:
        raise ProcedureError(_("Chỉ trả lời hoặc giải quyết được góp ý gốc."), code="answer")
    return comment, version


@transaction.atomic
def comment_answer(*, comment: Comment, actor, body: str) -> Comment:
    """The author's answer to a comment (a comment whose parent is that one)."""
    comment, version = _lock_comment(comment, actor)
    answer = Comment(
        version=version, parent=comment, round=version.submission_round,
        author=actor, body=_text(body),
    )
    _save(answer, actor=actor, reason=_("Trả lời góp ý"))
    notices.commented(answer)
    return answer


@transaction.atomic
def comment_resolve(*, comment: Comment, actor, resolution: str = "") -> Comment:
    """Mark a comment resolved, with who, when and how (optional)."""
    comment, _version = _lock_comment(comment, actor)
    if comment.status == Comment.Status.RESOLVED:
        raise ProcedureError(_("Góp ý này đã được giải quyết."), code="resolved")
    comment.status = Comment.Status.RESOLVED
    comment.resolved_by, comment.resolved_at = actor, timezone.now()
    comment.resolution = nfc(resolution or "").strip()
    _save(comment, actor=actor, reason=_("Giải quyết góp ý"))
    return comment
