"""People are deactivated, never deleted, and only by an administrator."""

import pytest
from django.core.exceptions import PermissionDenied

from qms import services

pytestmark = pytest.mark.django_db


def test_users_are_deactivated_not_deleted(people):
    with pytest.raises(PermissionDenied):
        people["staff"].delete()
    services.user_deactivate(user=people["staff"], actor=people["admin"])
    people["staff"].refresh_from_db()
    assert not people["staff"].is_active
    assert people["staff"].history.first().history_user == people["admin"]
    assert people["staff"].history.first().history_change_reason == "Ngừng kích hoạt"


def test_only_an_administrator_deactivates_a_user(people):
    with pytest.raises(PermissionDenied) as excinfo:
        services.user_deactivate(user=people["staff"], actor=people["officer"])
    assert excinfo.value.args == ("Bạn không có quyền thực hiện thao tác này.",)
    people["staff"].refresh_from_db()
    assert people["staff"].is_active


def test_deactivating_twice_writes_one_history_row(people):
    services.user_deactivate(user=people["staff"], actor=people["admin"])
    rows = people["staff"].history.count()
    services.user_deactivate(user=people["staff"], actor=people["admin"])
    assert people["staff"].history.count() == rows


def test_the_central_office_is_the_quality_office_of_the_configured_unit(people, org, settings):
    from qms.roles import is_central_officer

    settings.QMS_CENTRAL_OFFICE = "TNMT"  # any case
    assert is_central_officer(people["officer"])  # an officer of unit "tnmt"
    assert not is_central_officer(people["officer_b"])  # an officer elsewhere
    assert not is_central_officer(people["staff"])  # of the unit, but not an officer
    settings.QMS_CENTRAL_OFFICE = "qldt"
    assert is_central_officer(people["officer_b"])
