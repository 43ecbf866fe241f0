"""The officer's decisions on the points of a migration draft, and sending it for review.

A decision can be taken for one point (with a choice, or a wording the officer
edited) or for every pending occurrence of a term at once, and changed later:
each change writes the draft through `version_update` (one revision of the
text) and the point's own history row.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures import services as procedure_services
from procedures.models import ProcedureVersion, State
from qms.history import save_with_history
from qms.text import nfc

from .. import permissions
from ..catalogue import sort_numbers
from ..models import EditionMigration, TermFlag
from ._common import MigrationError, _deny

REPLACEMENT_MAX = 300
_NUMBER = re.compile(r"\b\d{1,2}(?:\.\d{1,2}){0,3}\b")


def _lock_migration(migration: EditionMigration) -> EditionMigration:
    return (
        EditionMigration.objects.select_for_update()
        .select_related("procedure", "draft", "draft__edition")
        .get(pk=migration.pk)
    )


def _place(body: str, flag: TermFlag, flags: list[TermFlag]) -> int:
    """Where the flag's current text stands in the body. Positions refer to the
    proposed text; decisions before it shifted them by a known amount. If the
    officer edited the draft by hand since, the nearest same text is taken."""
    shift = sum(len(f.applied) - len(f.found) for f in flags
                if f.kind != TermFlag.Kind.CLAUSE and f.position < flag.position)
    expected = flag.position + shift
    if body[expected:expected + len(flag.applied)] == flag.applied:
        return expected
    spots = [m.start() for m in re.finditer(re.escape(flag.applied), body)] if flag.applied else []
    if not spots:
        raise MigrationError(
            _("Không còn tìm thấy “%(found)s” trong dự thảo (dòng %(line)s); dự thảo đã được sửa "
              "tay ở chỗ này, hãy sửa trực tiếp trong dự thảo."),
            code="term_missing",
            params={"found": flag.applied or flag.found, "line": flag.line},
        )
    return min(spots, key=lambda spot: abs(spot - expected))


def _text_for(flag: TermFlag, *, accept: bool, choice: int | None, wording: str | None):
    """(text to stand in the draft, 2015 clauses confirmed) for this decision."""
    if not accept:
        return flag.found, []
    if wording is not None:
        text = " ".join(nfc(wording).split())
        if len(text) > REPLACEMENT_MAX:
            raise MigrationError(
                _("Nội dung thay thế dài quá %(max)s ký tự."), code="long",
                params={"max": REPLACEMENT_MAX})
        if flag.kind == TermFlag.Kind.TERM and not text and not flag.needs_decision:
            raise MigrationError(_("Nội dung thay thế không được để trống."), code="empty")
        clauses = _NUMBER.findall(text) if flag.kind != TermFlag.Kind.TERM else []
        return text, clauses
    if choice is not None:
        if not 0 <= choice < len(flag.choices):
            raise MigrationError(_("Lựa chọn không hợp lệ."), code="choice")
        picked = flag.choices[choice]
        return picked["text"], list(picked.get("clauses", []))
    if flag.choices:
        return flag.choices[0]["text"], list(flag.choices[0].get("clauses", []))
    return flag.replacement, []


@transaction.atomic
def terms_decide(
    *, migration: EditionMigration, actor, flag_ids=None, key: str | None = None, accept: bool,
    choice: int | None = None, wording: str | None = None,
) -> int:
    """Decide points of a migration draft: the given ones (a decision already taken
    is changed), or every pending one of a term (`key`). Accepting writes the chosen
    wording (a choice, the officer's own `wording`, or the proposal) into the draft;
    refusing puts the 2008 text back. Accepting a clause proposal adds the 2015
    clauses to the draft's list (the officer's confirmation, which the gap report
    counts); changing it takes them off again. Returns how many points were decided."""
    migration = _lock_migration(migration)
    if not permissions.can_migrate(actor, migration.procedure):
        _deny()
    if migration.draft.state != State.DRAFT:
        raise MigrationError(
            _("Dự thảo không còn ở trạng thái dự thảo nên không quyết định thuật ngữ được nữa."),
            code="state",
        )
    flags = list(migration.terms.select_for_update().order_by("position", "pk"))
    if flag_ids is not None:
        wanted = {int(i) for i in flag_ids}
        chosen = [f for f in flags if f.pk in wanted]
    else:
        chosen = [f for f in flags if f.decision == TermFlag.Decision.PENDING]
    if key is not None:
        chosen = [f for f in chosen if f.key == key]
    if not chosen:
        raise MigrationError(
            _("Không có thuật ngữ nào đang chờ quyết định trong lựa chọn này."), code="none"
        )
    confirmed_before = _confirmed(flags)
    draft = migration.draft
    body = draft.body
    now = timezone.now()
    changed = []
    for flag in sorted(chosen, key=lambda f: f.position):
        text, clauses = _text_for(flag, accept=accept, choice=choice, wording=wording)
        decision = TermFlag.Decision.ACCEPTED if accept else TermFlag.Decision.REFUSED
        if flag.kind != TermFlag.Kind.CLAUSE and text != flag.applied:
            index = _place(body, flag, flags)
            body = body[:index] + text + body[index + len(flag.applied):]
        reason = _reason(flag, accept)
        flag.applied, flag.clauses = (text if flag.kind != TermFlag.Kind.CLAUSE else flag.found), clauses
        if accept:
            flag.replacement = text
        flag.decision, flag.decided_by, flag.decided_at = decision, actor, now
        changed.append((flag, reason))
    confirmed_after = _confirmed(flags)
    current = set(draft.clauses.values_list("number", flat=True))
    numbers = (current | (confirmed_after - current)) - (
        confirmed_before - confirmed_after - set(migration.to_clauses)
    )
    numbers = {n for n in numbers if n in _catalogue_2015(draft)}
    if body != draft.body or numbers != current:
        procedure_services.version_update(
            version=draft, actor=actor, body=body,
            clause_numbers=sort_numbers(numbers) if numbers != current else None,
        )
    for flag, reason in changed:
        save_with_history(flag, actor=actor, reason=reason)
    return len(changed)


def _catalogue_2015(draft) -> set[str]:
    return set(draft.edition.clauses.values_list("number", flat=True))


def _confirmed(flags) -> set[str]:
    return {n for f in flags if f.decision == TermFlag.Decision.ACCEPTED for n in f.clauses}


def _reason(flag: TermFlag, accept: bool) -> str:
    if flag.decision != TermFlag.Decision.PENDING:
        return _("Đổi quyết định về “%(found)s”") % {"found": flag.found[:60]}
    return _("Chấp nhận thuật ngữ theo bản 2015") if accept else _("Từ chối thuật ngữ đề xuất")


@transaction.atomic
def migration_submit(
    *, migration: EditionMigration, actor, reviewers, approver
) -> ProcedureVersion:
    """Send the migration draft into the normal review, to the named reviewers and
    approver (see procedures' `version_submit`), once no point is pending."""
    migration = _lock_migration(migration)
    if not permissions.can_migrate(actor, migration.procedure):
        _deny()
    pending = migration.terms.filter(decision=TermFlag.Decision.PENDING).count()
    if pending:
        raise MigrationError(
            _("Còn %(count)s thuật ngữ chưa được chấp nhận hoặc từ chối; hãy quyết định hết "
              "trước khi trình."),
            code="pending",
            params={"count": pending},
        )
    return procedure_services.version_submit(
        version=migration.draft, actor=actor, reviewers=reviewers, approver=approver
    )
