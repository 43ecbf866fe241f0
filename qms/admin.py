from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from procedures.services import user_deactivate

from .models import Clause, ClauseCorrespondence, Edition, OrgUnit, User


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
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


@admin.register(Edition)
class EditionAdmin(SimpleHistoryAdmin):
    list_display = ("year", "name")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title_vi", "title_en", "edition")
    list_filter = ("edition",)
    search_fields = ("number", "title_vi", "title_en")
    readonly_fields = ("edition", "number", "parent")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClauseCorrespondence)
class ClauseCorrespondenceAdmin(SimpleHistoryAdmin):
    list_display = ("source", "target", "kind")
    list_filter = ("kind",)
    list_select_related = ("source", "target")
    search_fields = ("source__number", "target__number")

    def has_delete_permission(self, request, obj=None):
        return False
