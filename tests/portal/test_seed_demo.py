import pytest
from django.core.management import call_command

from procedures.models import Procedure, ProcedureVersion, State
from qms.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_committee_and_is_idempotent():
    call_command("seed_demo", "--password", "pw-demo-2026")
    counts = (
        OrgUnit.objects.count(), User.objects.count(), Procedure.objects.count(),
        ProcedureVersion.objects.count(), ProcedureVersion.history.count(),
    )
    call_command("seed_demo", "--password", "pw-demo-2026")
    assert counts == (
        OrgUnit.objects.count(), User.objects.count(), Procedure.objects.count(),
        ProcedureVersion.objects.count(), ProcedureVersion.history.count(),
    )
    assert OrgUnit.objects.count() >= 7
    assert Procedure.objects.count() >= 15
    for username in ("admin", "officer", "approver", "auditor", "staff"):
        assert User.objects.get(username=username).check_password("pw-demo-2026")
    assert User.objects.get(username="admin").is_superuser


def test_seed_demo_has_the_six_2008_procedures_and_the_life_cycle_states():
    call_command("seed_demo", "--password", "pw-demo-2026")
    effective = ProcedureVersion.objects.filter(state=State.EFFECTIVE, edition__year=2008)
    titles = set(effective.values_list("procedure__title", flat=True))
    for title in (
        "Quy trình kiểm soát tài liệu",
        "Quy trình kiểm soát hồ sơ",
        "Quy trình đánh giá nội bộ",
        "Quy trình kiểm soát sản phẩm không phù hợp",
        "Quy trình hành động khắc phục",
        "Quy trình hành động phòng ngừa",
    ):
        assert title in titles
    clauses = {
        v.procedure.title: {c.number for c in v.clauses.all()}
        for v in effective.select_related("procedure").prefetch_related("clauses")
    }
    assert "4.2.3" in clauses["Quy trình kiểm soát tài liệu"]
    assert "8.5.3" in clauses["Quy trình hành động phòng ngừa"]
    assert ProcedureVersion.objects.filter(state=State.SUPERSEDED).exists()
    assert ProcedureVersion.objects.filter(state=State.IN_REVIEW).exists()
    assert effective.count() >= 15


def test_seed_demo_has_the_fields_of_administrative_procedures():
    from qms.models import Sector

    call_command("seed_demo", "--password", "pw-demo-2026")
    handled_by = dict(Sector.objects.values_list("code", "department__code"))
    assert handled_by == {
        "dat-dai": "tnmt", "moi-truong": "tnmt", "xay-dung": "qldt", "ldtbxh": "ldtbxh",
        "cong-thuong": "kt", "kinh-te": "kt", "tu-phap": "tp", "ho-tich": "tp", "giao-duc": "gddt",
    }
    land = Procedure.objects.filter(sectors__code="dat-dai").values_list("code", flat=True)
    assert sorted(land) == ["QT-TNMT-01", "QT-TNMT-02"]
