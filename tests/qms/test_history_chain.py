"""Issue 11, point 10: the history rows of every controlled model are chained, and
verify_integrity walks every chain (SQLite and, with DATABASE_URL, PostgreSQL)."""

import functools
import hashlib
import io
import types

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from procedures.models import Procedure, ProcedureVersion
from qms.append_only import bypassed
from qms.history_chain import anchor, is_chained, m2m_models
from qms.history_check import fill_chains
from qms.models import OrgUnit
from tests.commands import run as run_command
from tests.factories import effective

pytestmark = pytest.mark.django_db

VERSIONS = "procedures_historicalprocedureversion"


# (exit status, stdout, stderr) of verify_integrity
run = functools.partial(run_command, "verify_integrity")


def raw(sql, params=()):
    with bypassed(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def version(people):
    """An effective version: a chain of several rows (draft → effective), with m2m
    history (clauses, distribution)."""
    return effective(author=people["officer"], approver=people["approver"], code="QT-C-01",
                     body="Nội dung đã ban hành")


def rows_of(model, pk):
    return list(model.history.model.objects.filter(id=pk).order_by("history_id"))


def test_every_history_model_is_chained_and_every_m2m_history_model_belongs_to_one():
    history_models = [m for m in apps.get_models() if m._meta.pk.name == "history_id"]
    assert len(history_models) >= 35
    assert [m for m in history_models if not is_chained(m)] == []
    covered = {m for parent in history_models for m in m2m_models(parent)}
    m2m = {m for m in apps.get_models() if m._meta.pk.name == "m2m_history_id"}
    assert m2m and m2m == covered


def test_each_row_links_to_the_previous_row_of_the_same_object(version):
    rows = rows_of(ProcedureVersion, version.pk)
    assert len(rows) >= 3
    assert rows[0].prev_hash == anchor(VERSIONS, str(version.pk))
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.row_hash
    assert len({r.row_hash for r in rows}) == len(rows)
    assert all(len(r.row_hash) == 64 for r in rows)


def test_a_clean_seeded_database_passes():
    call_command("seed_demo", "--password", "pw-demo-2026", stdout=io.StringIO())
    code, out, err = run()
    assert code == 0, err
    assert "integrity OK" in out
    line = next(s for s in out.splitlines() if s.startswith("Đã kiểm tra"))
    counts = [int(word) for word in line.split() if word.isdigit()]
    assert counts[0] > 500 and counts[1] > 100 and counts[2] >= 35


def test_a_row_altered_through_sql_is_reported(version):
    row = rows_of(ProcedureVersion, version.pk)[1]
    raw(f"UPDATE {VERSIONS} SET body = %s WHERE history_id = %s", ["Tráo", row.history_id])
    code, out, err = run()
    assert code == 1
    assert (f"Bảng {VERSIONS}, đối tượng {version.pk}, dòng lịch sử {row.history_id}: "
            "nội dung đã bị sửa (mã băm không khớp).") in err
    assert err.count(VERSIONS) == 1


def test_a_row_deleted_in_the_middle_of_a_chain_is_reported(version):
    rows = rows_of(ProcedureVersion, version.pk)
    raw(f"DELETE FROM {VERSIONS} WHERE history_id = %s", [rows[1].history_id])
    code, out, err = run()
    assert code == 1
    assert (f"Bảng {VERSIONS}, đối tượng {version.pk}, dòng lịch sử {rows[2].history_id}: "
            "chuỗi bị đứt") in err


def test_a_first_row_deleted_is_reported(version):
    rows = rows_of(ProcedureVersion, version.pk)
    raw(f"DELETE FROM {VERSIONS} WHERE history_id = %s", [rows[0].history_id])
    code, out, err = run()
    assert code == 1
    assert f"dòng lịch sử {rows[1].history_id}: thiếu (các) dòng đầu của chuỗi." in err


def test_a_hash_recomputed_without_the_key_is_reported(version):
    """The attacker rewrites the row and its hash with plain SHA-256 (no key), and
    links the next row to it: the row is reported, whatever the link says."""
    rows = rows_of(ProcedureVersion, version.pk)
    forged = hashlib.sha256(b"Tr\xc3\xa1o").hexdigest()
    raw(f"UPDATE {VERSIONS} SET body = %s, row_hash = %s WHERE history_id = %s",
        ["Tráo", forged, rows[1].history_id])
    raw(f"UPDATE {VERSIONS} SET prev_hash = %s WHERE history_id = %s",
        [forged, rows[2].history_id])
    code, out, err = run()
    assert code == 1
    assert f"dòng lịch sử {rows[1].history_id}: nội dung đã bị sửa" in err
    assert f"dòng lịch sử {rows[2].history_id}: nội dung đã bị sửa" in err


def test_an_m2m_history_row_altered_or_deleted_is_reported_on_its_parent_row(version):
    m2m = ProcedureVersion.history.model.clauses.model
    row = m2m.objects.filter(history__id=version.pk).order_by("m2m_history_id").first()
    raw(f"DELETE FROM {m2m._meta.db_table} WHERE m2m_history_id = %s", [row.m2m_history_id])
    code, out, err = run()
    assert code == 1
    assert f"dòng lịch sử {row.history_id}: nội dung đã bị sửa" in err


def test_a_row_written_outside_the_application_is_reported(version):
    raw(f"UPDATE {VERSIONS} SET row_hash = '' WHERE id = %s", [version.pk])
    code, out, err = run()
    assert code == 1 and "dòng không có mã băm (ghi ngoài ứng dụng)." in err


def test_bulk_history_rows_chain_too(people, org):
    units = bulk_create_with_history(
        [OrgUnit(code=f"bulk-{i}", name=f"Đơn vị {i}", parent=org["root"]) for i in range(3)],
        OrgUnit, default_user=people["admin"])
    units = list(OrgUnit.objects.filter(code__startswith="bulk-").order_by("code"))
    for unit in units:
        unit.name += " (đổi tên)"
    bulk_update_with_history(units, OrgUnit, ["name"], default_user=people["admin"])
    units[0].name = "Đơn vị một"
    units[0].save()
    rows = rows_of(OrgUnit, units[0].pk)
    assert [r.history_type for r in rows] == ["+", "~", "~"]
    assert rows[0].prev_hash == anchor("qms_historicalorgunit", str(units[0].pk))
    assert rows[1].prev_hash == rows[0].row_hash and rows[2].prev_hash == rows[1].row_hash
    code, out, err = run()
    assert code == 0, err


def test_the_data_migration_seals_rows_written_before_the_chain(version):
    raw(f"UPDATE {VERSIONS} SET row_hash = '', prev_hash = ''")
    assert run()[0] == 1
    editor = types.SimpleNamespace(connection=connection)
    fill_chains("procedures")(apps, editor)
    code, out, err = run()
    assert code == 0, err
    assert rows_of(ProcedureVersion, version.pk)[0].prev_hash == anchor(VERSIONS, str(version.pk))


def test_history_of_the_migration_and_service_quality_apps_is_append_only(people, org):
    from edition_migration.models import RequirementDecision
    from service_quality.models import ReportingUnit

    RequirementDecision.objects.create(number="4.3", justification="Không áp dụng 8.3",
                                       decided_by=people["officer"])
    ReportingUnit.objects.create(unit=org["a"])
    for table in ("edition_migration_historicalrequirementdecision",
                  "service_quality_historicalreportingunit"):
        with connection.cursor() as cursor:
            with pytest.raises(IntegrityError), transaction.atomic():
                cursor.execute(f"UPDATE {table} SET history_change_reason = 'x'")
            with pytest.raises(IntegrityError), transaction.atomic():
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"SELECT count(*) FROM {table}")
            assert cursor.fetchone()[0] == 1


