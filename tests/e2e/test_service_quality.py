"""Service quality in a real Chromium: an officer imports the one-stop file (a bad
one first), the central office publishes the month, staff read the summary."""

import pytest

from qms import roles
from service_quality import services
from tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from tests.service_quality.conftest import csv_bytes, row

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_import_publish_and_read_the_summary(new_page, live_server, people, org, tmp_path):
    vp = OrgUnitFactory(code="vp", name="Văn phòng HĐND và UBND", parent=org["root"])
    UserFactory(username="central", role=roles.QUALITY_OFFICER, department=vp)
    central = type(people["officer"]).objects.get(username="central")
    services.field_create(actor=central, code="dat-dai", name="Đất đai", department=org["a"])

    officer = new_page("officer", PASSWORD)
    officer.click("text=Chất lượng hồ sơ")
    officer.goto(f"{live_server.url}/quality/figures/import/")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row("2024-01"), row("2024-02", carried=9, early=81)]))
    officer.set_input_files("input[name=file]", str(bad))
    officer.click("form.sq-form button[type=submit]")
    assert "Dòng 3: số kỳ trước chuyển sang (9) khác số còn đang giải quyết cuối kỳ 2024-01 (5)." in (
        officer.locator(".errorlist").inner_text())
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row("2024-01", received=1200, early=1000, on_time=150, late=45)]))
    officer.set_input_files("input[name=file]", str(good))
    officer.click("form.sq-form button[type=submit]")
    officer.wait_for_url(f"{live_server.url}/quality/figures/")
    assert "Đã nhập 1 dòng, thay 0 dòng từ good.csv." in officer.locator(".messages").inner_text()

    staff = new_page("staff", PASSWORD)
    staff.goto(f"{live_server.url}/quality/?year=2024")
    assert staff.locator("#kpi-received").inner_text() == "0"  # nothing published yet

    office = new_page("central", PASSWORD)
    office.goto(f"{live_server.url}/quality/figures/?year=2024")
    office.fill("input[name=period]", "2024-01")
    office.click("button[value=publish]")
    assert "Đã công bố số liệu kỳ 2024-01." in office.locator(".messages").inner_text()

    staff.goto(f"{live_server.url}/quality/?year=2024")
    # 1,195 resolved of 1,200: 99.58 %; late 45 / 1,195 = 3.77 %
    assert staff.locator("#kpi-received").inner_text() == "1.200"
    assert staff.locator("#kpi-resolved").inner_text() == "99,58 %"
    assert staff.locator("#kpi-late").inner_text() == "3,77 %"
    assert staff.locator("svg.chart").count() == 3
