"""Issue 9 point 17: ten realistic 2008 documents, each against what was written
down by hand before the code ran (corpus/cases.py)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from edition_migration import services
from edition_migration.models import TermFlag
from procedures.models import Procedure, ProcedureVersion, State
from qms import markup
from tests.factories import OrgUnitFactory, approve, default_reviewer, make_effective

from .corpus.cases import CASES

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parent / "corpus"
IDS = [case["file"] for case in CASES]


@pytest.fixture
def units(org):
    return {code: OrgUnitFactory(code=code, name=f"Phòng {code.upper()}", parent=org["root"])
            for code in {c["department"] for c in CASES}}


def import_case(case, actor, units):
    return services.procedure_import(
        actor=actor, name=case["file"], content=(CORPUS / case["file"]).read_bytes(),
        edition=2008, department=units[case["department"]],
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_import_keeps_what_the_document_says(people, units, case):
    result = import_case(case, people["admin"], units)
    assert result.status == "created", result.error
    assert (result.code, result.title) == (case["code"], case["title"])
    assert result.revision == (case["revision"] or 1)
    assert result.effective_from == case["effective"]
    assert result.approval == case["approval"]
    assert result.clause_refs == case["refs"]
    version = ProcedureVersion.objects.get(procedure__code=case["code"])
    assert (version.state, version.revision, version.effective_from) == (
        State.EFFECTIVE, case["revision"] or 1, case["effective"])
    assert version.approved_by is None and not version.signatures.exists()  # nobody invented
    origin = version.import_origin
    assert (origin.file_name, origin.imported_by, origin.stated_approval) == (
        case["file"], people["admin"], case["approval"])
    assert origin.file_sha256 == version.attachments.get().sha256


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_migration_proposes_what_was_written_by_hand(people, units, case):
    import_case(case, people["admin"], units)
    result = services.procedure_migrate(procedure=Procedure.objects.get(code=case["code"]),
                                        actor=people["admin"])
    assert result.to_clauses == case["to"]
    assert result.partial_clauses == case["partial"]
    body = ProcedureVersion.objects.get(procedure__code=case["code"], revision=result.to_revision).body
    lines = body.split("\n")
    for line in case["lines"] + case["kept"]:
        assert line in lines, line
    flags = [(t["kind"], t["found"], t["replacement"]) for t in result.terms if t["kind"] != "clause"]
    assert flags == case["flags"]
    for phrase in case["not_flagged"]:
        assert not any(phrase.lower() in t["found"].lower() and len(t["found"]) >= len(phrase)
                       for t in result.terms), phrase
    for t in result.terms:
        assert t["line"] and lines[t["line"] - 1][:0] == ""  # every point names its line
        assert body.split("\n")[t["line"] - 1].find(t["found"]) >= 0


def _gap():
    import io
    import json

    out = io.StringIO()
    call_command("gap_report", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_gap_placement_while_drafts_then_once_effective(people, units):
    for case in CASES:
        import_case(case, people["admin"], units)
    services.edition_migrate(actor=people["admin"])
    data = _gap()
    assert data["covered"] == {}
    for case in CASES:
        for number in case["to"]:
            assert case["code"] in data["partial"][number], (case["code"], number)
    assert {"4.1", "4.2", "6.1", "6.3", "7.1.6", "8.5.6"} <= set(data["uncovered"])
    # 4.3 (scope) is reached from 1.2 (application, exclusions) of QT-VP-05 in part only.
    assert data["partial"]["4.3"] == ["QT-VP-05"]
    # QT-TP-01 approved and effective: its equivalent clauses are covered, 8.5.5
    # (reached from 7.5.1 only in part) stays partial.
    draft = ProcedureVersion.objects.get(procedure__code="QT-TP-01", revision=4)
    migration = draft.edition_migration
    services.terms_decide(migration=migration, actor=people["admin"], accept=False,
                          flag_ids=list(migration.terms.values_list("pk", flat=True)))
    reviewer = default_reviewer(draft, exclude=[people["approver"]])
    services.migration_submit(migration=migration, actor=people["admin"], reviewers=[reviewer],
                              approver=people["approver"])
    approve(draft, approver=people["approver"])  # the reviewer signs, then the approver
    make_effective(draft, actor=people["admin"])
    data = _gap()
    for number in ("7.5.2", "7.5.3", "8.2.3", "8.2.4", "8.5.1"):
        assert data["covered"][number] == ["QT-TP-01"], number
    assert "QT-TP-01" in data["partial"]["8.5.5"]
    assert "8.5.5" not in data["covered"]
    assert set(data["covered"]).isdisjoint(data["partial"])
    assert set(data["covered"]).isdisjoint(data["uncovered"])


def test_a_scope_heading_is_not_the_scope_of_the_qms(people, units):
    case = next(c for c in CASES if c["code"] == "QT-VP-05")
    import_case(case, people["admin"], units)
    services.edition_migrate(actor=people["admin"])
    documented = {d["key"]: d for d in _gap()["documented_information"]}
    assert documented["scope"]["present"] is False
    assert documented["scope"]["proposed"] == []


TABLED = [c for c in CASES if c["file"].endswith((".docx", ".odt")) and "|" in c["lines"][0] + "".join(c["kept"])]


@pytest.mark.parametrize("case", TABLED, ids=lambda c: c["file"])
def test_word_and_odt_tables_and_lists_render_as_tables_and_lists(people, units, case):
    import_case(case, people["admin"], units)
    body = ProcedureVersion.objects.get(procedure__code=case["code"]).body
    html = markup.to_html(body)
    assert "<table>" in html and "<th>" in html, case["file"]
    assert "|" not in html.replace("&#124;", "")  # no pipes left over
    if "- " in body or "\n1. " in body:
        assert "<ul>" in html or "<ol>" in html


def test_pending_flags_are_recorded_with_their_notes(people, units):
    case = next(c for c in CASES if c["code"] == "QT-LDTBXH-03")
    import_case(case, people["admin"], units)
    services.edition_migrate(actor=people["admin"])
    flag = TermFlag.objects.get(found="Đại diện lãnh đạo")
    assert flag.replacement == "Người được lãnh đạo phân công"
    assert flag.note_vi.startswith("Bản 2015 không còn yêu cầu đại diện lãnh đạo")
    assert [c["label_vi"] for c in flag.choices] == [
        "Giữ vai trò, do lãnh đạo phân công", "Xóa", "Giữ nguyên"]