def test_procedures_m2m_history_is_chained_through_the_parent(people, version):
    """Changing a procedure's distribution (an m2m change, no UPDATE of the row) writes
    a chained row that covers the new m2m rows."""
    procedure = Procedure.objects.get(pk=version.procedure_id)
    procedure.distribution.add(people["staff"].department)
    rows = rows_of(Procedure, procedure.pk)
    assert rows[-1].prev_hash == rows[-2].row_hash
    assert rows[-1].distribution.count() == procedure.distribution.count()
    assert run()[0] == 0


def test_the_report_reads_in_english_too():
    from django.utils import translation

    from qms.history_check import ALTERED, problem_message

    with translation.override("en"):
        assert problem_message(ALTERED, VERSIONS, "7", 12) == (
            f"Table {VERSIONS}, object 7, history row 12: the content was altered "
            "(the hash does not match).")


def test_the_serialisation_does_not_depend_on_how_a_value_was_given():
    """A value about to be written and the same value read back (from SQLite or
    PostgreSQL) serialise alike."""
    import datetime
    import decimal

    from django.db import models

    from qms.history_chain import canonical

    when = models.DateTimeField()
    hanoi = datetime.timezone(datetime.timedelta(hours=7))
    utc = datetime.datetime(2026, 3, 1, 2, 30, tzinfo=datetime.UTC)
    assert canonical(when, utc) == canonical(when, utc.astimezone(hanoi)) == (
        "2026-03-01T02:30:00.000000+00:00")
    amount = models.DecimalField(max_digits=6, decimal_places=2)
    assert canonical(amount, decimal.Decimal("1.5")) == canonical(amount, "1.50") == "1.50"
    day = models.DateField()
    assert canonical(day, "2026-03-01") == canonical(day, datetime.date(2026, 3, 1))
    flag = models.BooleanField()
    assert canonical(flag, 1) is True
    data = models.JSONField()
    assert canonical(data, {"b": 1, "a": [2]}) == canonical(data, {"a": [2], "b": 1})
    assert canonical(models.CharField(), 5) == "5"
