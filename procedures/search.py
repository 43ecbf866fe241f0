"""Search of effective procedures: how a member of staff finds the current text.

Matching works on `ProcedureVersion.search_text`, which the services keep as
fold(code + " " + title + " " + body) (qms.text.fold: NFD, marks dropped, đ→d,
case folded). The query is folded the same way, so "quy trinh dat dai", "ĐẤT ĐAI"
and NFD input all find "Quy trình … đất đai", and "d" finds "đ". A version
matches when every query word is a substring of its search_text.

Same rows, same order on both databases: the database only tests substrings of
folded text (exact, case-sensitive byte comparison on either engine) and filters
by ids; the ranking and the tie order (code, code point order) are computed in
Python from the procedure's code and title.

Speed. A LIKE over 10,000 texts of 4 KB reads 40 MB per query, twice with a
paginator's count, so each engine gets an index (migration
0006_search_index, repaired by `ensure_search_index` after every migrate):

- SQLite: `procedures_search`, a contentless FTS5 table with the trigram
  tokenizer over the search_text of effective versions (rowid = version id),
  kept by three triggers on procedures_procedureversion, and its vocabulary
  table. Every query word is answered there, exactly (see _fts_ids). Plus an
  index (state, procedure_id) so that filtering and joining never reads the wide
  rows. Without the FTS table the search falls back to LIKE: slower, same rows.
- PostgreSQL: a pg_trgm GIN index on search_text of effective versions, which
  the LIKE filters use directly.
"""

import functools
import re
import unicodedata

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from qms.models import Clause
from qms.text import fold, nfc

from .models import ProcedureVersion
from .selectors import effective_version_list

# Longer queries are cut: nobody types 200 characters into a search box, and every
# word is one more test per matching text.
MAX_QUERY_CHARS = 200
MAX_WORDS = 10
# Shorter words have no trigram of their own (see _fts_ids).
MIN_INDEXED_WORD = 3

# Rank tiers, best first (see effective_search).
RANK_CODE_EXACT = 0
RANK_CODE_PREFIX = 1
RANK_TITLE_PHRASE = 2
RANK_TITLE_WORDS = 3
RANK_BODY = 4

FTS_TABLE = "procedures_search"
FTS_VOCAB = "procedures_search_vocab"
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


# ---------------------------------------------------------------- query


def query_words(query: str) -> list[str]:
    """The folded words of a query, in order, without duplicates.

    Control characters (NUL included) become spaces; the query is cut to
    MAX_QUERY_CHARS characters and MAX_WORDS words; punctuation around a word is
    dropped ("đất," → "dat") but kept inside it ("QT-TNMT-01"); a "word" with no
    letter or digit ("%", "--", "'") is no word.
    """
    text = "".join(
        " " if unicodedata.category(ch)[0] == "C" else ch for ch in (query or "")[:MAX_QUERY_CHARS]
    )
    words = []
    for raw in fold(nfc(text)).split():
        word = _EDGE_PUNCTUATION.sub("", raw)
        if word and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _fts_quote(word: str) -> str:
    escaped = word.replace('"', '""')
    return f'"{escaped}"'


def _fts_ids(words: list[str]) -> RawSQL:
    """Ids of effective versions whose search_text contains every word (SQLite).

    A word of three characters or more is a trigram string: an exact substring
    test. A shorter one has no trigram of its own; it occurs in the text exactly
    when some indexed trigram starts with it (the texts are indexed with two
    trailing spaces, so a word at the very end has its trigram too), so it
    becomes the OR of those trigrams, read from the vocabulary table. A short
    word found nowhere stays a short string, which matches no row.
    """
    long_words = [w for w in words if len(w) >= MIN_INDEXED_WORD]
    parts, params = [], []
    if long_words:
        parts.append("%s")
        params.append(" AND ".join(_fts_quote(w) for w in long_words))
    for word in words:
        if len(word) < MIN_INDEXED_WORD:
            parts.append(
                "COALESCE((SELECT '(' || group_concat('\"' || replace(term, '\"', '\"\"') || '\"', "
                f"' OR ') || ')' FROM {FTS_VOCAB} WHERE term >= %s AND term < %s), %s)"
            )
            params.extend([word, word + "\U0010ffff", _fts_quote(word)])
    expression = " || ' AND ' || ".join(parts)
    return RawSQL(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ({expression})", params
    )


@functools.lru_cache(maxsize=65536)
def _folded_head(code: str, title: str) -> str:
    # Cached: a list page ranks up to every procedure, and titles rarely change.
    return fold(f"{code} {title}")


