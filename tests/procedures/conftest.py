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
