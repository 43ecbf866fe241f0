"""Who may do what: each role × each action × own or other department."""

import pytest

from procedures import services
from procedures.exceptions import ProcedureError
from qms import roles
from qms import services as qms_services
from tests.factories import PASSWORD, UserFactory, draft, effective, make_effective

pytestmark = pytest.mark.django_db

EVERYONE = ["officer2", "officer_b", "approver", "approver_b", "auditor", "staff", "nobody"]


@pytest.fixture
def cast(people, org):
    people = dict(people)
    people["approver_b"] = UserFactory(role=roles.APPROVER, department=org["b"])
    return people


def _create(p, org):
    return draft(author=p, department=org["a"])


def _in_review(cast):
    """Submitted by its author to officer2 (reviewer) and the approver (issue 10)."""
    version = draft(author=cast["officer"])
    return services.version_submit(
        version=version, actor=cast["officer"], reviewers=[cast["officer2"]],
        approver=cast["approver"],
    )


def _reviewed(cast):
    version = _in_review(cast)
    services.version_review(version=version, actor=cast["officer2"], password=PASSWORD)
    return version


def _approved(cast):
    version = _reviewed(cast)
    services.version_approve(version=version, actor=cast["approver"], password=PASSWORD)
    return version


DENIED = "Bạn không có quyền thực hiện thao tác này."

ACTIONS = {
    # action: (how to set up, how to act, who may, who holds the permission but is
    # refused for not being named, with the message)
    "create": (None, lambda v, u, c, org: draft(author=u, department=org["a"]), {"officer2"}, {}),
    "update": (
        lambda c: draft(author=c["officer"]),
        lambda v, u, c, org: services.version_update(version=v, actor=u, body="x"),
        {"officer2"},
        {},
    ),
    "submit": (
        lambda c: draft(author=c["officer"]),
        lambda v, u, c, org: services.version_submit(
            version=v, actor=u, reviewers=[c["officer2"]], approver=c["approver"]
        ),
        {"officer2"},
        {},
    ),
    "recall": (
        _in_review,
        lambda v, u, c, org: services.version_recall(version=v, actor=u),
        {"officer2"},
        {},
    ),
    "review": (
        _in_review,
        lambda v, u, c, org: services.version_review(version=v, actor=u, password=PASSWORD),
        {"officer2"},
        {"approver": "Bạn không được chỉ định xem xét phiên bản này."},
    ),
    "return": (
        _in_review,
        lambda v, u, c, org: services.version_return(
            version=v, actor=u, password=PASSWORD, reason="Chưa đạt"
        ),
        {"officer2", "approver"},
        {},
    ),
    "approve": (
        _reviewed,
        lambda v, u, c, org: services.version_approve(version=v, actor=u, password=PASSWORD),
        {"approver"},
        {},
    ),
    "comment": (
        _in_review,
        lambda v, u, c, org: services.comment_add(version=v, actor=u, body="Góp ý"),
        {"officer2", "approver"},
        {},
    ),
    "make_effective": (
        _approved,
        lambda v, u, c, org: make_effective(v, actor=u),
        {"officer2"},
        {},
    ),
    "start_revision": (
        lambda c: effective(author=c["officer"], approver=c["approver"]),
        lambda v, u, c, org: services.version_start_revision(procedure=v.procedure, actor=u),
        {"officer2"},
        {},
    ),
    "withdraw": (
        lambda c: effective(author=c["officer"], approver=c["approver"]),
        lambda v, u, c, org: services.version_withdraw(version=v, actor=u, reason="Bãi bỏ"),
        {"officer2"},
        {},
    ),
}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(cast, org, action, who):
    setup, act, allowed, not_named = ACTIONS[action]
    version = setup(cast) if setup else None
    if who in allowed:
        act(version, cast[who], cast, org)
    else:
        with pytest.raises(ProcedureError) as excinfo:
            act(version, cast[who], cast, org)
        assert excinfo.value.messages == [not_named.get(who, DENIED)]


def test_a_newcomer_officer_gets_the_department_procedures(people, org):
    version = draft(author=people["officer"])
    newcomer = UserFactory(role=roles.QUALITY_OFFICER, department=org["a"])
    routing = {"reviewers": [people["officer2"]], "approver": people["approver"]}
    with pytest.raises(ProcedureError):
        services.version_submit(version=version, actor=newcomer, **routing)
    services.user_sync_permissions(user=newcomer)
    services.version_submit(version=version, actor=newcomer, **routing)


def test_a_deactivated_officer_can_do_nothing(people):
    version = draft(author=people["officer"])
    qms_services.user_deactivate(user=people["officer2"], actor=people["admin"])
    with pytest.raises(ProcedureError):
        services.version_submit(version=version, actor=people["officer2"],
                                reviewers=[people["approver"]], approver=people["approver"])
