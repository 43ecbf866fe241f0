"""Search of effective procedures: ranked, cut and counted in the database.

One query finds the page of version ids in relevance order (SQLite: FTS5 and
bm25 with code and title weighted above the body; PostgreSQL: the tsvector's GIN
index and ts_rank_cd), one counts the matches up to COUNT_CAP + 1 ("hơn 1.000
kết quả"), one fetches the page's rows. A version whose code is the query comes
first. Filters (department, kind, clause of either edition, field) narrow the
ids with a subquery, inside the same statements.

The first ids and the count of a search without filters are cached (Django's
cache, SEARCH_CACHE_SECONDS) under the index's generation (index.py), read before
each search: the first change to the index, committed, makes every cached list
unreachable. A page with filters is always searched anew: a procedure can change
department or sector without the index changing.
"""

import functools
import hashlib
import json
import logging
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse

from qms.models import Clause, Edition, OrgUnit

from ..models import Procedure, ProcedureVersion, SearchDocument, State
from ..selectors import effective_versions
from .index import DOC_TABLE, FTS_TABLE, GENERATION_TABLE, HEAD_TABLE
from .query import Query, parse
from .snippet import highlight, snippet

logger = logging.getLogger(__name__)

COUNT_CAP = 1000
# bm25 weights of the FTS5 columns code, title, body.
BM25 = (10.0, 5.0, 1.0)
# ts_rank_cd weights {D, C, B, A}: body is C, code and title A.
TS_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
SUGGESTIONS = 8
SUGGEST_CANDIDATES = 2000  # matches ranked for suggestions, at most
# A ranked query scores every match anyway: it returns the first PREFETCH ids at once,
# so that the first pages cost one query (and the count none when fewer match).
PREFETCH = 100