def _rank(code: str, title: str, words: list[str], phrase: str) -> int:
    head = _folded_head(code, title)
    folded_code = fold(code) if not code.isascii() else code.lower()
    if folded_code == phrase:
        return RANK_CODE_EXACT
    if folded_code.startswith(phrase):
        return RANK_CODE_PREFIX
    if phrase in head:
        return RANK_TITLE_PHRASE
    if all(word in head for word in words):
        return RANK_TITLE_WORDS
    return RANK_BODY


# ---------------------------------------------------------------- results


class SearchResults:
    """Ranked results that Django's Paginator pages through (count() and slicing).

    The first use runs ONE query that finds every match, reading only ids, codes
    and titles (no text leaves the database), and ranks them in Python; a slice
    then fetches its own rows with what a list page shows (two queries: the rows
    with procedure, department, edition and approver joined, then the clauses),
    whatever the page size.
    """

    ordered = True  # the Paginator warns about unordered object lists

    def __init__(self, queryset: QuerySet, words: list[str]):
        self._queryset = queryset
        self.words = words
        self._ids: list[int] | None = None

    def _matches(self, *, use_index: bool) -> list[tuple]:
        qs = self._queryset
        if self.words and use_index and connections[qs.db].vendor == "sqlite":
            qs = qs.filter(pk__in=_fts_ids(self.words))
        else:
            # Longest first: the most selective test runs first and spares the others.
            for word in sorted(self.words, key=len, reverse=True):
                qs = qs.filter(search_text__contains=word)
        return list(
            qs.order_by()
            .prefetch_related(None)
            .values_list("pk", "procedure__code", "procedure__title")
        )

    def _ranked_ids(self) -> list[int]:
        if self._ids is None:
            try:
                rows = self._matches(use_index=True)
            except OperationalError:
                # No FTS table (a database migrated without it): slower, same result.
                # SQLite does not abort the transaction on a failed SELECT.
                if connections[self._queryset.db].vendor != "sqlite":
                    raise
                rows = self._matches(use_index=False)
            if self.words:
                phrase = " ".join(self.words)
                keyed = [(_rank(code, title, self.words, phrase), code, pk) for pk, code, title in rows]
            else:
                keyed = [(0, code, pk) for pk, code, _title in rows]
            keyed.sort()
            self._ids = [pk for _tier, _code, pk in keyed]
        return self._ids

    def _fetch(self, wanted: list[int]) -> list[ProcedureVersion]:
        if not wanted:
            return []
        by_pk = {v.pk: v for v in self._queryset.filter(pk__in=wanted)}
        return [by_pk[pk] for pk in wanted if pk in by_pk]

    def count(self) -> int:
        return len(self._ranked_ids())

    def exists(self) -> bool:
        return bool(self._ranked_ids())

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return self.exists()

    def __getitem__(self, index):
        ids = self._ranked_ids()
        if isinstance(index, slice):
            return self._fetch(ids[index])
        return self._fetch([ids[index]])[0]

    def __iter__(self):
        return iter(self[:])

    def __repr__(self) -> str:
        return f"<SearchResults {self.words!r}>"


def effective_search(
    *, user, query: str = "", department=None, kind: str | None = None, clause=None
) -> SearchResults:
    """Effective versions visible to `user` (procedures.selectors.effective_version_list),
    filtered by department (an OrgUnit: the procedures it owns), kind (a
    Procedure.Kind value) and clause (a qms.Clause of either edition: versions
    citing it or a clause below it, e.g. 7.5 → 7.5, 7.5.1, 7.5.3), matching `query`
    on code, title and body, diacritics and case ignored: every word of the query
    must occur somewhere (substring, AND). See query_words for odd input.

    Returns a SearchResults: Paginator-ready (count() and slicing), not a QuerySet,
    because ranking in SQL would cost one more pass over the texts and would not
    sort the same on both databases. Order, with a query:

    0. the code is the query ("qt-tnmt-01" finds QT-TNMT-01 first);
    1. the code starts with the query ("qt-tnmt": that department's documents);
    2. code and title contain the whole query as a phrase;
    3. code and title contain every word, in any order;
    4. the others (some word only in the body);

    ties, and every row without a query (empty, or only punctuation), by code in
    code point order. Rows come with procedure__department, edition, approved_by
    and clauses loaded.
    """
    qs = effective_version_list(user=user).defer("search_text")
    if department is not None:
        qs = qs.filter(procedure__department=department)
    if kind:
        qs = qs.filter(procedure__kind=kind)
    if clause is not None:
        qs = qs.filter(pk__in=_versions_citing(clause))
    return SearchResults(qs, query_words(query))


