"""Dossier figures through the API: the one-stop system pushes a batch of months
through the import service (same checks, all or nothing) and reads what the
caller reads on the pages."""

import pytest

from service_quality.models import DossierStat
from tests.api_client import client_for

from .conftest import load, row

pytestmark = pytest.mark.django_db

URL = "/api/v1/dossier-figures/"


def ints(r):
    return {k: (v if k in ("period", "department", "field") else int(v)) for k, v in r.items()}


def test_the_central_office_pushes_a_batch(cast, fields):
    rows = [ints(row("2026-01")), ints(row("2026-02", carried=5))]
    response = client_for(cast["central"]).post(URL, {"rows": rows}, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 2, "updated": 0}
    stat = DossierStat.objects.get(year=2026, month=1)
    assert (stat.received, stat.source, stat.entered_by) == (100, "import", cast["central"])
    again = client_for(cast["central"]).post(URL, {"rows": rows, "replace": True}, format="json")
    assert again.json() == {"created": 0, "updated": 2}


@pytest.mark.parametrize("who, status", [
    ("officer", 201),    # officer of A enters A's figures (granted on enrolment)
    ("officer_b", 400),  # B's officer: refused row, nothing saved
    ("staff", 403),      # enters no department's figures
    ("nobody", 403),
])
def test_who_may_push_figures_of_department_a(cast, fields, who, status):
    response = client_for(cast[who]).post(URL, {"rows": [ints(row("2026-01"))]}, format="json")
    assert response.status_code == status, response.content
    assert DossierStat.objects.count() == (1 if status == 201 else 0)


def test_a_refused_batch_saves_nothing_and_says_why(cast, fields):
    bad = ints(row("2026-02"))
    bad["received"] = 1  # unbalanced
    response = client_for(cast["central"], "vi").post(
        URL, {"rows": [ints(row("2026-01")), bad]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rows"
    assert body["errors"]["rows"][0].startswith("Dòng 2:")
    assert DossierStat.objects.count() == 0
    invalid = client_for(cast["central"], "en").post(URL, {"rows": [{"period": "x"}]}, format="json")
    assert invalid.status_code == 400 and invalid.json()["detail"] == "The data sent is not valid."
    broken = client_for(cast["central"]).post(URL, "{", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"


@pytest.mark.parametrize("who, count", [("central", 2), ("officer", 1), ("officer_b", 1),
                                        ("grantee", 0), ("staff", 0), ("nobody", 0)])
def test_reading_figures_as_the_pages_allow(cast, fields, who, count):
    load(cast["central"], [row("2026-01"), row("2026-01", department="qldt", field="xay-dung")])
    response = client_for(cast[who]).get(URL, {"year": 2026})
    assert response.status_code == 200
    assert response.json()["count"] == count
