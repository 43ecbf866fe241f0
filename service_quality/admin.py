"""Admin pages: reading and history only; every change goes through service_quality.services."""

from django.contrib import admin

from qms.admin import HistoryAdmin

from .models import (
    DossierStat,
    ManagementReview,
    OnlineTarget,
    PublishedPeriod,
    QualityObjective,
    ReportingUnit,
    ReviewOutput,
    SatisfactionSurvey,
)


class ReadOnlyAdmin(HistoryAdmin):
    """Never added, edited or deleted here; only a superuser reads them (the object
    permissions are not checked per row in the admin)."""

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


@admin.register(ReportingUnit)
class ReportingUnitAdmin(ReadOnlyAdmin):
    list_display = ("unit", "created_at")
    list_select_related = ("unit",)


@admin.register(DossierStat)
class DossierStatAdmin(ReadOnlyAdmin):
    list_display = ("period", "department", "field", "carried_over", "received", "resolved_late", "source")
    list_filter = ("year", "department", "field")
    list_select_related = ("department", "field")


@admin.register(OnlineTarget)
class OnlineTargetAdmin(ReadOnlyAdmin):
    list_display = ("year", "department", "target")
    list_select_related = ("department",)


@admin.register(PublishedPeriod)
class PublishedPeriodAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "published", "published_by", "published_at")


@admin.register(QualityObjective)
class QualityObjectiveAdmin(ReadOnlyAdmin):
    list_display = ("year", "title", "indicator", "scope", "owner")
    list_select_related = ("owner",)


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "respondents")
    list_select_related = ("department",)


@admin.register(ManagementReview)
class ManagementReviewAdmin(ReadOnlyAdmin):
    list_display = ("code", "meeting_date", "chair", "state")
    list_select_related = ("chair",)


@admin.register(ReviewOutput)
class ReviewOutputAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "owner", "due_date", "state")
    list_select_related = ("review", "owner")
