"""What the register says of a procedure beyond its text: the fields it governs."""

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Procedure
from ._common import _deny


@transaction.atomic
def procedure_set_sectors(*, procedure: Procedure, actor, sectors) -> Procedure:
    """Name the fields (lĩnh vực) of administrative procedures this procedure governs.

    For the procedure's authors. Writes one m2m history row of the procedure, with
    the actor and the reason, when the set changes; nothing when it does not.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if not permissions.can_author(actor, procedure):
        _deny()
    wanted = {sector.pk for sector in sectors}
    if wanted == set(procedure.sectors.values_list("pk", flat=True)):
        return procedure
    procedure._history_user, procedure._change_reason = actor, _("Sửa lĩnh vực")
    procedure.sectors.set(wanted)
    return procedure
