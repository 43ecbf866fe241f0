"""Points 11–13 and 15: not applicable with its justification, documented information
confirmed by the officer, drafts from templates, the central office."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from edition_migration import selectors, services
from edition_migration.models import EditionMigration, RequirementDecision
from edition_migration.services import MigrationError
from procedures.models import Procedure, ProcedureVersion, State
from qms import roles
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db
JUSTIFICATION = "UBND thành phố không thiết kế, phát triển sản phẩm hay dịch vụ mới."


@pytest.fixture
def central(org):
    vp = OrgUnitFactory(code="vp", name="Văn phòng HĐND và UBND", parent=org["root"])
    return UserFactory(username="central", role=roles.QUALITY_OFFICER, department=vp)


def gap():
    out = io.StringIO()
    call_command("gap_report", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_not_applicable_needs_a_justification_and_is_in_exactly_one_place(people, central):
    with pytest.raises(MigrationError) as excinfo:
        services.requirement_not_applicable(actor=central, number="8.3", justification="không")
    assert excinfo.value.messages == [
        "Hãy nêu lý giải vì sao yêu cầu không áp dụng (ít nhất 20 ký tự), như điều 4.3 yêu cầu."]
    services.requirement_not_applicable(actor=central, number="8.3", justification=JUSTIFICATION)
    data = gap()
    assert data["not_applicable"] == {"8.3": JUSTIFICATION}
    assert "8.3" not in data["uncovered"] and "8.3" not in data["covered"] and "8.3" not in data["partial"]
    services.requirement_applicable(actor=central, number="8.3")
    assert "8.3" in gap()["uncovered"]
    decision = RequirementDecision.objects.get(number="8.3")
    assert decision.withdrawn_at is not None and decision.history.count() == 2


@pytest.mark.parametrize("who", ["officer", "approver", "auditor"])
def test_only_the_central_office_and_the_administrator_state_not_applicable(people, who):
    with pytest.raises(MigrationError):
        services.requirement_not_applicable(actor=people[who], number="8.3", justification=JUSTIFICATION)


def test_documented_information_is_present_only_once_confirmed(people, tnmt_procedure):
    services.edition_migrate(actor=people["officer"])
    item = {d["key"]: d for d in gap()["documented_information"]}["internal_audit"]
    assert (item["present"], item["proposed"]) == (False, ["QT-TNMT-05"])
    procedure = Procedure.objects.get(code="QT-TNMT-05")
    services.documented_information_decide(actor=people["officer"], key="internal_audit",
                                           procedure=procedure, confirm=True)
    item = {d["key"]: d for d in gap()["documented_information"]}["internal_audit"]
    assert (item["present"], item["codes"], item["proposed"]) == (True, ["QT-TNMT-05"], [])
    with pytest.raises(MigrationError):
        services.documented_information_decide(actor=people["officer_b"], key="internal_audit",
                                               procedure=procedure, confirm=False)


@pytest.mark.parametrize("template,clauses,title", [
    ("context", ["4.1", "4.2"], "QUY TRÌNH XÁC ĐỊNH BỐI CẢNH CỦA TỔ CHỨC VÀ CÁC BÊN QUAN TÂM"),
    ("risks", ["6.1"], "QUY TRÌNH QUẢN LÝ RỦI RO VÀ CƠ HỘI"),
    ("objectives", ["6.2"], "QUY TRÌNH XÂY DỰNG MỤC TIÊU CHẤT LƯỢNG VÀ KẾ HOẠCH THỰC HIỆN"),
    ("knowledge", ["7.1.6"], "QUY TRÌNH QUẢN LÝ TRI THỨC CỦA TỔ CHỨC"),
    ("changes", ["6.3"], "QUY TRÌNH HOẠCH ĐỊNH CÁC THAY ĐỔI"),
])
def test_a_draft_from_a_template_has_the_model_systems_sections(people, template, clauses, title):
    version = services.requirement_draft_create(actor=people["officer"], template=template,
                                                code="QT-TNMT-90", department=people["officer"].department)
    assert (version.state, version.edition.year, version.procedure.title) == (State.DRAFT, 2015, title)
    assert sorted(c.number for c in version.clauses.all()) == clauses
    headings = [line for line in version.body.split("\n") if line.startswith("## ")]
    assert headings == ["## 1. MỤC ĐÍCH", "## 2. PHẠM VI", "## 3. TÀI LIỆU VIỆN DẪN",
                        "## 4. ĐỊNH NGHĨA/VIẾT TẮT", "## 5. NỘI DUNG", "## 6. BIỂU MẪU", "## 7. HỒ SƠ"]
    assert "Mã số: QT-TNMT-90" in version.body
    data = gap()
    for number in clauses:
        assert data["partial"][number] == ["QT-TNMT-90"]  # a draft only


def test_gap_page_offers_templates_and_creates_a_draft(client, people):
    client.force_login(people["officer"])
    html = client.get(reverse("edition_migration:gap")).content.decode()
    assert 'name="template" value="context"' in html and 'name="template" value="knowledge"' in html
    response = client.post(reverse("edition_migration:gap_draft"), {"template": "risks", "code": "qt-tnmt-91"})
    assert response.status_code == 302
    assert response["Location"] == reverse("procedures:version", args=["QT-TNMT-91", 1])
    assert ProcedureVersion.objects.get(procedure__code="QT-TNMT-91").state == State.DRAFT


def test_the_central_officer_sees_and_reviews_every_departments_migration(people, central, tnmt_procedure):
    services.edition_migrate(actor=people["officer"])
    migration = EditionMigration.objects.get()
    assert list(selectors.migration_list(user=central)) == [migration]
    assert list(selectors.migration_list(user=people["officer_b"])) == []
    flag = migration.terms.get(found="sản phẩm không phù hợp")
    services.terms_decide(migration=migration, actor=central, flag_ids=[flag.pk], accept=True)
    migration.draft.refresh_from_db()
    assert "đầu ra không phù hợp" in migration.draft.body


def test_the_central_officer_runs_the_migration_of_another_department(
        client, people, central, tnmt_procedure, django_capture_on_commit_callbacks):
    client.force_login(central)
    html = client.get(reverse("edition_migration:index")).content.decode()
    assert "QT-TNMT-05" in html and "Bạn xem và xem xét việc chuyển đổi của mọi đơn vị." in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("edition_migration:run"), {"codes": ["QT-TNMT-05"]})
    assert EditionMigration.objects.get().created_by == central
