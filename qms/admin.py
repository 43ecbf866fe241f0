from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Clause,
    ClauseCorrespondence,
    Edition,
    LockoutEvent,
    MailDelivery,
    Notification,
    NotificationPreference,
    OrgUnit,
    Sector,
    User,
)
from .services import user_deactivate


class HistoryAdmin(SimpleHistoryAdmin):
    """History to read, never to replay: a revert would bypass the services."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(OrgUnit)
class OrgUnitAdmin(HistoryAdmin):
    list_display = ("code", "name", "parent", "head")
    search_fields = ("code", "name")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryAdmin):
    list_display = ("username", "first_name", "last_name", "department", "is_active")
    list_filter = ("is_active", "groups", "department")
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Đơn vị"), {"fields": ("department",)}),)
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Ngừng kích hoạt người dùng đã chọn"))
    def deactivate(self, request, queryset):
        for user in queryset:
            user_deactivate(user=user, actor=request.user)
        self.message_user(request, _("Đã ngừng kích hoạt."), messages.SUCCESS)


def catalogue_in_use(obj) -> bool:
    """Whether a record outside the catalogues (a version, an audit, a finding …)
    refers to this edition or clause: from then on the admin shows it read-only."""
    catalogue = (Edition, Clause, ClauseCorrespondence)
    for relation in obj._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        model = relation.related_model
        if issubclass(model, catalogue) or model.__name__.startswith("Historical"):
            continue
        if model._default_manager.filter(**{relation.field.name: obj}).exists():
            return True
    return False


class CatalogueAdmin(HistoryAdmin):
    """Editions and clauses are read-only once a record refers to them (issue 11)."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and catalogue_in_use(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Edition)
class EditionAdmin(CatalogueAdmin):
    list_display = ("year", "name")


@admin.register(Clause)
class ClauseAdmin(CatalogueAdmin):
    list_display = ("number", "title_vi", "title_en", "edition")
    list_filter = ("edition",)
    search_fields = ("number", "title_vi", "title_en")
    readonly_fields = ("edition", "number", "parent")

    def has_add_permission(self, request):
        return False


@admin.register(ClauseCorrespondence)
class ClauseCorrespondenceAdmin(HistoryAdmin):
    list_display = ("source", "target", "kind")
    list_filter = ("kind",)
    list_select_related = ("source", "target")
    search_fields = ("source__number", "target__number")

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records read here and written elsewhere (the e-mail outbox, lockouts, fields)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sector)
class SectorAdmin(HistoryAdmin, ReadOnlyAdmin):
    """Read here; fields are added and changed on the service-quality pages."""

    list_display = ("code", "name", "department")
    list_select_related = ("department",)
    search_fields = ("code", "name")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "category", "subject", "status", "sent_at")
    list_filter = ("category", "status", "kind")
    list_select_related = ("recipient",)
    search_fields = ("subject", "recipient__username", "ref")
    date_hierarchy = "created_at"


@admin.register(MailDelivery)
class MailDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "day", "address", "subject", "status")
    list_filter = ("kind", "status")
    list_select_related = ("recipient",)
    search_fields = ("subject", "address", "recipient__username")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(HistoryAdmin, ReadOnlyAdmin):
    list_display = ("user", "delivery", "language")
    list_select_related = ("user",)


@admin.register(LockoutEvent)
class LockoutEventAdmin(ReadOnlyAdmin):
    """Lockouts and their ends, to read. The failed attempts themselves, and the reset
    of a lockout (delete its access attempt), are under "Axes"."""

    list_display = ("at", "kind", "username", "ip_address", "until")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address")
    date_hierarchy = "at"
