"""The permission matrix: officers enter their own department's figures, the central
office (and leadership, auditors) sees all, staff see the published summary only."""

import pytest

from qms import roles
from service_quality import permissions, services
from service_quality.selectors.figures import stat_list
from service_quality.selectors.report import report_data, visibility_for
from tests.factories import UserFactory

from .conftest import load, row

pytestmark = pytest.mark.django_db
WHO = ("officer", "officer2", "officer_b", "grantee", "central", "approver", "auditor", "staff", "nobody",
       "admin")


@pytest.fixture
def rows(cast, org, fields):
    """A: January and February; B: January. January is published, February is not.
    `grantee` (staff of B) is granted reading A's figures."""
    load(cast["central"], [
        row("2024-01"), row("2024-02", carried=5, early=85), row("2024-01", "qldt", "xay-dung"),
    ])
    services.period_publish(actor=cast["central"], year=2024, month=1)
    services.reporting_unit_grant(unit=org["a"], actor=cast["central"], user=cast["grantee"], enter=False)
    from service_quality.models import DossierStat

    get = DossierStat.objects.get
    return {
        "a1": get(department=org["a"], month=1).pk, "a2": get(department=org["a"], month=2).pk,
        "b1": get(department=org["b"], month=1).pk,
    }


def test_visible_and_hidden_rows_in_full(cast, rows):
    a1, a2, b1 = rows["a1"], rows["a2"], rows["b1"]
    expected = {
        "officer": {a1, a2}, "officer2": {a1, a2},   # officers of A
        "officer_b": {b1},                           # officer of B
        "grantee": {a1, a2},                         # granted A, nothing of their own B
        "central": {a1, a2, b1}, "approver": {a1, a2, b1}, "auditor": {a1, a2, b1}, "admin": {a1, a2, b1},
        "staff": set(), "nobody": set(),
    }
    assert {w: set(stat_list(user=cast[w], year=2024).values_list("pk", flat=True)) for w in WHO} == expected


def test_the_summary_shows_published_months_and_ones_own_department(cast, rows):
    counted = {}
    for who in WHO:
        visibility = visibility_for(cast[who])
        counted[who] = None if visibility is None else report_data(year=2024, visibility=visibility)["row_count"]
    assert counted == {
        "staff": 2,                                   # January of A and B, published
        "officer": 3, "officer2": 3, "grantee": 3,    # all of A + January of B
        "officer_b": 2,                               # January of B + January of A
        "central": 3, "approver": 3, "auditor": 3, "admin": 3,
        "nobody": None,                               # no role: nothing
    }


def test_who_enters_which_department(cast, org, rows):
    may = {who: (permissions.can_enter(cast[who], org["a"]), permissions.can_enter(cast[who], org["b"]))
           for who in WHO}
    assert may == {
        "officer": (True, False), "officer2": (True, False), "officer_b": (False, True),
        "grantee": (False, False), "central": (True, True), "admin": (True, True),
        "approver": (False, False), "auditor": (False, False), "staff": (False, False),
        "nobody": (False, False),
    }
    assert {who for who in WHO if permissions.can_publish(cast[who])} == {"central", "admin"}


def test_a_new_officer_is_granted_when_the_unit_is_enrolled_again(cast, org, rows):
    newcomer = UserFactory(username="newcomer", role=roles.QUALITY_OFFICER, department=org["a"])
    assert not permissions.can_enter(newcomer, org["a"])
    services.reporting_unit_enrol(unit=org["a"], actor=cast["central"])
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert permissions.can_enter(newcomer, org["a"])


def test_an_officer_of_another_unit_is_not_central(cast, org):
    assert not permissions.is_central_officer(cast["officer"])
    assert permissions.is_central_officer(cast["central"])
    assert permissions.is_leadership(cast["approver"])
    other_approver = UserFactory(username="deputy", role=roles.APPROVER, department=org["a"])
    assert not permissions.sees_all(other_approver)
    inactive = UserFactory(username="gone", role=roles.QUALITY_OFFICER, department=org["vp"], is_active=False)
    assert not permissions.can_use(inactive) and not permissions.is_central_officer(inactive)


def test_services_refuse_what_permissions_deny(cast, org, rows):
    with pytest.raises(Exception, match="Bạn không có quyền thực hiện thao tác này."):
        services.period_publish(actor=cast["officer"], year=2024, month=2)
    with pytest.raises(Exception, match="Bạn không có quyền thực hiện thao tác này."):
        services.online_target_set(actor=cast["approver"], year=2024, department=org["a"], target=10)
    with pytest.raises(Exception, match="Bạn không có quyền thực hiện thao tác này."):
        services.field_create(actor=cast["officer"], code="moi", name="Mới", department=org["a"])
