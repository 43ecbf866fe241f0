import pytest

from procedures import services
from qms import roles
from tests.factories import UserFactory


@pytest.fixture
def head(people, org):
    """The head of department A: approver role there, so review and approve
    permissions on A's procedures, beside the committee's approver."""
    user = UserFactory(username="head_a", role=roles.APPROVER, department=org["a"])
    services.user_sync_permissions(user=user)
    return user


@pytest.fixture
def tamper_allowed():
    """These tests play someone who writes to the database behind the application,
    past its append-only triggers (as the database's owner could drop them)."""
    from django.db import connection

    from qms.append_only import bypassed

    with bypassed(connection):
        yield
