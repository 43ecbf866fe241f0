"""The task inbox's common shape. Each app provides `<app>/inbox.py` with

    KINDS: dict[str, str]                       # its groups, in order, with labels
    inbox_items(*, user) -> list[InboxItem]
    inbox_count(*, user) -> int
    inbox_querysets(*, user) -> list[QuerySet]  # what inbox_count counts

(`inbox_count` in a bounded number of queries, whatever the number of items), and
the portal gathers them (portal/inbox.py PROVIDERS), counting every provider's
querysets in one statement (`count_querysets`).
"""

import datetime
from dataclasses import dataclass


@dataclass
class InboxItem:
    """One piece of work waiting for a person: what kind (the inbox groups by it),
    what it is, where it is done, by when (None: no date), and a line of detail."""

    kind: str
    title: str
    url: str
    due: datetime.date | None
    detail: str = ""

    def sort_key(self):
        """Dated items first, the earliest first; undated ones after, by title."""
        return (self.due is None, self.due or datetime.date.max, self.title)


def count_querysets(querysets) -> int:
    """The total number of rows of several querysets, in one SQL statement
    (`SELECT (SELECT COUNT(*) FROM (…)) + (SELECT COUNT(*) FROM (…)) …`), so that the
    header's count costs one query on every page whatever the apps and their sizes."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    parts, params = [], []
    for queryset in querysets:
        if queryset.query.is_empty():
            continue
        try:
            sql, sql_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) inbox_{len(parts)})")
        params.extend(sql_params)
    if not parts:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(parts), params)
        return int(cursor.fetchone()[0] or 0)
