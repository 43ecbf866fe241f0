"""Audits and findings through the API: the same matrix as the selectors and the
pages (lead, team, audited department's officers, action owner; 404 for others)."""

import pytest

from tests.api_client import client_for

from .conftest import record
from .test_permissions import two_audits  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

SEES = {
    "auditor": {"mine"},
    "auditor2": {"mine", "other"},
    "officer": {"mine"},
    "officer_b": {"other"},
    "stranger": set(),
    "staff": set(),
    "nobody": set(),
    "owner": set(),
    "admin": {"mine", "other"},
}


@pytest.mark.parametrize("who", SEES)
def test_audits_and_findings_as_the_pages_allow(cast, two_audits, who):  # noqa: F811
    audits = dict(zip(("mine", "other"), two_audits, strict=True))
    client = client_for(cast[who])
    listed = client.get("/api/v1/audits/")
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == {audits[n].pk for n in SEES[who]}
    for name, audit in audits.items():
        expected = 200 if name in SEES[who] else 404
        assert client.get(f"/api/v1/audits/{audit.pk}/").status_code == expected
        assert client.get(f"/api/v1/audits/{audit.pk}/findings/").status_code == expected


def test_findings_carry_clause_department_and_action(cast, org, started):
    record(started, cast, org, grade="minor", statement="Biểu mẫu cũ vẫn được dùng.")
    record(started, cast, org, grade="observation", statement="Sổ rủi ro chưa cập nhật.", number="6.1")
    client = client_for(cast["officer"])
    rows = client.get(f"/api/v1/audits/{started.pk}/findings/").json()["results"]
    assert [(r["number"], r["grade"], r["clause"]["number"]) for r in rows] == [
        (1, "minor", "7.5.3"), (2, "observation", "6.1")]
    assert rows[0]["action"]["state"] == "open" and rows[1]["action"] is None
    assert rows[0]["department"]["code"] == "tnmt"
    only = client.get(f"/api/v1/audits/{started.pk}/findings/", {"grade": "observation"}).json()
    assert [r["number"] for r in only["results"]] == [2]
    # The owner of the action now sees the audit, as on the pages.
    assert client_for(cast["owner"]).get(f"/api/v1/audits/{started.pk}/").status_code == 200


def test_bad_filters_are_400(cast, audit):
    client = client_for(cast["auditor"], "en")
    body = client.get("/api/v1/audits/", {"year": "abc"}).json()
    assert body["errors"]["year"] == ["Invalid year."]
    response = client.get(f"/api/v1/audits/{audit.pk}/findings/", {"grade": "x"})
    assert response.status_code == 400
