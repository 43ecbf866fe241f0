from django.utils.translation import gettext_lazy as _

from .exceptions import ControlledRecordError
from .models import FROZEN_STATES


def refuse_clause_change_on_frozen_version(sender, instance, action, reverse, **kwargs):
    """Clause references and the proposed distribution are content: frozen with the
    rest of an approved version."""
    if reverse or not action.startswith("pre_"):
        return
    if instance.pk and type(instance).objects.filter(pk=instance.pk, state__in=FROZEN_STATES).exists():
        raise ControlledRecordError(
            _("Phiên bản đã phê duyệt không được sửa; hãy tạo lần ban hành mới.")
        )
