"""The migration's records moved from the procedures app to an app of their own:
a database migrated under the old layout migrates forward with every row kept."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The flush after a transactional test would also empty the tables that the data
# migrations fill (clauses, roles); serialized_rollback restores them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_THE_MOVE = [("procedures", "0006_search_index"), ("edition_migration", None)]
MOVED = ["editionmigration", "historicaleditionmigration", "termflag", "historicaltermflag"]


def _migrate(targets, *, state_of):
    """Migrate the database to `targets`; the models as they stood at `state_of`."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(state_of).apps


def _old_layout_rows(apps):
    """One migration with its history and a flag, written as the old code wrote them."""
    User = apps.get_model("qms", "User")
    OrgUnit = apps.get_model("qms", "OrgUnit")
    Edition = apps.get_model("qms", "Edition")
    Procedure = apps.get_model("procedures", "Procedure")
    Version = apps.get_model("procedures", "ProcedureVersion")
    Migration = apps.get_model("procedures", "EditionMigration")
    Flag = apps.get_model("procedures", "TermFlag")
    HistoricalMigration = apps.get_model("procedures", "HistoricalEditionMigration")
    ContentType = apps.get_model("contenttypes", "ContentType")

    officer = User.objects.create(username="officer_old", first_name="Lan")
    unit = OrgUnit.objects.create(code="tnmt-old", name="Phòng Tài nguyên và Môi trường")
    procedure = Procedure.objects.create(
        code="QT-TNMT-99", title="Quy trình thu hồi đất", department=unit, created_by=officer
    )
    source = Version.objects.create(
        procedure=procedure, revision=1, edition=Edition.objects.get(year=2008),
        body="Kiểm soát hồ sơ (4.2.4).", state="effective", content_sha256="a" * 64,
        author=officer, effective_from=datetime.date(2015, 3, 1),
    )
    draft = Version.objects.create(
        procedure=procedure, revision=2, edition=Edition.objects.get(year=2015),
        body="Kiểm soát hồ sơ (7.5.3).", content_sha256="b" * 64, author=officer,
        based_on=source,
    )
    migration = Migration.objects.create(
        procedure=procedure, source_version=source, draft=draft, from_clauses=["4.2.4"],
        to_clauses=["7.5.2", "7.5.3"], base_body=draft.body, created_by=officer,
    )
    HistoricalMigration.objects.create(
        id=migration.pk, procedure=procedure, source_version=source, draft=draft,
        from_clauses=["4.2.4"], to_clauses=["7.5.2", "7.5.3"], base_body=draft.body,
        created_by=officer, created_at=migration.created_at, history_date=timezone.now(),
        history_type="+", history_user=officer, history_change_reason="Chuyển đổi sang bản 2015",
    )
    Flag.objects.create(
        migration=migration, key="records", found="hồ sơ", position=11, line=1,
        proposed_vi="thông tin dạng văn bản được lưu giữ",
        proposed_en="retained documented information", replacement="thông tin được lưu giữ",
        decision="accepted", decided_by=officer, decided_at=timezone.now(),
    )
    # The content type of the old layout (a fresh test database only has the new one).
    ContentType.objects.filter(app_label="edition_migration", model__in=MOVED).delete()
    old_type, _ = ContentType.objects.get_or_create(app_label="procedures", model="editionmigration")
    return migration.pk, old_type.pk


def test_migration_records_move_to_their_app_without_loss():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE_THE_MOVE, state_of=[BEFORE_THE_MOVE[0]])
        migration_pk, type_pk = _old_layout_rows(old_apps)
    finally:
        apps = _migrate(latest, state_of=latest)

    Migration = apps.get_model("edition_migration", "EditionMigration")
    Flag = apps.get_model("edition_migration", "TermFlag")
    ContentType = apps.get_model("contenttypes", "ContentType")
    moved = Migration.objects.get(pk=migration_pk)
    assert (moved.procedure.code, moved.source_version.revision, moved.draft.revision) == (
        "QT-TNMT-99", 1, 2
    )
    assert (moved.from_clauses, moved.to_clauses) == (["4.2.4"], ["7.5.2", "7.5.3"])
    history = apps.get_model("edition_migration", "HistoricalEditionMigration")
    assert history.objects.get(id=migration_pk).history_change_reason == "Chuyển đổi sang bản 2015"
    flag = Flag.objects.get(migration=moved)
    assert (flag.found, flag.replacement, flag.decision) == (
        "hồ sơ", "thông tin được lưu giữ", "accepted"
    )
    assert ContentType.objects.get(pk=type_pk).app_label == "edition_migration"
    tables = set(connection.introspection.table_names())
    assert {f"edition_migration_{name}" for name in MOVED} <= tables
    assert not {f"procedures_{name}" for name in MOVED} & tables
