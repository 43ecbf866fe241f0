"""What the procedure services share: locking, state checks, signatures' password check, clause look-up, the content hash and the fields derived from it."""

import hashlib
import json

from django.utils.translation import gettext as _

from qms.history import save_with_history
from qms.integrity import keyed_hash
from qms.lockout import check_signing_password
from qms.models import Clause, Edition
from qms.text import fold, nfc

from ..exceptions import ProcedureError
from ..models import TRANSITIONS, Procedure, ProcedureVersion, State


def _deny():
    raise ProcedureError(_("Bạn không có quyền thực hiện thao tác này."), code="permission")


def _save(instance, **kwargs):
    """save_with_history, and the search index kept in step: a version saved here
    is indexed when effective and unindexed otherwise (made effective, superseded,
    withdrawn, imported); a procedure's new title reaches its effective version."""
    from ..search.index import procedure_search_sync, search_document_sync

    result = save_with_history(instance, **kwargs)
    if isinstance(instance, ProcedureVersion):
        search_document_sync(version=instance)
    elif isinstance(instance, Procedure):
        procedure_search_sync(procedure=instance)
    return result


def _lock(version: ProcedureVersion) -> ProcedureVersion:
    return ProcedureVersion.objects.select_for_update().select_related("procedure", "edition").get(
        pk=version.pk
    )


def _check_transition(version: ProcedureVersion, target: State) -> None:
    if target not in TRANSITIONS[State(version.state)]:
        raise ProcedureError(
            _("Không thể chuyển phiên bản từ trạng thái “%(current)s” sang “%(target)s”."),
            code="state",
            params={"current": State(version.state).label, "target": target.label},
        )


def _check_password(actor, password: str) -> None:
    """An electronic signature asks for the signer's password again; a wrong one
    counts towards the sign-in lockout, and a locked-out signer cannot sign."""
    check_signing_password(actor, password, error=ProcedureError)


def resolve_clauses(edition: Edition, numbers) -> list[Clause]:
    """The clauses with these numbers in this edition; an unknown number is refused."""
    wanted = {n.strip() for n in numbers if n and n.strip()}
    found = {c.number: c for c in Clause.objects.filter(edition=edition, number__in=wanted)}
    missing = sorted(wanted - found.keys())
    if missing:
        raise ProcedureError(
            _("Điều khoản %(numbers)s không có trong %(edition)s."),
            code="clause",
            params={"numbers": ", ".join(missing), "edition": edition.name},
        )
    return [found[n] for n in sorted(found)]


def content_hash(
    version: ProcedureVersion, *, clauses=None, distribution=None, with_title=True
) -> str:
    """SHA-256 of what a signature vouches for: text, clauses, attachments (those not
    removed from the draft), the proposed distribution, identity and the title of
    this revision (`with_title=False`: the hash signed before issue 11).

    `clauses` and `distribution` give the sets about to be saved, for a version not
    yet saved. A version without a distribution of its own (written before versions
    carried one) hashes as it always did.
    """
    if clauses is None:
        clauses = version.clauses.all() if version.pk else []
    if distribution is None:
        distribution = version.distribution.all() if version.pk else []
    attachments = (
        version.attachments.filter(removed_at__isnull=True) if version.pk else []
    )
    payload = {
        "code": version.procedure.code,
        "revision": version.revision,
        "edition": version.edition.year,
        "clauses": sorted(c.number for c in clauses),
        "body": nfc(version.body),
        "change_summary": nfc(version.change_summary),
        "attachments": sorted(a.sha256 for a in attachments),
    }
    if with_title:
        payload["title"] = nfc(version.title)
    units = sorted(unit.code for unit in distribution)
    if units:
        payload["distribution"] = units
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


SIGNATURE_SCHEME = 2


def signature_hash(version, *, signer_id, meaning, scheme=SIGNATURE_SCHEME, content=None) -> str:
    """The keyed hash a signature stores (qms.integrity): of the content hash (with
    the title from scheme 2), the version, the signer and the meaning."""
    if content is None:
        content = content_hash(version, with_title=scheme >= 2)
    return keyed_hash(scheme, version.pk, signer_id, meaning, content)


def version_refresh_derived(version: ProcedureVersion, *, clauses=None, distribution=None) -> None:
    procedure = version.procedure
    if not version.title:
        version.title = procedure.title
    version.search_text = fold(f"{procedure.code} {version.title} {version.body}")
    version.content_sha256 = content_hash(version, clauses=clauses, distribution=distribution)
