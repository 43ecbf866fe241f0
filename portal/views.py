"""The dashboard: each person's work, gathered from every app."""

from django.shortcuts import render
from django.utils import timezone

from procedures import permissions, selectors

from . import inbox as inbox_module

DASHBOARD_ROWS = 10


def _section(queryset, rows=DASHBOARD_ROWS) -> dict:
    """The first rows of a work list and its total: two queries whatever its size."""
    return {"rows": list(queryset[:rows]), "total": queryset.count()}


def home(request):
    """Each role's work: pending acknowledgements; for officers and approvers their
    drafts, what waits for their signature or publication, overdue reviews. The
    template adds the audits panel (audits_tags)."""
    user = request.user
    context = {"sections": {}}
    if permissions.must_acknowledge(user):
        context["sections"]["pending"] = _section(
            selectors.acknowledgement_pending_list(user=user)
        )
    if permissions.can_use_register(user):
        context["sections"].update(
            drafts=_section(selectors.my_drafts_list(user=user)),
            signature=_section(selectors.awaiting_signature_list(user=user)),
            publication=_section(selectors.awaiting_publication_list(user=user)),
            overdue=_section(selectors.overdue_review_for_managers(user=user)),
        )
    return render(request, "portal/home.html", context)


def inbox(request):
    """Everything waiting for the person, grouped by kind, each item linking to where
    it is done, the earliest due first."""
    groups = inbox_module.inbox_groups(user=request.user)
    total = sum(len(items) for _kind, _label, items in groups)
    setattr(request, inbox_module.REQUEST_CACHE, total)  # the header shows the same number
    return render(request, "portal/inbox.html", {
        "groups": groups, "total": total, "today": timezone.localdate()})
