"""The dashboard: each role sees its own work, at a constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures import services
from tests.factories import PASSWORD, approve, draft, effective, submit

pytestmark = pytest.mark.django_db


def test_staff_dashboard_shows_pending_acknowledgements_only(client, people):
    version = effective(author=people["officer"], approver=people["approver"], code="QT-P-01")
    client.force_login(people["staff"])
    response = client.get("/")
    sections = response.context["sections"]
    assert set(sections) == {"pending"}
    assert sections["pending"]["rows"] == [version] and sections["pending"]["total"] == 1


def test_officer_dashboard_shows_drafts_and_overdue_reviews(client, people):
    mine = draft(author=people["officer"], code="QT-M-01")
    old = effective(author=people["officer"], approver=people["approver"], code="QT-O-01",
                    effective_from=datetime.date(2019, 1, 1))
    client.force_login(people["officer"])
    sections = client.get("/").context["sections"]
    assert sections["drafts"]["rows"] == [mine]
    assert sections["overdue"]["rows"] == [old]
    assert "pending" not in sections


def test_approver_dashboard_shows_what_waits_for_a_signature(client, people):
    # Issue 10 changed this rule: a draft waits for the people named when it was
    # submitted — its reviewers first, then its approver once every reviewer signed.
    version = draft(author=people["officer"], code="QT-S-01")
    submit(version, reviewers=[people["officer2"]], approver=people["approver"])
    client.force_login(people["officer2"])
    assert client.get("/").context["sections"]["signature"]["rows"] == [version]
    client.force_login(people["approver"])
    assert client.get("/").context["sections"]["signature"]["rows"] == []
    services.version_review(version=version, actor=people["officer2"], password=PASSWORD)
    sections = client.get("/").context["sections"]
    assert sections["signature"]["rows"] == [version]
    client.force_login(people["officer2"])  # signed: nothing waits for them any more
    assert client.get("/").context["sections"]["signature"]["rows"] == []
    client.force_login(people["officer"])  # the author does not sign their own
    assert client.get("/").context["sections"]["signature"]["rows"] == []


def test_approved_versions_wait_for_publication_on_the_officers_dashboard(client, people):
    version = draft(author=people["officer"], code="QT-S-02")
    approve(version, approver=people["approver"])
    client.force_login(people["officer2"])
    assert client.get("/").context["sections"]["publication"]["rows"] == [version]


@pytest.mark.parametrize("who", ["staff", "officer"])
def test_dashboard_query_count_does_not_grow(client, people, who, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            if who == "staff":
                effective(author=people["officer"], approver=people["approver"])
            else:
                draft(author=people["officer"])

    make(2)
    client.force_login(people[who])
    # warm-up: the first page after sign-in fills per-process caches (guardian's content types)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    make(48)
    with django_assert_num_queries(len(queries)):
        response = client.get("/")
    section = "pending" if who == "staff" else "drafts"
    assert response.context["sections"][section]["total"] == 50
