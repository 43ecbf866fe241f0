"""Who sees a draft in a queue (issue 10, point 15): the named reviewers and approver,
and only they; the procedure's managing officers follow it in their tracking list."""

import pytest
from django.contrib.auth import get_user_model

from procedures import selectors, services
from qms import roles
from qms import services as qms_services
from tests.factories import PASSWORD, UserFactory, draft, submit

pytestmark = pytest.mark.django_db

EVERYONE = ["officer", "officer2", "head_a", "approver", "approver_b", "officer_b", "auditor",
            "staff", "nobody", "admin"]


@pytest.fixture
def cast(people, org, head):
    people = dict(people)
    people["head_a"] = head
    people["approver_b"] = UserFactory(role=roles.APPROVER, department=org["b"])
    return people


@pytest.fixture
def routed(cast):
    """Three drafts of A under review; each to other people."""
    def make(code, reviewers, approver):
        version = draft(author=cast["officer"], code=code)
        return submit(version, reviewers=[cast[r] for r in reviewers], approver=cast[approver])

    return {
        "to_officer2": make("QT-Q-01", ["officer2"], "approver"),
        "to_head": make("QT-Q-02", ["head_a"], "approver"),
        "both": make("QT-Q-03", ["officer2", "head_a"], "approver"),
        "plain_draft": draft(author=cast["officer"], code="QT-Q-04"),
    }


def queue(user):
    user = get_user_model().objects.get(pk=user.pk)
    return {v.procedure.code for v in selectors.awaiting_signature_list(user=user)}


# Stage 1: just submitted. Reviewers see what they must review; the approver nothing yet.
SUBMITTED = {
    "officer2": {"QT-Q-01", "QT-Q-03"},
    "head_a": {"QT-Q-02", "QT-Q-03"},
}


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_named_reviewers_see_a_submitted_draft_in_their_queue(cast, routed, who):
    assert queue(cast[who]) == SUBMITTED.get(who, set())


# Stage 2: officer2 signed everything named to them; head_a signed nothing.
REVIEWED = {
    "officer2": set(),
    "head_a": {"QT-Q-02", "QT-Q-03"},
    "approver": {"QT-Q-01"},  # approval open only where every reviewer signed
}


@pytest.mark.parametrize("who", EVERYONE)
def test_the_named_approver_sees_a_draft_once_every_reviewer_signed(cast, routed, who):
    for key in ("to_officer2", "both"):
        services.version_review(version=routed[key], actor=cast["officer2"], password=PASSWORD)
    assert queue(cast[who]) == REVIEWED.get(who, set())


def test_a_returned_or_recalled_draft_leaves_every_queue(cast, routed):
    services.version_return(version=routed["both"], actor=cast["head_a"], password=PASSWORD,
                            reason="Thiếu biểu mẫu")
    services.version_recall(version=routed["to_officer2"], actor=cast["officer"])
    for who in EVERYONE:
        assert queue(cast[who]) <= {"QT-Q-02"}, who
    assert queue(cast["head_a"]) == {"QT-Q-02"}


def test_a_deactivated_reviewer_sees_nothing(cast, routed):
    qms_services.user_deactivate(user=cast["officer2"], actor=cast["admin"])
    assert queue(cast["officer2"]) == set()


def test_the_queue_carries_the_role_of_each_row(cast, routed):
    services.version_review(version=routed["to_officer2"], actor=cast["officer2"], password=PASSWORD)
    rows = selectors.awaiting_signature_list(user=cast["approver"])
    assert [(v.procedure.code, v.queue_role) for v in rows] == [("QT-Q-01", "approver")]
    rows = selectors.awaiting_signature_list(user=cast["head_a"])
    assert {(v.procedure.code, v.queue_role) for v in rows} == {
        ("QT-Q-02", "reviewer"), ("QT-Q-03", "reviewer")}


TRACKING = {"officer": {"QT-Q-01", "QT-Q-02", "QT-Q-03"},
            "officer2": {"QT-Q-01", "QT-Q-02", "QT-Q-03"},
            "admin": {"QT-Q-01", "QT-Q-02", "QT-Q-03"}}


@pytest.mark.parametrize("who", EVERYONE)
def test_the_managing_officers_follow_drafts_under_review(cast, routed, who):
    user = get_user_model().objects.get(pk=cast[who].pk)
    codes = {v.procedure.code for v in selectors.review_tracking_list(user=user)}
    assert codes == TRACKING.get(who, set())


def test_queue_query_count_does_not_grow(cast, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make(start, count):
        for i in range(start, start + count):
            submit(draft(author=cast["officer"], code=f"QT-N-{i:02d}"),
                   reviewers=[cast["officer2"]], approver=cast["approver"])

    def read():
        reviewer = get_user_model().objects.get(pk=cast["officer2"].pk)
        return [(v.procedure.code, v.procedure.department.name, v.author.username, v.queue_role)
                for v in selectors.awaiting_signature_list(user=reviewer)]

    make(0, 2)
    read()  # guardian caches its look-up of the permissions' content types
    with CaptureQueriesContext(connection) as at_two:
        assert len(read()) == 2
    make(2, 48)
    with django_assert_num_queries(len(at_two)):
        assert len(read()) == 50
    assert len(at_two) == 2  # the user, then the list (permissions and routing in subqueries)


def test_eligible_people_are_those_with_the_permission_except_the_author(cast):
    version = draft(author=cast["officer"])
    reviewers = {u.username for u in selectors.eligible_reviewers(version=version)}
    approvers = {u.username for u in selectors.eligible_approvers(version=version)}
    assert reviewers == {"officer2", "head_a", "approver"}
    assert approvers == {"head_a", "approver"}


def test_central_quality_officers_review_every_department(cast, org, settings):
    settings.QMS_CENTRAL_OFFICE = org["b"].code  # officer_b's unit is the central office
    version = draft(author=cast["officer"])
    assert "officer_b" in {u.username for u in selectors.eligible_reviewers(version=version)}
