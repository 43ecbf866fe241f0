"""Dates in a real Chromium (issue 10, point 13): every date field is a text field
showing dd/mm/yyyy, filled by typing or with the local calendar picker."""

import pytest
from django.utils import timezone

from procedures import services
from procedures.models import AccessLog
from tests.factories import PASSWORD, effective

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_picker_fills_dd_mm_yyyy_and_the_filter_applies_it(new_page, live_server, people):
    version = effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-21")
    services.access_record(version=version, actor=people["staff"], action=AccessLog.Action.VIEW)
    today = timezone.localdate()
    officer = new_page("officer", PASSWORD)
    officer.goto(f"{live_server.url}/procedures/QT-TNMT-21/access-log/")
    field = officer.locator("input[name=date_from]")
    assert field.get_attribute("type") == "text"
    assert field.get_attribute("placeholder") == "dd/mm/yyyy"
    field.click()
    picker = officer.locator(".datepicker")
    assert picker.is_visible()
    assert picker.locator(".dp-head span").inner_text() == f"Tháng {today.month}/{today.year}"
    picker.locator("button.dp-today").click()
    assert field.input_value() == today.strftime("%d/%m/%Y")
    assert officer.locator(".datepicker").count() == 0  # closed once a day is chosen
    officer.locator("#log-filters button[type=submit]").click()
    officer.wait_for_url("**date_from=*")
    assert officer.locator("input[name=date_from]").input_value() == today.strftime("%d/%m/%Y")
    assert "Ngày không hợp lệ" not in officer.content()
    # Today's view by the staff member is inside the filter that starts today.
    assert officer.locator("#log-counts [data-action=view]").inner_text().endswith(": 1")


def test_a_typed_wrong_date_gets_the_message(new_page, live_server, people):
    effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-22")
    officer = new_page("officer", PASSWORD)
    officer.goto(f"{live_server.url}/procedures/QT-TNMT-22/access-log/?date_from=31/02/2026")
    assert "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy." in officer.content()
    officer.locator("input[name=date_from]").fill("05/03/2026")
    officer.keyboard.press("Escape")
    assert officer.locator(".datepicker").count() == 0
