"""Which versions each reader sees, and what it costs."""

import datetime

import pytest
from django.http import Http404

from procedures import selectors, services
from procedures.models import State
from tests.factories import draft, effective

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(people, org):
    officer, officer_b, approver = people["officer"], people["officer_b"], people["approver"]
    return {
        "a_effective": effective(author=officer, approver=approver),
        "a_draft": draft(author=officer),
        "b_effective": effective(author=officer_b, approver=approver),
        "b_draft": draft(author=officer_b),
    }


EXPECTED = {
    "officer": {"a_effective", "a_draft", "b_effective"},
    "officer_b": {"a_effective", "b_effective", "b_draft"},
    "approver": {"a_effective", "a_draft", "b_effective", "b_draft"},
    "auditor": {"a_effective", "b_effective"},
    "staff": {"a_effective", "b_effective"},
    "nobody": set(),
    "admin": {"a_effective", "a_draft", "b_effective", "b_draft"},
}


@pytest.mark.parametrize("who", EXPECTED)
def test_version_list_visible_and_hidden_ids(people, versions, who):
    visible = set(selectors.version_list(user=people[who]).values_list("pk", flat=True))
    expected = {versions[name].pk for name in EXPECTED[who]}
    assert visible == expected
    hidden = {v.pk for v in versions.values()} - expected
    assert not visible & hidden


def test_staff_never_get_a_draft_by_id(people, versions):
    with pytest.raises(Http404):
        selectors.version_get(user=people["staff"], pk=versions["a_draft"].pk)


def test_effective_version_get_hides_unknown_and_unreleased(people, versions):
    code = versions["a_effective"].procedure.code
    assert selectors.effective_version_get(user=people["staff"], code=code) == versions["a_effective"]
    with pytest.raises(Http404):
        selectors.effective_version_get(user=people["staff"], code=versions["a_draft"].procedure.code)
    with pytest.raises(Http404):
        selectors.effective_version_get(user=people["nobody"], code=code)
    with pytest.raises(Http404):
        selectors.effective_version_get(user=people["staff"], code="KHONG-CO")


def test_overdue_reviews(people):
    old = effective(
        author=people["officer"], approver=people["approver"], effective_from=datetime.date(2020, 1, 10)
    )
    effective(author=people["officer"], approver=people["approver"])
    overdue = list(selectors.overdue_review_list(user=people["officer"]))
    assert overdue == [old]
    services.version_start_revision(procedure=old.procedure, actor=people["officer"])
    assert list(selectors.overdue_review_list(user=people["officer"])) == [old]


@pytest.mark.parametrize("rows", [2, 50])
def test_effective_list_query_count_does_not_grow(people, django_assert_num_queries, rows):
    for _ in range(rows):
        effective(author=people["officer"], approver=people["approver"])
    staff = people["staff"]
    staff = type(staff).objects.get(pk=staff.pk)
    with django_assert_num_queries(4):
        listed = [
            (v.procedure.code, v.procedure.department.name, [c.number for c in v.clauses.all()])
            for v in selectors.effective_version_list(user=staff)
        ]
    assert len(listed) == rows
    assert all(v[2] == ["4.2.3"] for v in listed)
    assert all(State.EFFECTIVE for _ in listed)