class SearchResults:
    """What Django's Paginator pages through: count() (capped) and slicing. Each
    slice runs its own ranked query for just those rows."""

    ordered = True
    cap = COUNT_CAP

    def __init__(self, queryset: QuerySet, query: Query, *, filtered: bool):
        self._queryset = queryset
        self.query = query
        self._filtered = filtered
        self._count: int | None = None
        self._exact: int | None | bool = False  # not looked up yet
        self._first: list[int] | None = None  # the first PREFETCH ids, ranked

    # ------------------------------------------------------------ SQL pieces

    @property
    def _connection(self):
        return connections[self._queryset.db]

    def _restriction(self, column: str) -> tuple[str, list]:
        if not self._filtered:
            return "", []
        sql, params = self._queryset.order_by().values("pk").query.sql_with_params()
        return f" AND {column} IN ({sql})", list(params)

    def _matching_sql(self) -> tuple[str, list, str | None]:
        """(FROM … WHERE …, params, rank): the matches and their score, best lowest
        (None: unranked, in id order)."""
        # Codes and titles only (a one- or two-letter query, suggestions): their own
        # small index; a one- or two-letter query is not ranked, so the engine stops
        # at the page instead of scoring every title with such a word.
        if self._connection.vendor == "postgresql":
            where, params = self._restriction("d.version_id")
            if self.query.short:  # one posting list (index.PG_INITIALS), in id order
                return (
                    f"FROM {DOC_TABLE} d WHERE d.initials @@ to_tsquery('simple', %s){where}",
                    [self.query.initial(), *params],
                    None,
                )
            column = "d.head" if self.query.head else "d.vector"
            return (
                f"FROM {DOC_TABLE} d, to_tsquery('simple', %s) q WHERE {column} @@ q{where}",
                [self.query.tsquery(), *params],
                f"-ts_rank_cd('{TS_WEIGHTS}', {column}, q)",
            )
        table = HEAD_TABLE if self.query.head else FTS_TABLE
        where, params = self._restriction(f"{table}.rowid")
        weights = ", ".join(str(w) for w in (BM25[:2] if self.query.head else BM25))
        return (
            f"FROM {table} WHERE {table} MATCH %s{where}",
            [self.query.fts5(), *params],
            None if self.query.short else f"bm25({table}, {weights})",
        )

    def _order(self, rank: str | None) -> str:
        return f"{rank}, {self._id_column()}" if rank else self._id_column()

    def _id_column(self) -> str:
        if self._connection.vendor == "postgresql":
            return "d.version_id"
        return (HEAD_TABLE if self.query.head else FTS_TABLE) + ".rowid"

    # ------------------------------------------------------------ the queries

    def _exact_code(self) -> int | None:
        """The version whose code is the whole query (one indexed lookup)."""
        if self._exact is False:
            self._exact = None
            terms = self.query.include
            if len(terms) == 1 and not self.query.exclude:
                pk = (
                    SearchDocument.objects.using(self._queryset.db)
                    .filter(code=" ".join(terms[0].words)).values_list("version_id", flat=True)
                    .first()
                )
                if pk is not None and (not self._filtered or self._queryset.filter(pk=pk).exists()):
                    self._exact = pk
        return self._exact

    def _ids(self, offset: int, limit: int, *, candidates: int | None = None) -> list[int]:
        """Ids of the ranked matches offset..offset+limit; with `candidates`, the best
        of the first `candidates` matches only (suggestions: a hint, given at once even
        when every title matches; the results page ranks them all)."""
        if limit <= 0 or self._queryset.query.is_empty():  # a reader who may see nothing
            return []
        if not self.query:
            return list(self._queryset.order_by("procedure__code").values_list("pk", flat=True)
                        [offset:offset + limit])
        exact = self._exact_code()
        head = []
        if exact is not None:
            if offset == 0:
                head, limit = [exact], limit - 1
            else:
                offset -= 1
        body, params, rank = self._matching_sql()
        if exact is not None:
            body += f" AND {self._id_column()} <> %s"
            params.append(exact)
        sql = f"SELECT {self._id_column()} {body} ORDER BY {self._order(rank)} LIMIT %s OFFSET %s"
        if candidates and rank:
            sql = (f"SELECT id FROM (SELECT {self._id_column()} AS id, {rank} AS r {body} "
                   f"LIMIT {int(candidates)}) c ORDER BY r, id LIMIT %s OFFSET %s")
        with self._connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return head + [pk for (pk,) in cursor.fetchall()]

    def _ranked(self) -> bool:
        return bool(self.query) and not self.query.short and not self._queryset.query.is_empty()

    def _cache_key(self) -> str | None:
        """Where this search's first ids are cached, under the index's generation read
        now (before the search: a list is never filed under a newer generation than
        the index it was ranked on); None when not cached."""
        if self._filtered or settings.SEARCH_CACHE_SECONDS <= 0:
            return None
        with self._connection.cursor() as cursor:
            cursor.execute(f"SELECT token FROM {GENERATION_TABLE} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            return None
        digest = hashlib.sha256(repr(self.query).encode()).hexdigest()
        return f"qms:search:{self._queryset.db}:{row[0]}:{PREFETCH}:{COUNT_CAP}:{digest}"

    def _prefetch(self) -> list[int]:
        if self._first is None:
            key = self._cache_key()
            if key and (cached := _cache_call(cache.get, key)) is not None:
                self._first, self._count = cached
                return self._first
            body, params, rank = self._matching_sql()
            sql = f"SELECT {self._id_column()} {body} ORDER BY {self._order(rank)} LIMIT %s"
            with self._connection.cursor() as cursor:
                cursor.execute(sql, [*params, PREFETCH])
                ids = [pk for (pk,) in cursor.fetchall()]
            # Fewer than PREFETCH: that is every match. Otherwise count apart, up to the
            # cap (the engine stops there; a window count would rank every match twice).
            self._count = len(ids) if len(ids) < PREFETCH else self._capped_count()
            exact = self._exact_code()
            if exact is not None:
                ids = [exact, *(pk for pk in ids if pk != exact)]
            self._first = ids
            if key:
                _cache_call(cache.set, key, (self._first, self._count), settings.SEARCH_CACHE_SECONDS)
        return self._first

    def _capped_count(self) -> int:
        body, params, _rank = self._matching_sql()
        sql = f"SELECT count(*) FROM (SELECT 1 {body} LIMIT %s) t"
        with self._connection.cursor() as cursor:
            cursor.execute(sql, [*params, COUNT_CAP + 1])
            return cursor.fetchone()[0]

    def count(self) -> int:
        """The number of matches, up to COUNT_CAP + 1 (see `capped`)."""
        if self._count is None and self._ranked():
            self._prefetch()
        if self._count is None:
            if not self.query or self._queryset.query.is_empty():
                self._count = self._queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
            else:
                self._count = self._capped_count()
        return min(self._count, COUNT_CAP + 1)

    @property
    def capped(self) -> bool:
        """More than COUNT_CAP matches: the page says "hơn 1.000 kết quả"."""
        return self.count() > COUNT_CAP

    def _fetch(self, ids: list[int]) -> list[ProcedureVersion]:
        """The page's versions, in `ids` order, with what a results row shows (the page
        and the API's summary) and their cited clauses: one query of plain rows, its
        SQL compiled once (_page_sql), the rows built with Model.from_db (what is not
        read stays deferred). Compiling select_related and prefetch_related on every
        search, and a second round trip, cost more than a rare word's rows."""
        if not ids:
            return []
        db = self._queryset.db
        with connections[db].cursor() as cursor:
            cursor.execute(_page_sql(db, len(ids)), ids)
            rows = cursor.fetchall()
        by_pk = {}
        for *values, cited in rows:
            version, procedure, department, edition = _instances(db, values)
            if version.state != State.EFFECTIVE:
                continue  # the index behind its versions: never shown as current
            procedure.department = department
            version.procedure, version.edition = procedure, edition
            _set_clauses(version, cited)
            version.title_html = highlight(procedure.title, self.query)
            version.snippet = snippet(version.body, self.query)
            by_pk[version.pk] = version
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def __len__(self) -> int:
        return min(self.count(), COUNT_CAP)

    def __bool__(self) -> bool:
        return self.count() > 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1) or (index.start or 0) < 0:
                raise ValueError("simple slices only")
            start = index.start or 0
            stop = min(index.stop if index.stop is not None else COUNT_CAP, COUNT_CAP)
            if self._ranked():
                first = self._prefetch()
                if stop <= len(first) or self._count <= len(first):
                    return self._fetch(first[start:stop])
            return self._fetch(self._ids(start, stop - start))
        if not isinstance(index, int):  # templates try obj["name"] before obj.name
            raise TypeError(index)
        rows = self._fetch(self._ids(index, 1))
        if not rows:
            raise IndexError(index)
        return rows[0]

    def __iter__(self):
        return iter(self[:])

    def __repr__(self) -> str:
        return f"<SearchResults {self.query!r}>"


