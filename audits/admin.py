"""Admin pages: reading and history only; every change goes through audits.services."""

from django.contrib import admin

from qms.admin import HistoryAdmin

from .models import (
    ActionAttempt,
    Audit,
    AuditProgramme,
    AuditReport,
    AuditSignature,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    FindingAttachment,
    FindingRevision,
)


class ReadOnlyAdmin(HistoryAdmin):
    """Audit records: never added, edited or deleted from the admin; only a
    superuser reads them here (the object permissions are not checked per row)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser


@admin.register(AuditProgramme)
class AuditProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("year", "title", "created_by")


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "state", "planned_start", "planned_end", "lead_auditor")
    list_filter = ("state", "programme")
    list_select_related = ("programme", "lead_auditor")
    search_fields = ("title",)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    list_display = ("audit", "position", "result")
    list_select_related = ("audit__programme",)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "grade", "clause", "department")
    list_filter = ("grade",)
    list_select_related = ("audit__programme", "clause", "department")
    search_fields = ("statement",)


@admin.register(FindingAttachment)
class FindingAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "finding", "size", "sha256")
    list_select_related = ("finding__audit__programme",)


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "owner", "due_date", "state")
    list_filter = ("state",)
    list_select_related = ("finding__audit__programme", "owner")


@admin.register(AuditReport)
class AuditReportAdmin(ReadOnlyAdmin):
    list_display = ("number", "issued_by", "issued_at", "sha256")
    list_select_related = ("issued_by",)


@admin.register(ActionAttempt)
class ActionAttemptAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "number", "answered_by", "answered_at", "result", "verified_by")
    list_filter = ("result",)
    list_select_related = ("action__finding__audit__programme", "answered_by", "verified_by")


@admin.register(FindingRevision)
class FindingRevisionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "revision", "grade", "made_by", "made_at")
    list_select_related = ("finding__audit__programme", "made_by")


@admin.register(AuditSignature)
class AuditSignatureAdmin(ReadOnlyAdmin):
    list_display = ("report", "signer_name", "meaning", "signed_at", "pdf_sha256")
    list_select_related = ("report",)
