from django.core.exceptions import ValidationError


class AuditError(ValidationError):
    """A refused action on an audit, a finding or a corrective action; its message
    is meant for the user."""


class AuditRecordError(AuditError):
    """An attempt to delete an audit record or change an issued report."""
