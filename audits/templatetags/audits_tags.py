from django import template

from audits import selectors

register = template.Library()


@register.inclusion_tag("audits/_dashboard_panel.html", takes_context=True)
def audits_dashboard_panel(context):
    """The audits part of a user's dashboard: overdue corrective actions they own or
    follow, and the open audits they lead or are on. Empty for someone with no
    audit role or grant."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"request": request, "panel": selectors.dashboard(user=user)}
