"""A procedure code is a code: letters, digits, "-", "_", "." — nothing that breaks a URL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from procedures.models import Procedure
from qms.codes import code_repair
from tests import factories

BAD_CODES = ["QT/01", "QT 01", "../x", "QT?01", "QT#1", "QT%2F1", ".hidden", "QT-ĐT-01", "QT\t01"]

@pytest.mark.parametrize("code", BAD_CODES)
def test_register_form_refuses_a_code_that_would_break_a_url(client, people, code):
    client.force_login(people["officer"])
    response = client.post(reverse("procedures:create"), {
        "code": code, "title": "Quy trình thử", "kind": "procedure",
        "department": people["officer"].department_id,
        "edition": factories.edition(2015).pk, "body": "Nội dung.",
    })
    assert response.status_code == 200
    assert "Mã số chỉ được gồm chữ cái không dấu" in response.content.decode()
    assert not Procedure.objects.exists()
    # The register and the list still answer for everyone.
    assert client.get(reverse("procedures:register")).status_code == 200

@pytest.mark.parametrize("code", ["QT/01", "A B"])
def test_service_refuses_a_bad_code_and_saves_nothing(people, code):
    with pytest.raises(ValidationError) as caught:
        factories.draft(author=people["officer"], code=code)
    assert "Mã số chỉ được gồm" in " ".join(caught.value.messages)
    assert not Procedure.objects.exists()

def test_database_refuses_a_bad_code_even_past_the_services(people):
    procedure = factories.draft(author=people["officer"], code="QT-01").procedure
    with pytest.raises(IntegrityError), transaction.atomic():
        Procedure.objects.filter(pk=procedure.pk).update(code="QT/01")
    procedure.refresh_from_db()
    assert procedure.code == "QT-01"

def test_good_codes_pass(people):
    for code in ("QT-TNMT-01", "HD_02.v3", "BM.01"):
        assert factories.draft(author=people["officer"], code=code).procedure.code == code.upper()

@pytest.mark.parametrize("given, expected", [
    ("QT/01", "QT-01"), ("../etc//passwd", "etc-passwd"), ("QT 01 ", "QT-01"), ("///", ""),
])
def test_code_repair(given, expected):
    assert code_repair(given) == expected

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_data_migration_repairs_stored_codes_and_records_why():
    before, after = [("procedures", "0013_accesslog_copy_number")], [
        ("procedures", "0014_repair_procedure_codes")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    User, OrgUnit = apps.get_model("qms", "User"), apps.get_model("qms", "OrgUnit")
    Old = apps.get_model("procedures", "Procedure")
    user = User.objects.create(username="old_officer")
    unit = OrgUnit.objects.create(code="old-unit", name="Phòng cũ")
    for code in ("QT/01", "QT-01", "QT 01", "OK-1"):
        Old.objects.create(code=code, title="T " + code, department=unit, created_by=user)
    try:
        MigrationExecutor(connection).migrate(after)
        apps = MigrationExecutor(connection).loader.project_state(after).apps
        New = apps.get_model("procedures", "Procedure")
        Historical = apps.get_model("procedures", "HistoricalProcedure")
        codes = dict(New.objects.values_list("title", "code"))
        assert codes == {"T QT/01": "QT-01-2", "T QT-01": "QT-01", "T QT 01": "QT-01-3",
                         "T OK-1": "OK-1"}
        row = Historical.objects.get(title="T QT/01")
        assert row.code == "QT-01-2"
        assert row.history_change_reason == "Sửa mã số không hợp lệ: QT/01"
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
