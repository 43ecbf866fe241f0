"""Append-only in the database itself (issue 11, point 10): triggers on SQLite and
PostgreSQL that refuse UPDATE and DELETE of signatures, access-log rows, issued
reports and history rows, refuse changing the controlled columns of a version once
approved (its state only moves forward: approved→effective→superseded/obsolete),
and refuse attaching a file to a version once approved.

`QuerySet.update()`, `bulk_update()` and raw SQL are refused as well as `save()`.
Only `flush` and `restore` pass, inside their own transaction (`bypassed`).
The refusal is an IntegrityError on both databases.
"""

from contextlib import contextmanager

FROZEN = "('approved', 'effective', 'superseded', 'obsolete')"
VERSION_COLUMNS = ("body", "title", "change_summary", "content_sha256", "revision",
                   "procedure_id", "edition_id")
FORWARD = ("(OLD.state = 'approved' AND NEW.state = 'effective') OR "
           "(OLD.state = 'effective' AND NEW.state IN ('superseded', 'obsolete'))")
BYPASS_TABLE = "qms_integrity_bypass"
HISTORY_APPS = ("qms_", "procedures_", "audits_", "edition_migration_", "service_quality_")
MESSAGE = "append-only record: "


def append_only_tables(connection) -> list[str]:
    """Signatures, access log, issued reports and every history table."""
    names = connection.introspection.table_names()
    fixed = ["procedures_signature", "procedures_accesslog", "audits_auditreport",
             "audits_auditsignature"]
    history = [n for n in names if n.startswith(HISTORY_APPS) and "_historical" in n]
    return [n for n in fixed if n in names] + sorted(history)


def _changed(distinct: str) -> str:
    return " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in VERSION_COLUMNS)


def _sqlite(tables) -> list[str]:
    off = f"NOT EXISTS (SELECT 1 FROM {BYPASS_TABLE})"
    sql = [f"CREATE TABLE IF NOT EXISTS {BYPASS_TABLE} (on_ INTEGER)"]
    for t in tables:
        for event in ("UPDATE", "DELETE"):
            sql.append(
                f"CREATE TRIGGER IF NOT EXISTS {t}_no_{event.lower()} BEFORE {event} ON {t} "
                f"WHEN {off} BEGIN SELECT RAISE(ABORT, '{MESSAGE}{t}'); END"
            )
    sql += [
        "CREATE TRIGGER IF NOT EXISTS procedures_procedureversion_frozen BEFORE UPDATE ON "
        f"procedures_procedureversion WHEN OLD.state IN {FROZEN} AND {off} AND "
        f"({_changed('IS NOT')} OR (NEW.state <> OLD.state AND NOT ({FORWARD}))) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}procedures_procedureversion'); END",
        "CREATE TRIGGER IF NOT EXISTS procedures_procedureversion_no_delete BEFORE DELETE ON "
        f"procedures_procedureversion WHEN OLD.state IN {FROZEN} AND {off} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}procedures_procedureversion'); END",
        "CREATE TRIGGER IF NOT EXISTS procedures_attachment_frozen BEFORE INSERT ON "
        "procedures_attachment WHEN (SELECT state FROM procedures_procedureversion "
        f"WHERE id = NEW.version_id) IN {FROZEN} AND {off} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}procedures_attachment'); END",
    ]
    return sql


def _postgresql(tables) -> list[str]:
    off = "coalesce(current_setting('qms.integrity_bypass', true), '') <> 'on'"
    raise_ = (f"RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', "
              f"MESSAGE = '{MESSAGE}' || TG_TABLE_NAME")
    sql = [
        f"""CREATE OR REPLACE FUNCTION qms_refuse_change() RETURNS trigger AS $$
        BEGIN IF {off} THEN {raise_}; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION qms_version_frozen() RETURNS trigger AS $$
        BEGIN
        IF {off} AND OLD.state IN {FROZEN} THEN
          IF TG_OP = 'DELETE' THEN {raise_};
          ELSIF {_changed('IS DISTINCT FROM')}
             OR (NEW.state <> OLD.state AND NOT ({FORWARD})) THEN {raise_}; END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION qms_attachment_frozen() RETURNS trigger AS $$
        BEGIN
        IF {off} AND (SELECT state FROM procedures_procedureversion
                      WHERE id = NEW.version_id) IN {FROZEN} THEN {raise_}; END IF;
        RETURN NEW; END $$ LANGUAGE plpgsql""",
    ]
    for t in tables:
        sql += [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}",
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                "FOR EACH ROW EXECUTE FUNCTION qms_refuse_change()"]
    sql += [
        "DROP TRIGGER IF EXISTS procedures_procedureversion_frozen ON procedures_procedureversion",
        "CREATE TRIGGER procedures_procedureversion_frozen BEFORE UPDATE OR DELETE ON "
        "procedures_procedureversion FOR EACH ROW EXECUTE FUNCTION qms_version_frozen()",
        "DROP TRIGGER IF EXISTS procedures_attachment_frozen ON procedures_attachment",
        "CREATE TRIGGER procedures_attachment_frozen BEFORE INSERT ON procedures_attachment "
        "FOR EACH ROW EXECUTE FUNCTION qms_attachment_frozen()",
    ]
    return sql


def install(connection) -> None:
    """Create (or re-create) every trigger; called by a migration."""
    tables = append_only_tables(connection)
    statements = {"sqlite": _sqlite, "postgresql": _postgresql}.get(connection.vendor)
    if statements is None:
        return
    with connection.cursor() as cursor:
        for statement in statements(tables):
            cursor.execute(statement)


def uninstall(connection) -> None:
    """Drop every trigger (the migration's reverse: an older schema gets none)."""
    tables = append_only_tables(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            names = [f"{t}_no_{e}" for t in tables for e in ("update", "delete")] + [
                "procedures_procedureversion_frozen", "procedures_procedureversion_no_delete",
                "procedures_attachment_frozen"]
            for name in names:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            pairs = [(f"{t}_append_only", t) for t in tables] + [
                ("procedures_procedureversion_frozen", "procedures_procedureversion"),
                ("procedures_attachment_frozen", "procedures_attachment")]
            for name, table in pairs:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def on_post_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: SQLite drops a table's triggers when a later migration
    rebuilds the table, so they are put back after every migrate (once installed)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if MigrationRecorder(connection).migration_qs.filter(
            app="audits", name="0007_append_only_triggers").exists():
        install(connection)


@contextmanager
def bypassed(connection):
    """Let this transaction past the triggers (flush, restore only); call inside
    `transaction.atomic`."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {BYPASS_TABLE} (on_ INTEGER)")
            cursor.execute(f"INSERT INTO {BYPASS_TABLE} VALUES (1)")
        elif connection.vendor == "postgresql":
            cursor.execute("SET LOCAL qms.integrity_bypass = 'on'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {BYPASS_TABLE}")
            elif connection.vendor == "postgresql":
                cursor.execute("SET LOCAL qms.integrity_bypass = 'off'")
