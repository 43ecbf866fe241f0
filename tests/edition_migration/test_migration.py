"""Point 4: 2008 → 2015 drafts, their report, idempotence, dry run, permissions."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from edition_migration import services
from edition_migration.models import EditionMigration, TermFlag
from edition_migration.services import MigrationError
from procedures import services as procedure_services
from procedures.models import Procedure, ProcedureVersion, State

from .conftest import import_file

pytestmark = pytest.mark.django_db


def migrate(actor, code, **kwargs):
    return services.procedure_migrate(procedure=Procedure.objects.get(code=code), actor=actor, **kwargs)


# Issue 9: qt-tnmt-05.md states "Lần ban hành: 02", so the draft is revision 3; a
# reference goes to its equivalent clauses only, partial ones become points for decision.


def test_draft_on_2015_with_mapped_clauses(people, tnmt_procedure):
    result = migrate(people["officer"], "QT-TNMT-05")
    assert (result.status, result.from_revision, result.to_revision) == ("created", 2, 3)
    assert result.from_clauses == ["4.2.3", "4.2.4", "5.6", "7.5.1", "8.2.2", "8.5.3"]
    # Equivalents only: no 4.1, 4.2 (context) nor 6.1 (risks) from a 2008 document.
    assert result.to_clauses == ["7.5.2", "7.5.3", "8.5.1", "9.2", "9.3"]
    assert result.partial_clauses == {"5.6": ["4.1", "4.2"], "7.5.1": ["8.5.5"], "8.5.3": ["6.1", "10.3"]}
    assert result.unmapped == []
    draft = ProcedureVersion.objects.get(procedure__code="QT-TNMT-05", revision=3)
    assert (draft.state, draft.edition.year) == (State.DRAFT, 2015)
    assert sorted(c.number for c in draft.clauses.all()) == sorted(result.to_clauses)
    source = ProcedureVersion.objects.get(procedure__code="QT-TNMT-05", revision=2)
    assert source.state == State.EFFECTIVE  # the 2008 version stays in force until approval


def test_body_numbers_are_rewritten_but_not_the_documents_own(people, tnmt_procedure):
    migrate(people["officer"], "QT-TNMT-05")
    body = ProcedureVersion.objects.get(procedure__code="QT-TNMT-05", revision=3).body
    lines = body.split("\n")
    assert lines[2:4] == ["Lần ban hành: 03", "Ngày ban hành:"]  # point 7
    assert "4.2 Tài liệu của dự án được kiểm soát theo mục 7.5.2, 7.5.3;" in body
    assert "hồ sơ chất lượng được lưu theo 7.5.2, 7.5.3." in body  # "4.2.3 và 4.2.4": once
    assert "4.4 Việc thẩm định phương án được thực hiện theo 8.5.1 của TCVN ISO 9001:2015." in body
    assert "xem xét của lãnh đạo (9.3)." in body
    assert "theo điều khoản 9.2; hành động phòng ngừa theo mục 8.5.3." in body  # partial: kept
    assert "4.1 Cán bộ địa chính lập danh sách các thửa đất bị thu hồi trong 0,5 ngày" in body
    assert "ngày 15.03.2019" in body and "phiên bản 5.1" in body and "9.9.9" in body
    assert "Nghị định 47/2014/NĐ-CP ngày 15/5/2014" in body
    assert "2008" not in body.replace("15/5/2014", "")  # every edition mention moved
    assert len(lines) == len(ProcedureVersion.objects.get(procedure__code="QT-TNMT-05", revision=2)
                             .body.split("\n"))


def test_terms_are_flagged_with_position_wording_and_note(people, tnmt_procedure):
    result = migrate(people["officer"], "QT-TNMT-05")
    draft = ProcedureVersion.objects.get(procedure__code="QT-TNMT-05", revision=3)
    found = {(t["kind"], t["found"], t["replacement"]) for t in result.terms}
    assert found == {
        ("term", "Sổ tay chất lượng", "Sổ tay chất lượng"),  # decision: keep the manual first
        ("term", "hồ sơ chất lượng", "thông tin dạng văn bản được lưu giữ"),
        ("term", "sản phẩm không phù hợp", "đầu ra không phù hợp"),
        ("term", "hành động phòng ngừa", "hành động giải quyết rủi ro và cơ hội"),
        ("reference", "8.5.3", "6.1"),
        ("term", "HỒ SƠ", "HỒ SƠ"),  # the records heading: a decision, kept by default
    }
    for t in result.terms:
        assert "(" not in t["replacement"]  # explanations are notes, never inserted
    flags = list(TermFlag.objects.filter(migration__draft=draft))
    assert len(flags) == len(result.terms)
    for flag in flags:
        assert draft.body[flag.position:flag.position + len(flag.found)] == flag.found
        assert flag.decision == TermFlag.Decision.PENDING


def test_preventive_action_needs_a_decision(people, tnmt_procedure):
    result = migrate(people["officer"], "QT-TNMT-05")
    by_key = {d["key"]: d for d in result.needs_decision}
    assert by_key["clause_8.5.3"]["clause"] == "8.5.3"
    assert "6.1" in by_key["clause_8.5.3"]["note_vi"]
    assert by_key["preventive_action"]["choices"] == [
        "Thay bằng giải quyết rủi ro và cơ hội", "Xóa", "Giữ nguyên"]
    assert {"preventive_action", "quality_manual", "records_heading", "clause_8.5.3"} == set(by_key)


def test_english_procedure_terms(people, english_procedure):
    result = migrate(people["officer"], "SOP-PUR-01")
    found = {t["found"]: t["replacement"] for t in result.terms if t["kind"] == "term"}
    assert found == {
        "PURCHASING": "EXTERNAL PROVISION",  # the title line, in its capitals
        "Supplier": "External provider",
        "purchased product": "externally provided products and services",
        "management representative": "person assigned by top management",
        "suppliers": "external providers",
        "quality records": "retained documented information",
        "supplier": "external provider",
        "Monitoring and measuring equipment": "Monitoring and measuring resources",
        "Nonconforming product": "Nonconforming output",
        "preventive actions": "actions to address risks and opportunities",
        "purchasing": "external provision",
    }
    assert result.to_clauses == ["7.1.5", "7.5.2", "7.5.3", "8.4", "8.7"]
    assert result.partial_clauses == {"5.5.2": ["5.3"], "8.3": ["10.2"], "8.5.3": ["6.1", "10.3"]}


def test_running_twice_makes_no_second_draft(people, tnmt_procedure):
    first = migrate(people["officer"], "QT-TNMT-05")
    counts = (ProcedureVersion.objects.count(), TermFlag.objects.count(), ProcedureVersion.history.count())
    second = migrate(people["officer"], "QT-TNMT-05")
    assert (second.status, second.to_revision) == ("existing", 3)
    assert second.to_clauses == first.to_clauses and len(second.terms) == len(first.terms)
    assert (ProcedureVersion.objects.count(), TermFlag.objects.count(), ProcedureVersion.history.count()) == counts


def _row_counts():
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def test_dry_run_changes_nothing(people, tnmt_procedure, english_procedure):
    before = _row_counts()
    results = services.edition_migrate(actor=people["officer"], dry_run=True)
    assert [(r.code, r.status, r.to_revision) for r in results] == [
        ("QT-TNMT-05", "dry_run", None), ("SOP-PUR-01", "dry_run", None)]
    assert results[0].to_clauses[:3] == ["7.5.2", "7.5.3", "8.5.1"]
    assert _row_counts() == before


def test_dry_run_reports_the_same_as_the_real_run(people, tnmt_procedure):
    dry = services.edition_migrate(actor=people["officer"], dry_run=True)[0].as_json()
    real = services.edition_migrate(actor=people["officer"])[0].as_json()
    for key in ("from_clauses", "to_clauses", "unmapped", "terms", "needs_decision", "from_revision"):
        assert dry[key] == real[key], key


def test_the_draft_is_never_effective_and_follows_the_normal_life_cycle(people, tnmt_procedure):
    from tests.factories import PASSWORD, make_effective

    migrate(people["officer"], "QT-TNMT-05")
    draft = ProcedureVersion.objects.get(procedure__code="QT-TNMT-05", revision=3)
    services.terms_decide(migration=draft.edition_migration, actor=people["officer"], accept=False,
                          flag_ids=list(draft.edition_migration.terms.values_list("pk", flat=True)))
    services.migration_submit(migration=draft.edition_migration, actor=people["officer"],
                              reviewers=[people["officer2"]], approver=people["approver"])
    procedure_services.version_review(version=draft, actor=people["officer2"], password=PASSWORD)
    procedure_services.version_approve(version=draft, actor=people["approver"], password=PASSWORD)
    make_effective(draft, actor=people["officer"])
    states = dict(Procedure.objects.get(code="QT-TNMT-05").versions.values_list("revision", "state"))
    assert states == {2: State.SUPERSEDED, 3: State.EFFECTIVE}
    # The procedure is on 2015 now: nothing more to migrate.
    assert services.edition_migrate(actor=people["officer"]) == []


@pytest.mark.parametrize("who", ["staff", "approver", "auditor", "officer_b", "nobody"])
def test_only_officers_with_author_permission_migrate(people, tnmt_procedure, who):
    with pytest.raises(MigrationError) as excinfo:
        migrate(people[who], "QT-TNMT-05")
    assert excinfo.value.messages == ["Bạn không có quyền thực hiện thao tác này."]
    assert not EditionMigration.objects.exists()


def test_the_run_covers_only_the_actors_procedures(people, tnmt_procedure, org):
    import_file(people["officer_b"], "qt-kt-04.odt")  # department B
    assert [r.code for r in services.edition_migrate(actor=people["officer"], dry_run=True)] == ["QT-TNMT-05"]
    assert [r.code for r in services.edition_migrate(actor=people["admin"], dry_run=True)] == ["QT-KT-04", "QT-TNMT-05"]


def test_an_open_revision_that_is_not_a_migration_is_reported(people, tnmt_procedure):
    procedure_services.version_start_revision(procedure=Procedure.objects.get(code="QT-TNMT-05"),
                                              actor=people["officer"])
    result = services.edition_migrate(actor=people["officer"])[0]
    assert (result.status, result.error) == (
        "failed", "Tài liệu đã có lần ban hành 3 đang soạn thảo hoặc chờ ban hành.")


def test_unknown_code_is_reported(people):
    result = services.edition_migrate(actor=people["admin"], codes=["QT-KHONG-CO"])[0]
    assert (result.status, result.error) == ("failed", "Không tìm thấy tài liệu QT-KHONG-CO.")


def test_command_json_contract(people, tnmt_procedure, english_procedure, tmp_path):
    out = io.StringIO()
    call_command("migrate_edition", "--to", "2015", "--code", "QT-TNMT-05", "--dry-run",
                 "--format", "json", "--actor", "officer", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert len(data) == 1
    item = data[0]
    assert {"code", "from_revision", "to_revision", "from_clauses", "to_clauses", "unmapped", "terms",
            "needs_decision"} <= set(item)
    assert (item["code"], item["from_revision"], item["to_revision"]) == ("QT-TNMT-05", 2, None)
    assert {"found", "proposed_vi", "proposed_en"} <= set(item["terms"][0])
    assert not EditionMigration.objects.exists()
    out = io.StringIO()
    call_command("migrate_edition", "--format", "json", "--report", str(tmp_path / "r.pdf"),
                 "--actor", "officer", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert [(d["code"], d["to_revision"]) for d in data] == [("QT-TNMT-05", 3), ("SOP-PUR-01", 4)]
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_progress_bar_stays_off_stdout_when_not_a_terminal(people, tnmt_procedure):
    out, err = io.StringIO(), io.StringIO()
    call_command("migrate_edition", "--format", "json", "--actor", "officer", stdout=out, stderr=err)
    json.loads(out.getvalue())  # nothing but JSON
    assert err.getvalue() == ""


def test_progress_bar_is_drawn_on_a_terminal(people, tnmt_procedure):
    from edition_migration.cli import progress_bar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = progress_bar(3, "Chuyển đổi", stream)
    bar.update()
    bar.close()
    assert "Chuyển đổi" in stream.getvalue() and "1/3" in stream.getvalue()