def _cache_call(method, *args):
    """A cache that is down (Redis restarting) costs a search, never the page."""
    try:
        return method(*args)
    except Exception:
        logger.warning("search cache unavailable", exc_info=True)
        return None


# A results row: (model, fields read) of the version and the rows it shows, in the
# order _instances builds them; what is not listed stays deferred.
PAGE_ROW = (
    (ProcedureVersion, ("id", "procedure_id", "edition_id", "revision", "title", "body", "state",
                        "effective_from", "next_review_due", "change_summary")),
    (Procedure, ("procedure__id", "procedure__code", "procedure__title", "procedure__kind",
                 "procedure__department_id")),
    (OrgUnit, ("procedure__department__id", "procedure__department__code",
               "procedure__department__name")),
    (Edition, ("edition__id", "edition__year", "edition__name")),
)


@functools.lru_cache(maxsize=4 * PREFETCH)
def _page_sql(db: str, count: int) -> str:
    """The SQL of PAGE_ROW and the cited clauses of `count` versions, ids as parameters."""
    names = [name for _model, fields in PAGE_ROW for name in fields]
    rows = (
        ProcedureVersion.objects.using(db).filter(pk__in=range(count)).order_by()
        .annotate(cited=RawSQL(_cited_clauses_sql(connections[db]), ())).values_list(*names, "cited")
    )
    return rows.query.sql_with_params()[0]


def _instances(db: str, values: tuple) -> list:
    out, start = [], 0
    for model, fields in PAGE_ROW:
        out.append(_loaded(model, db, fields, values[start:start + len(fields)]))
        start += len(fields)
    return out


def _loaded(model, db: str, fields: tuple[str, ...], values):
    """model.from_db with `fields` read (`values` in their order)."""
    names, order = _layout(model, fields)
    return model.from_db(db, names, [values[i] for i in order])


