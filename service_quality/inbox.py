"""The service-quality part of a person's task list, for the portal's dashboard
and its /inbox/ page: the objectives they own that are missed or at risk (until a
nonconformity is raised on them), and the management-review outputs assigned to
them (until done). A bounded number of queries whatever the number of items.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import roles
from qms.inbox import InboxItem

from .formatting import vn_number
from .models import QualityObjective, ReviewOutput
from .selectors.objectives import AT_RISK, MISSED, objective_queryset, with_status
from .selectors.report import visibility_for

OBJECTIVE = "service_quality.objective"
REVIEW_OUTPUT = "service_quality.review_output"

# The groups of the inbox page, in this order.
KINDS = {
    OBJECTIVE: gettext_lazy("Mục tiêu chất lượng không đạt hoặc có nguy cơ không đạt"),
    REVIEW_OUTPUT: gettext_lazy("Việc được giao từ cuộc họp xem xét của lãnh đạo"),
}


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


def inbox_items(*, user) -> list[InboxItem]:
    """Nothing for an inactive user."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    items = []
    for o in _objectives(user):
        items.append(InboxItem(
            kind=OBJECTIVE,
            title=_("Mục tiêu chất lượng %(status)s: %(title)s") % {
                "status": str(o.state["status_label"]).lower(), "title": o.title},
            url=o.get_absolute_url(),
            due=o.plan_due,
            detail=_("%(value)s %(unit)s lũy kế đến tháng %(month)s/%(year)s; chỉ tiêu %(target)s") % {
                "value": vn_number(o.state["value"]), "unit": o.unit_label, "month": o.state["month"],
                "year": o.year, "target": o.target_text},
        ))
    for output in _outputs(user):
        items.append(InboxItem(
            kind=REVIEW_OUTPUT,
            title=_("Thực hiện quyết định %(code)s / %(number)s của cuộc họp xem xét") % {
                "code": output.review.code, "number": output.number},
            url=reverse("service_quality:review", kwargs={"pk": output.review_id}) + f"#output-{output.pk}",
            due=output.due_date,
            detail=output.description,
        ))
    items.sort(key=InboxItem.sort_key)
    return items


def inbox_querysets(*, user) -> list:
    """What the header's single counting statement can count: the open outputs."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    return [_outputs(user)]


def inbox_extra_count(*, user) -> int:
    """The objectives part, whose status comes from the figures (not one queryset):
    nothing and no query for someone who is no quality officer; one query for an
    officer who owns no objective."""
    if not roles.has_role(user, roles.QUALITY_OFFICER):
        return 0
    if not QualityObjective.objects.filter(owner=user).exists():
        return 0
    return len(_objectives(user))


def inbox_count(*, user) -> int:
    """How many items inbox_items would give: at most 5 queries (objectives with their
    readings and nonconformities, the figures of their years, their surveys, the outputs)."""
    if not (user and user.is_authenticated and user.is_active):
        return 0
    if not QualityObjective.objects.filter(owner=user).exists():
        return _outputs(user).count()
    return len(_objectives(user)) + _outputs(user).count()
