"""Admin pages: reading and history everywhere; changes only through the services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from qms.admin import HistoryAdmin

from . import services
from .models import (
    AccessLog,
    Acknowledgement,
    Attachment,
    Comment,
    Procedure,
    ProcedureVersion,
    ReviewAssignment,
    Signature,
)


class ReadOnlyAdmin(HistoryAdmin):
    """Controlled records: never added, edited or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(GuardedModelAdmin, ReadOnlyAdmin):
    list_display = ("code", "title", "kind", "department", "owner")
    list_filter = ("kind", "department")
    list_select_related = ("department", "owner")
    search_fields = ("code", "title")
    actions = ["start_revision"]

    def has_change_permission(self, request, obj=None):
        # Guardian's object-permission pages are reached through the change view;
        # the fields themselves stay read-only (see get_readonly_fields).
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["distribution"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Read-only page that leads to guardian's object permissions: no save.
        if request.method == "POST":
            raise PermissionDenied
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Tạo lần ban hành mới"))
    def start_revision(self, request, queryset):
        for procedure in queryset:
            try:
                services.version_start_revision(procedure=procedure, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{procedure.code}: {error.messages[0]}", messages.ERROR)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    list_display = ("procedure", "revision", "edition", "state", "effective_from", "next_review_due")
    list_filter = ("state", "edition")
    list_select_related = ("procedure", "edition")
    search_fields = ("procedure__code", "procedure__title")
    # No life-cycle actions here: submitting names reviewers and an approver, and
    # issuing records the issuing decision; both are done on the version page.


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("version", "signer_name", "meaning", "signed_at")
    list_select_related = ("version__procedure",)


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("version", "round", "role", "person", "status", "decided_at")
    list_filter = ("role", "status")
    list_select_related = ("version__procedure", "person")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("version", "author", "created_at", "status")
    list_filter = ("status",)
    list_select_related = ("version__procedure", "author")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "version", "size", "sha256")
    list_select_related = ("version__procedure",)


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ("version", "user", "acknowledged_at")
    list_select_related = ("version__procedure", "user")
    search_fields = ("version__procedure__code", "user__username")


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Append-only: read here, exported as CSV from the procedure's page."""

    list_display = ("at", "user", "action", "version")
    list_filter = ("action",)
    list_select_related = ("version__procedure", "user")
    search_fields = ("version__procedure__code", "user__username")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