@functools.cache
def _layout(model, fields: tuple[str, ...]) -> tuple[list[str], list[int]]:
    """from_db's field names (it wants the model's order) and where each is in `fields`."""
    attnames = [name.rsplit("__", 1)[-1] for name in fields]
    names = [f.attname for f in model._meta.concrete_fields if f.attname in attnames]
    return names, [attnames.index(name) for name in names]


CITED_FIELDS = ("id", "edition_id", "number", "title_vi", "title_en", "sort_key")


def _cited_clauses_sql(connection) -> str:
    """A version's cited clauses as one JSON array of [edition year, sort key,
    *CITED_FIELDS] rows: sorted, Clause's own order."""
    qn = connection.ops.quote_name
    agg, row = (("json_agg", "json_build_array") if connection.vendor == "postgresql"
                else ("json_group_array", "json_array"))
    columns = ", ".join(f"c.{qn(name)}" for name in CITED_FIELDS)
    return (
        f"SELECT {agg}({row}(e.{qn('year')}, c.{qn('sort_key')}, {columns})) "
        f"FROM {qn(ProcedureVersion.clauses.through._meta.db_table)} t "
        f"JOIN {qn(Clause._meta.db_table)} c ON c.{qn('id')} = t.{qn('clause_id')} "
        f"JOIN {qn(Edition._meta.db_table)} e ON e.{qn('id')} = c.{qn('edition_id')} "
        f"WHERE t.{qn('procedureversion_id')} = {qn(ProcedureVersion._meta.db_table)}.{qn('id')}"
    )


def _set_clauses(version: ProcedureVersion, cited) -> None:
    """version.clauses.all() without a query, as prefetch_related leaves it."""
    rows = sorted(json.loads(cited) if isinstance(cited, str) else cited or [])
    clauses = version.clauses.all()
    clauses._result_cache = [_loaded(Clause, version._state.db, CITED_FIELDS, row[2:]) for row in rows]
    clauses._prefetch_done = True
    version._prefetched_objects_cache = {"clauses": clauses}


def effective_search(
    *, user, query: str | Query = "", department=None, kind: str | None = None, clause=None,
    sector=None,
) -> SearchResults:
    """Effective versions visible to `user`, matching `query` (query.parse: words
    ANDed, "phrases", -word, the last word a prefix; diacritics and case ignored)
    on code, title and body, best first; without words, every version by code.
    Filters: department (an OrgUnit owning the procedure), kind (Procedure.Kind),
    clause (a qms.Clause of either edition: versions citing it or one below it),
    sector (a qms.Sector the procedure governs). Raises query.QueryError for a
    query too long to search whole. Page rows carry `title_html` and `snippet`."""
    parsed = query if isinstance(query, Query) else parse(query)
    qs = effective_versions(user=user)
    filtered = False
    if department is not None:
        qs, filtered = qs.filter(procedure__department=department), True
    if kind:
        qs, filtered = qs.filter(procedure__kind=kind), True
    if clause is not None:
        qs, filtered = qs.filter(pk__in=_versions_citing(clause)), True
    if sector is not None:
        qs, filtered = qs.filter(procedure__sectors=sector), True
    return SearchResults(qs, parsed, filtered=filtered)


def _versions_citing(clause: Clause):
    Through = ProcedureVersion.clauses.through
    return Through.objects.filter(
        Q(clause_id=clause.pk)
        | Q(clause__edition_id=clause.edition_id, clause__number__startswith=clause.number + ".")
    ).values("procedureversion_id")


def suggest(*, user, text: str, limit: int = SUGGESTIONS) -> list[dict]:
    """Codes and titles for the search box as the user types: the query's words
    in code or title only (the last one a prefix), best first."""
    parsed = parse(text)
    if not parsed:
        return []
    results = effective_search(user=user, query=replace(parsed, head=True))
    ids = results._ids(0, limit, candidates=SUGGEST_CANDIDATES)
    rows = (
        ProcedureVersion.objects.using(results._queryset.db).filter(pk__in=ids)
        .values_list("pk", "procedure__code", "procedure__title")
    )
    by_pk = {pk: (code, title) for pk, code, title in rows}
    return [
        {"code": code, "title": title, "url": reverse("procedures:detail", args=[code])}
        for code, title in (by_pk[pk] for pk in ids if pk in by_pk)
    ]
