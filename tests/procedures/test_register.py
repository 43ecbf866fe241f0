"""The fields (lĩnh vực) a procedure governs: set by its authors, with history."""

import pytest

from procedures import services
from procedures.exceptions import ProcedureError
from qms.models import Sector
from tests.factories import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def sectors(org):
    return {
        "land": Sector.objects.create(code="dat-dai", name="Đất đai", department=org["a"]),
        "building": Sector.objects.create(code="xay-dung", name="Xây dựng", department=org["b"]),
    }


def test_authors_name_the_fields_a_procedure_governs_with_history(people, sectors):
    procedure = draft(author=people["officer"]).procedure
    services.procedure_set_sectors(
        procedure=procedure, actor=people["officer"], sectors=[sectors["land"], sectors["building"]]
    )
    assert set(procedure.sectors.values_list("code", flat=True)) == {"dat-dai", "xay-dung"}
    row = procedure.history.first()
    assert (row.history_user, row.history_change_reason) == (people["officer"], "Sửa lĩnh vực")
    assert {s.sector.code for s in row.sectors.all()} == {"dat-dai", "xay-dung"}


def test_the_same_fields_again_write_no_history(people, sectors):
    procedure = draft(author=people["officer"]).procedure
    services.procedure_set_sectors(procedure=procedure, actor=people["officer"], sectors=[sectors["land"]])
    rows = procedure.history.count()
    services.procedure_set_sectors(procedure=procedure, actor=people["officer"], sectors=[sectors["land"]])
    assert procedure.history.count() == rows


def test_only_authors_set_the_fields(people, sectors):
    procedure = draft(author=people["officer"]).procedure
    for outsider in ("officer_b", "staff", "auditor"):
        with pytest.raises(ProcedureError) as excinfo:
            services.procedure_set_sectors(
                procedure=procedure, actor=people[outsider], sectors=[sectors["land"]]
            )
        assert excinfo.value.messages == ["Bạn không có quyền thực hiện thao tác này."]
    assert not procedure.sectors.exists()
