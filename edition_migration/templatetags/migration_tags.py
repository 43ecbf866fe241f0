from django import template

from edition_migration import permissions

register = template.Library()


@register.simple_tag
def user_can_open_migration(user):
    """Whether the migration menu entry leads somewhere for this person (its index
    refuses everyone else)."""
    return permissions.can_use_migration(user) or permissions.can_view_reports(user)
