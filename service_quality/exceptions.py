from django.core.exceptions import ValidationError


class ServiceQualityError(ValidationError):
    """A refused action on dossier figures, objectives, surveys or reviews; its
    message is meant for the user."""


class ServiceQualityRecordError(ServiceQualityError):
    """An attempt to delete a record of the quality system."""
