"""The task inbox: the work each app has waiting for a person, gathered in one place.

Each provider is a module with `KINDS` (its groups, in order, with their labels),
`inbox_items(*, user)`, `inbox_count(*, user)` (see qms/inbox.py) and
`inbox_querysets(*, user)`, what it counts, so that the header's count of all
providers is one query; a provider whose work is computed (objectives' status)
adds `inbox_extra_count(*, user)`. Adding an app's inbox is one line in PROVIDERS.
"""

from audits import inbox as audits_inbox
from procedures import inbox as procedures_inbox
from qms.inbox import count_querysets
from service_quality import inbox as service_quality_inbox

PROVIDERS = [
    procedures_inbox,
    audits_inbox,
    service_quality_inbox,
]

REQUEST_CACHE = "_qms_inbox_count"


def inbox_groups(*, user) -> list[tuple[str, list]]:
    """[(label, items sorted by due date)] in the providers' order, non-empty groups only."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    groups = []
    for provider in PROVIDERS:
        items = provider.inbox_items(user=user)
        for kind, label in provider.KINDS.items():
            of_kind = sorted((i for i in items if i.kind == kind), key=lambda i: i.sort_key())
            if of_kind:
                groups.append((kind, label, of_kind))
    return groups


def inbox_count(*, user) -> int:
    """Every provider's count in one SQL statement (qms.inbox.count_querysets)."""
    if not (user and user.is_authenticated and user.is_active):
        return 0
    counted = count_querysets(
        [qs for provider in PROVIDERS for qs in provider.inbox_querysets(user=user)]
    )
    # Work whose state is computed, not stored (a provider's `inbox_extra_count`).
    return counted + sum(
        provider.inbox_extra_count(user=user)
        for provider in PROVIDERS
        if hasattr(provider, "inbox_extra_count")
    )


def request_inbox_count(request) -> int:
    """The count for the header, computed at most once per request."""
    if not hasattr(request, REQUEST_CACHE):
        setattr(request, REQUEST_CACHE, inbox_count(user=getattr(request, "user", None)))
    return getattr(request, REQUEST_CACHE)
