"""The full-text index of effective versions, on SQLite and on PostgreSQL.

`SearchDocument` holds, for each effective version, its code, title and body
folded once in Python (query.folded_text); the services keep it in step
(search_document_sync, called by procedures.services._common._save for every
version or procedure they save), and `rebuild_search_index` rebuilds it.
Folding in Python (not in the database) gives both engines the very same tokens.

- SQLite: an FTS5 table over the document table (external content), columns
  code, title, body, with a prefix index for one and two letters, kept by three
  triggers on the document table; ranked with bm25 (see results.py).
- PostgreSQL: a stored generated tsvector column, code and title weight A, body
  weight C ('simple' configuration: the text is already folded), a GIN index;
  ranked with ts_rank_cd.

Both keep the index's generation (GENERATION_TABLE): a random number replaced in
the same transaction as every change to the index, by the same triggers (SQLite)
or a statement trigger on the document table (PostgreSQL). Results cached by
results.py are keyed by it, so no cached list outlives the index it was ranked
on; random rather than a counter, so that the number of a change rolled back is
never the number of a later one.

None of this is part of Django's model state: ensure_search_index creates what is
missing, and runs after every migrate (a table rebuild on SQLite drops triggers).
"""

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from ..models import Procedure, ProcedureVersion, SearchDocument, State
from .query import folded_text

DOC_TABLE = "procedures_searchdocument"
FTS_TABLE = "procedures_searchfts"
# Codes and titles alone: suggestions and one- or two-letter queries read only them.
HEAD_TABLE = "procedures_searchhead"
GENERATION_TABLE = "procedures_searchgeneration"
GENERATION_DDL = f"CREATE TABLE IF NOT EXISTS {GENERATION_TABLE} (id integer PRIMARY KEY, token bigint NOT NULL)"
SQLITE_BUMP = f"INSERT OR REPLACE INTO {GENERATION_TABLE}(id, token) VALUES (1, random());"
PG_BUMP = (
    f"INSERT INTO {GENERATION_TABLE}(id, token) VALUES (1, (random() * 9e18)::bigint) "
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)
PG_BUMP_TRIGGER = "procedures_search_bump"
PG_BUMP_DDL = [
    f"CREATE OR REPLACE FUNCTION {PG_BUMP_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN {PG_BUMP}; RETURN NULL; END $$",
    f"CREATE TRIGGER {PG_BUMP_TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {DOC_TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_BUMP_TRIGGER}()",
]
PG_INDEX = "procedures_search_vector"
PG_HEAD_INDEX = "procedures_search_head"
TRIGGERS = {
    "procedures_searchfts_ai": f"""
        CREATE TRIGGER IF NOT EXISTS procedures_searchfts_ai AFTER INSERT ON {DOC_TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, code, title, body)
            VALUES (new.version_id, new.code, new.title, new.body);
            INSERT INTO {HEAD_TABLE}(rowid, code, title) VALUES (new.version_id, new.code, new.title);
            {SQLITE_BUMP}
        END""",
    "procedures_searchfts_ad": f"""
        CREATE TRIGGER IF NOT EXISTS procedures_searchfts_ad AFTER DELETE ON {DOC_TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, code, title, body)
            VALUES ('delete', old.version_id, old.code, old.title, old.body);
            INSERT INTO {HEAD_TABLE}({HEAD_TABLE}, rowid, code, title)
            VALUES ('delete', old.version_id, old.code, old.title);
            {SQLITE_BUMP}
        END""",
    "procedures_searchfts_au": f"""
        CREATE TRIGGER IF NOT EXISTS procedures_searchfts_au AFTER UPDATE ON {DOC_TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, code, title, body)
            VALUES ('delete', old.version_id, old.code, old.title, old.body);
            INSERT INTO {FTS_TABLE}(rowid, code, title, body)
            VALUES (new.version_id, new.code, new.title, new.body);
            INSERT INTO {HEAD_TABLE}({HEAD_TABLE}, rowid, code, title)
            VALUES ('delete', old.version_id, old.code, old.title);
            INSERT INTO {HEAD_TABLE}(rowid, code, title) VALUES (new.version_id, new.code, new.title);
            {SQLITE_BUMP}
        END""",
}
FTS_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(code, title, body, "
    f"content='{DOC_TABLE}', content_rowid='version_id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {HEAD_TABLE} USING fts5(code, title, "
    f"content='{DOC_TABLE}', content_rowid='version_id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2')",
]
PG_COLUMN = (
    f"ALTER TABLE {DOC_TABLE} ADD COLUMN IF NOT EXISTS vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, code || ' ' || title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'C')) STORED"
)
PG_HEAD = (
    f"ALTER TABLE {DOC_TABLE} ADD COLUMN IF NOT EXISTS head tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, code || ' ' || title)) STORED"
)
# A one- or two-letter query on PostgreSQL: the first one and two letters of each code
# and title word as lexemes of their own ("dat dai" -> 'd' 'da'), so that 'd' is one
# posting list of the GIN index rather than a merge of every lexeme starting with d.
PG_INITIALS = (
    f"ALTER TABLE {DOC_TABLE} ADD COLUMN IF NOT EXISTS initials tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, regexp_replace(code || ' ' || title, "
    "'(\\S)(\\S?)\\S*', '\\1 \\1\\2', 'g'))) STORED"
)
PG_INITIALS_INDEX = "procedures_search_initials"
PG_INDEXES = (PG_INDEX, PG_HEAD_INDEX, PG_INITIALS_INDEX)
PG_COLUMNS = ("vector", "head", "initials")
PG_GIN = [
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {DOC_TABLE} USING gin (vector)",
    f"CREATE INDEX IF NOT EXISTS {PG_HEAD_INDEX} ON {DOC_TABLE} USING gin (head)",
    f"CREATE INDEX IF NOT EXISTS {PG_INITIALS_INDEX} ON {DOC_TABLE} USING gin (initials)",
]
# What migration 0006 used to build (a trigram index): dropped by 0014.
LEGACY_SQLITE = [
    "DROP TRIGGER IF EXISTS procedures_search_ai",
    "DROP TRIGGER IF EXISTS procedures_search_ad",
    "DROP TRIGGER IF EXISTS procedures_search_au",
    "DROP TABLE IF EXISTS procedures_search_vocab",
    "DROP TABLE IF EXISTS procedures_search",
    "DROP INDEX IF EXISTS procedures_search_state_proc",
]
LEGACY_PG = ["DROP INDEX IF EXISTS procedures_search_trgm"]


