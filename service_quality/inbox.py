"""The service-quality part of a person's task list, for the portal's dashboard
and its /inbox/ page: the objectives they own that are missed or at risk (until a
nonconformity is raised on them), and the management-review outputs assigned to
them (until done). A bounded number of queries whatever the number of items.
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from .formatting import vn_number
from .models import QualityObjective, ReviewOutput
from .selectors.objectives import AT_RISK, MISSED, objective_queryset, with_status
from .selectors.report import visibility_for


def _objectives(user) -> list:
    visibility = visibility_for(user)
    if visibility is None:
        return []
    owned = objective_queryset().filter(owner=user).order_by("-year", "pk")
    return [
        o for o in with_status(owned, visibility=visibility)
        if o.state["status"] in (MISSED, AT_RISK) and o.open_nonconformity is None
    ]


def _outputs(user):
    return (
        ReviewOutput.objects.filter(owner=user, state=ReviewOutput.State.OPEN)
        .select_related("review").order_by("due_date", "pk")
    )


def inbox_items(*, user) -> list[dict]:
    """Each item: {"kind", "title", "url", "due", "detail"}; nothing for an inactive user."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    items = []
    for o in _objectives(user):
        items.append({
            "kind": "service_quality.objective",
            "title": _("Mục tiêu chất lượng %(status)s: %(title)s") % {
                "status": str(o.state["status_label"]).lower(), "title": o.title},
            "url": o.get_absolute_url(),
            "due": o.plan_due,
            "detail": _("%(value)s %(unit)s lũy kế đến tháng %(month)s/%(year)s; chỉ tiêu %(target)s") % {
                "value": vn_number(o.state["value"]), "unit": o.unit_label, "month": o.state["month"],
                "year": o.year, "target": o.target_text},
        })
    for output in _outputs(user):
        items.append({
            "kind": "service_quality.review_output",
            "title": _("Thực hiện quyết định %(code)s / %(number)s của cuộc họp xem xét") % {
                "code": output.review.code, "number": output.number},
            "url": reverse("service_quality:review", kwargs={"pk": output.review_id}) + f"#output-{output.pk}",
            "due": output.due_date,
            "detail": output.description,
        })
    items.sort(key=lambda item: (item["due"] or datetime.date.max, item["title"]))
    return items


def inbox_count(*, user) -> int:
    """How many items inbox_items would give: at most 5 queries (objectives with their
    readings and nonconformities, the figures of their years, their surveys, the outputs)."""
    if not (user and user.is_authenticated and user.is_active):
        return 0
    if not QualityObjective.objects.filter(owner=user).exists():
        return _outputs(user).count()
    return len(_objectives(user)) + _outputs(user).count()
