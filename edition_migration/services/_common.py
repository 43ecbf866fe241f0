"""What the migration's services share: the error they raise, permission refusal, looking up editions and departments."""

from django.utils.translation import gettext as _

from procedures.exceptions import ProcedureError
from procedures.models import State
from qms.models import Edition, OrgUnit

OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.APPROVED)


class MigrationError(ProcedureError):
    """A refused import, migration or decision; the message is meant for the user."""


def _deny():
    raise MigrationError(_("Bạn không có quyền thực hiện thao tác này."), code="permission")


def _edition(edition) -> Edition:
    if isinstance(edition, Edition):
        return edition
    found = Edition.objects.filter(year=int(edition)).first()
    if found is None:
        raise MigrationError(
            _("Không có phiên bản tiêu chuẩn %(year)s."), code="edition", params={"year": edition}
        )
    return found


def department_get(code: str) -> OrgUnit:
    """The department with this code (case-insensitive), or a clear refusal."""
    unit = OrgUnit.objects.filter(code__iexact=(code or "").strip()).first()
    if unit is None:
        raise MigrationError(
            _("Không có đơn vị mã “%(code)s”."), code="department", params={"code": code}
        )
    return unit


# Imports and migrations commit once per CHUNK procedures (one disk sync per chunk).
CHUNK = 50


def _chunks(items):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
