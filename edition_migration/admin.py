"""Admin pages of the migration: reading and history only; decisions go through the services."""

from django.contrib import admin

from procedures.admin import ReadOnlyAdmin

from .models import EditionMigration, TermFlag


@admin.register(EditionMigration)
class EditionMigrationAdmin(ReadOnlyAdmin):
    list_display = ("procedure", "source_version", "draft", "created_by", "created_at")
    list_select_related = ("procedure", "source_version__procedure", "draft__procedure", "created_by")
    search_fields = ("procedure__code", "procedure__title")


@admin.register(TermFlag)
class TermFlagAdmin(ReadOnlyAdmin):
    list_display = ("migration", "found", "replacement", "decision", "decided_by", "decided_at")
    list_filter = ("decision", "key")
    list_select_related = ("migration__procedure", "decided_by")