def _versions_citing(clause: Clause):
    """Ids (a subquery) of versions citing the clause or a clause below it: the
    same edition and a number under it ("7.5." — the catalogue numbers children so)."""
    Through = ProcedureVersion.clauses.through
    return Through.objects.filter(
        Q(clause_id=clause.pk)
        | Q(clause__edition_id=clause.edition_id, clause__number__startswith=clause.number + ".")
    ).values("procedureversion_id")


# ---------------------------------------------------------------- indexes

VERSION_TABLE = "procedures_procedureversion"
SQLITE_TRIGGERS = {
    "procedures_search_ai": f"""
        CREATE TRIGGER IF NOT EXISTS procedures_search_ai AFTER INSERT ON {VERSION_TABLE}
        WHEN new.state = 'effective' BEGIN
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text || '  ');
        END""",
    "procedures_search_ad": f"""
        CREATE TRIGGER IF NOT EXISTS procedures_search_ad AFTER DELETE ON {VERSION_TABLE}
        WHEN old.state = 'effective' BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
            VALUES ('delete', old.id, old.search_text || '  ');
        END""",
    "procedures_search_au": f"""
        CREATE TRIGGER IF NOT EXISTS procedures_search_au AFTER UPDATE ON {VERSION_TABLE}
        WHEN old.state = 'effective' OR new.state = 'effective' BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
            SELECT 'delete', old.id, old.search_text || '  ' WHERE old.state = 'effective';
            INSERT INTO {FTS_TABLE}(rowid, search_text)
            SELECT new.id, new.search_text || '  ' WHERE new.state = 'effective';
        END""",
}
SQLITE_INDEX = "procedures_search_state_proc"
PG_INDEX = "procedures_search_trgm"


def ensure_search_index(using: str = DEFAULT_DB_ALIAS, *, rebuild: bool = False) -> bool:
    """Create the search index where it is missing; return True if anything was built.

    Idempotent. On SQLite, Django rebuilds a table to alter it and the triggers
    go with the old table: this puts them back and refills the FTS table from
    the effective versions, so it must run after every migrate (post_migrate).
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        return _ensure_sqlite(connection, rebuild=rebuild)
    if connection.vendor == "postgresql":
        return _ensure_postgresql(connection)
    return False


def _ensure_sqlite(connection, *, rebuild: bool) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index') "
            f"AND name IN ({', '.join(['%s'] * (len(SQLITE_TRIGGERS) + 3))})",
            [FTS_TABLE, FTS_VOCAB, SQLITE_INDEX, *SQLITE_TRIGGERS],
        )
        present = {name for (name,) in cursor.fetchall()}
        missing = {FTS_TABLE, FTS_VOCAB, SQLITE_INDEX, *SQLITE_TRIGGERS} - present
        if not missing and not rebuild:
            return False
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "search_text, content='', tokenize='trigram case_sensitive 1')"
        )
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_VOCAB} USING fts5vocab({FTS_TABLE}, 'row')"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {SQLITE_INDEX} ON {VERSION_TABLE} (state, procedure_id)"
        )
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        if rebuild or missing - {SQLITE_INDEX, FTS_VOCAB}:
            # Without its triggers the table may have missed changes: refill it.
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, search_text) "
                f"SELECT id, search_text || '  ' FROM {VERSION_TABLE} WHERE state = 'effective'"
            )
    return True


def _ensure_postgresql(connection) -> bool:
    from django.db import transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
        if cursor.fetchone():
            return False
        try:
            # pg_trgm is a trusted extension: the database owner may create it.
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # no right to create it: the search works, unindexed
            return False
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {VERSION_TABLE} "
            "USING gin (search_text gin_trgm_ops) WHERE state = 'effective'"
        )
    return True


def drop_search_index(using: str = DEFAULT_DB_ALIAS) -> None:
    """Undo ensure_search_index (the migration's reverse)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_VOCAB}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
            cursor.execute(f"DROP INDEX IF EXISTS {SQLITE_INDEX}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


MIGRATION = ("procedures", "0006_search_index")


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver (connect it in ProceduresConfig.ready, sender=self):
    puts back what a table rebuild dropped, unless the index migration was unapplied."""
    from django.db.migrations.recorder import MigrationRecorder

    if MIGRATION in MigrationRecorder(connections[using]).applied_migrations():
        ensure_search_index(using)
