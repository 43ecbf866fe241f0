"""The officer's decisions on the flagged terms, and sending the draft for review."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures import services as procedure_services
from procedures.models import ProcedureVersion, State
from qms.history import save_with_history

from .. import permissions
from ..models import EditionMigration, TermFlag
from ._common import MigrationError, _deny


def _lock_migration(migration: EditionMigration) -> EditionMigration:
    migration = (
        EditionMigration.objects.select_for_update()
        .select_related("procedure", "draft")
        .get(pk=migration.pk)
    )
    return migration


def _apply(body: str, flag: TermFlag, accepted: list[TermFlag]) -> str:
    """Replace the flag's occurrence in the current body. Positions refer to the
    proposed text; earlier acceptances shifted them by a known amount. If the
    officer edited the draft by hand since, the nearest same phrase is taken."""
    shift = sum(len(f.replacement) - len(f.found) for f in accepted if f.position < flag.position)
    expected = flag.position + shift
    if body[expected:expected + len(flag.found)] == flag.found:
        index = expected
    else:
        spots = [m.start() for m in re.finditer(re.escape(flag.found), body)]
        if not spots:
            raise MigrationError(
                _("Không còn tìm thấy “%(found)s” trong dự thảo; hãy từ chối đề xuất này."),
                code="term_missing",
                params={"found": flag.found},
            )
        index = min(spots, key=lambda spot: abs(spot - expected))
    return body[:index] + flag.replacement + body[index + len(flag.found):]


@transaction.atomic
def terms_decide(
    *, migration: EditionMigration, actor, flag_ids=None, key: str | None = None, accept: bool
) -> int:
    """Accept or refuse pending term flags of a migration draft: the given ones, or
    every pending one of a term (`key`). Accepting writes the proposed wording into
    the draft (one version_update for the lot); refusing keeps the text. Returns
    how many flags were decided."""
    migration = _lock_migration(migration)
    if not permissions.can_migrate(actor, migration.procedure):
        _deny()
    if migration.draft.state != State.DRAFT:
        raise MigrationError(
            _("Dự thảo không còn ở trạng thái dự thảo nên không quyết định thuật ngữ được nữa."),
            code="state",
        )
    flags = migration.terms.select_for_update()
    chosen = flags.filter(decision=TermFlag.Decision.PENDING)
    if flag_ids is not None:
        chosen = chosen.filter(pk__in=list(flag_ids))
    if key is not None:
        chosen = chosen.filter(key=key)
    chosen = list(chosen.order_by("position"))
    if not chosen:
        raise MigrationError(
            _("Không có thuật ngữ nào đang chờ quyết định trong lựa chọn này."), code="none"
        )
    now = timezone.now()
    decision = TermFlag.Decision.ACCEPTED if accept else TermFlag.Decision.REFUSED
    if accept:
        accepted = list(flags.filter(decision=TermFlag.Decision.ACCEPTED))
        body = migration.draft.body
        for flag in chosen:
            body = _apply(body, flag, accepted)
            accepted.append(flag)
        procedure_services.version_update(version=migration.draft, actor=actor, body=body)
    reason = (_("Chấp nhận thuật ngữ theo bản 2015") if accept
              else _("Từ chối thuật ngữ đề xuất"))
    for flag in chosen:
        flag.decision, flag.decided_by, flag.decided_at = decision, actor, now
        save_with_history(flag, actor=actor, reason=reason)
    return len(chosen)


@transaction.atomic
def migration_submit(
    *, migration: EditionMigration, actor, reviewers, approver
) -> ProcedureVersion:
    """Send the migration draft into the normal review, to the named reviewers and
    approver (see procedures' `version_submit`), once no term is pending."""
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
