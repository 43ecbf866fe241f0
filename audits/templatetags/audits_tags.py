from django import template

register = template.Library()


@register.inclusion_tag("audits/_dashboard_panel.html", takes_context=True)
def audits_dashboard_panel(context):
    """The audits part of a user's dashboard (overdue corrective actions…)."""
    return {"request": context.get("request")}
