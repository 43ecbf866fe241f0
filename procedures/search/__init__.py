"""Search of effective procedures (issue 12): see query.py for the syntax,
index.py for what is indexed and how it is kept, results.py for the ranking."""

from .index import (
    drop_search_index,
    ensure_search_index,
    on_post_migrate,
    procedure_search_sync,
    rebuild_search_index,
    search_document_sync,
)
from .query import MAX_QUERY_CHARS, MAX_TERMS, Query, QueryError, parse
from .results import COUNT_CAP, SearchResults, effective_search, suggest

__all__ = [
    "COUNT_CAP", "MAX_QUERY_CHARS", "MAX_TERMS", "Query", "QueryError", "SearchResults",
    "drop_search_index", "effective_search", "ensure_search_index", "on_post_migrate", "parse",
    "procedure_search_sync", "rebuild_search_index", "search_document_sync", "suggest",
]
