from django.core.exceptions import ValidationError


class ProcedureError(ValidationError):
    """A refused action on a procedure; its message is meant for the user."""


class ControlledRecordError(ProcedureError):
    """An attempt to change or delete what document control freezes."""
