"""Permission leaks: which audits and actions each kind of person sees, and what
they may do. Deny by default: staff see nothing of audits unless granted."""

import pytest
from django.contrib.auth.models import Permission
from django.http import Http404

from audits import permissions, selectors
from qms import roles
from tests.factories import UserFactory

from .conftest import plan, record, reported_with_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_audits(cast, org, programme, procedure_a):
    """`mine` audits department A (lead auditor, team auditor2); `other` audits B,
    led by auditor2 alone."""
    mine = plan(cast, org, programme, procedure_a)
    other = plan(cast, org, programme, departments=[org["b"]], lead_auditor=cast["auditor2"], team=[],
                 actor=cast["auditor2"], procedures=[])
    return mine, other


def visible(user):
    return set(selectors.audit_list(user=user).values_list("pk", flat=True))


def test_visible_and_hidden_audit_ids(cast, two_audits):
    mine, other = two_audits
    expected = {
        "auditor": {mine.pk},             # lead of `mine`, stranger to `other`
        "auditor2": {mine.pk, other.pk},  # team of `mine`, lead of `other`
        "officer": {mine.pk},             # quality officer of the audited department A
        "officer2": {mine.pk},
        "officer_b": {other.pk},          # officer of B, audited by `other`
        "stranger": set(),                # an auditor on no team
        "staff": set(),
        "nobody": set(),
        "approver": set(),
        "owner": set(),                   # nothing until an action is assigned
        "admin": {mine.pk, other.pk},     # superuser
    }
    assert {who: visible(cast[who]) for who in expected} == expected


def test_the_owner_of_an_action_is_granted_the_audit(cast, org, started):
    finding = record(started, cast, org)
    assert visible(cast["owner"]) == {started.pk}
    assert permissions.can_answer(cast["owner"], finding.action)
    assert not permissions.can_conduct(cast["owner"], started)


def test_a_model_wide_permission_opens_nothing(cast, two_audits):
    staff = cast["staff"]
    staff.user_permissions.add(Permission.objects.get(codename="view_audit"))
    staff = type(staff).objects.get(pk=staff.pk)
    assert visible(staff) == set()


def test_hidden_audits_are_404_in_every_selector(cast, org, started):
    major, _minor = reported_with_actions(started, cast, org)
    item = started.checklist.first()
    for who in ("stranger", "staff", "officer_b"):
        user = cast[who]
        for call in (
            lambda u: selectors.audit_get(user=u, pk=started.pk),
            lambda u: selectors.audit_detail(user=u, pk=started.pk),
            lambda u: selectors.checklist_item_get(user=u, pk=item.pk),
            lambda u: selectors.finding_get(user=u, pk=major.pk),
            lambda u: selectors.corrective_action_get(user=u, pk=major.action.pk),
            lambda u: selectors.report_get(user=u, audit_pk=started.pk),
        ):
            with pytest.raises(Http404):
                call(user)


def test_what_each_may_do_on_an_audit(cast, audit):
    table = {who: permissions.audit_perms(cast[who], audit)
             for who in ("auditor", "auditor2", "officer", "stranger", "staff", "admin")}
    assert table == {
        "auditor": {"view": True, "conduct": True, "lead": True},
        "auditor2": {"view": True, "conduct": True, "lead": False},
        "officer": {"view": True, "conduct": False, "lead": False},
        "stranger": {"view": False, "conduct": False, "lead": False},
        "staff": {"view": False, "conduct": False, "lead": False},
        "admin": {"view": True, "conduct": True, "lead": True},
    }


def test_a_deactivated_lead_loses_everything(cast, audit):
    lead = cast["auditor"]
    lead.is_active = False
    lead.save(update_fields=["is_active"])
    assert visible(lead) == set()
    assert permissions.audit_perms(lead, audit) == {"view": False, "conduct": False, "lead": False}


def test_programmes_are_listed_for_auditors_and_for_those_who_see_an_audit(cast, two_audits, programme):
    assert selectors.programme_list(user=cast["stranger"]) == [programme]
    assert selectors.programme_list(user=cast["officer"]) == [programme]
    assert selectors.programme_list(user=cast["staff"]) == []


def test_followed_actions(cast, org, started):
    major, minor = reported_with_actions(started, cast, org)
    other_officer = UserFactory(role=roles.QUALITY_OFFICER, department=org["b"])
    ids = {a.pk for a in (major.action, minor.action)}
    for who, expected in (("owner", ids), ("officer", ids), ("auditor", ids), ("auditor2", ids),
                          ("admin", ids), ("stranger", set()), ("staff", set())):
        assert {a.pk for a in selectors.followed_actions(cast[who])} == expected, who
    assert not selectors.followed_actions(other_officer).exists()
