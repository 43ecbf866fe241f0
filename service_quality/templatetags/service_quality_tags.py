from decimal import Decimal

from django import template

from service_quality import inbox, permissions
from service_quality.formatting import vn_number, vn_pct
from service_quality.selectors.objectives import STATUS_LABELS

register = template.Library()


@register.simple_tag
def can_use_service_quality(user) -> bool:
    """For the menu: the pages are for everyone with a role."""
    return permissions.can_use(user)


@register.filter
def vnnum(value):
    return vn_number(value)


@register.filter
def vnpct(value):
    """A Decimal, or a decimal string of frozen review inputs, as "99,54 %"."""
    if isinstance(value, str):
        value = Decimal(value) if value else None
    return vn_pct(value)


@register.filter
def status_label(status: str) -> str:
    """The label of an objective's status key, in the reader's language."""
    return STATUS_LABELS.get(status, status)


@register.inclusion_tag("service_quality/_dashboard_panel.html", takes_context=True)
def service_quality_dashboard_panel(context, limit: int = 10):
    """The service-quality part of a dashboard: missed or at-risk objectives the user
    owns and review outputs assigned to them. Empty for someone with none."""
    request = context.get("request")
    user = getattr(request, "user", None)
    items = inbox.inbox_items(user=user) if permissions.can_use(user) else []
    return {"request": request, "items": items[:limit], "more": len(items) > limit,
            "can_use": permissions.can_use(user)}