def document_fields(version: ProcedureVersion) -> dict:
    procedure = version.procedure
    return {
        "code": folded_text(procedure.code),
        # The procedure's title is its effective version's approved title (it follows a
        # revision when it takes effect); read from the procedure so that migration 0018
        # runs before the version's own title column exists.
        "title": folded_text(procedure.title),
        "body": folded_text(version.body),
    }


def search_document_sync(*, version: ProcedureVersion) -> None:
    """Index an effective version; unindex any other. Called inside the service's
    transaction, so the index changes with the state, or not at all."""
    documents = SearchDocument.objects.using(version._state.db or DEFAULT_DB_ALIAS)
    if version.state in (State.SUPERSEDED, State.OBSOLETE):
        documents.filter(version_id=version.pk).delete()
    if version.state != State.EFFECTIVE:
        return  # a draft, under review or approved: never indexed
    documents.update_or_create(version_id=version.pk, defaults=document_fields(version))


def procedure_search_sync(*, procedure: Procedure) -> None:
    """A procedure's code or title changed: its effective version's document follows."""
    for version in procedure.versions.filter(state=State.EFFECTIVE).select_related("procedure"):
        search_document_sync(version=version)


# ---------------------------------------------------------------- structure


def ensure_search_index(using: str = DEFAULT_DB_ALIAS, *, rebuild: bool = False) -> bool:
    """Create whatever part of the index is missing; True if anything was built.
    Idempotent: runs after every migrate.

    Migration 0006 (the first release's trigram index) still calls this with
    `rebuild=True` before the document table exists: nothing is built then, and
    0018_search_index_fts builds the index and drops the trigram one."""
    connection = connections[using]
    if DOC_TABLE not in connection.introspection.table_names():
        return False
    if rebuild:
        rebuild_search_index(using)
        return True
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            parts = {FTS_TABLE, HEAD_TABLE, GENERATION_TABLE, *TRIGGERS}
            cursor.execute(
                f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(parts))})",
                sorted(parts),
            )
            if not parts - {name for (name,) in cursor.fetchall()}:
                return False
            # Each trigger feeds both tables and bumps the generation; a database from
            # before the generation has triggers that do not: all are made anew.
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for sql in [GENERATION_DDL, *FTS_DDL, *TRIGGERS.values()]:
                cursor.execute(sql)
            # Without their triggers the FTS tables may have missed changes.
            for table in (FTS_TABLE, HEAD_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
            cursor.execute(SQLITE_BUMP)
            return True
        if connection.vendor == "postgresql":
            # Only what is missing: PostgreSQL refuses to alter a table with pending
            # constraint checks in the transaction, even to add a column it has.
            cursor.execute(
                "SELECT (SELECT count(*) FROM pg_indexes WHERE indexname = ANY(%s)) + "
                "(SELECT count(*) FROM information_schema.columns WHERE table_name = %s "
                "AND column_name = ANY(%s)), to_regclass(%s) IS NOT NULL, "
                "EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass(%s))",
                [list(PG_INDEXES), DOC_TABLE, list(PG_COLUMNS), GENERATION_TABLE, PG_BUMP_TRIGGER,
                 DOC_TABLE],
            )
            parts, has_generation, has_trigger = cursor.fetchone()
            missing = [
                *([PG_COLUMN, PG_HEAD, PG_INITIALS, *PG_GIN]
                  if parts < len(PG_INDEXES) + len(PG_COLUMNS) else []),
                *([] if has_generation else [GENERATION_DDL]),
                *([] if has_trigger else PG_BUMP_DDL),
            ]
            if not missing:
                return False
            for sql in [*missing, PG_BUMP]:
                cursor.execute(sql)
            return True
    return False


def drop_search_index(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
            cursor.execute(f"DROP TABLE IF EXISTS {HEAD_TABLE}")
        elif connection.vendor == "postgresql":
            for name in PG_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            for column in PG_COLUMNS:
                cursor.execute(f"ALTER TABLE {DOC_TABLE} DROP COLUMN IF EXISTS {column}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {PG_BUMP_TRIGGER} ON {DOC_TABLE}")


def drop_legacy_index(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    statements = {"sqlite": LEGACY_SQLITE, "postgresql": LEGACY_PG}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@transaction.atomic
def rebuild_search_index(using: str = DEFAULT_DB_ALIAS, *, batch: int = 2000, progress=None) -> int:
    """Rebuild the documents from the effective versions, then the index from the
    documents. SQLite: the FTS table is dropped meanwhile and built in one pass;
    PostgreSQL computes each vector as its row is inserted (and refuses to alter
    a table with pending constraint checks in the transaction).
    Returns the number of documents."""
    sqlite = connections[using].vendor == "sqlite"
    if sqlite:
        drop_search_index(using)
    else:
        ensure_search_index(using)
    documents = SearchDocument.objects.using(using)
    documents.all().delete()
    versions = (
        ProcedureVersion.objects.using(using).filter(state=State.EFFECTIVE)
        .select_related("procedure").only("body", "procedure__code", "procedure__title")
        .order_by("pk")
    )
    rows, done = [], 0
    for version in versions.iterator(chunk_size=batch):
        rows.append(SearchDocument(version_id=version.pk, **document_fields(version)))
        if len(rows) >= batch:
            documents.bulk_create(rows)
            done += len(rows)
            rows = []
            if progress:
                progress(done)
    documents.bulk_create(rows)
    done += len(rows)
    ensure_search_index(using)
    return done


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: puts back what a table rebuild dropped, once the
    document table exists (not when its migration is unapplied)."""
    if DOC_TABLE in connections[using].introspection.table_names():
        ensure_search_index(using)
