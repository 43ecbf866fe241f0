"""The inbox and read-and-understood in a real Chromium (issue 10 point 15): the
count changing as work is done, acknowledging only after opening."""

import datetime

import pytest
from django.utils import timezone

from procedures.models import Acknowledgement, ProcedureVersion
from tests.factories import PASSWORD, effective

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def count(page) -> int:
    return int(page.locator("#inbox-count").inner_text())


def test_acknowledging_only_after_opening(new_page, live_server, people):
    today = timezone.localdate()
    effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-07",
              title="Quy trình cấp giấy chứng nhận quyền sử dụng đất",
              body="## Các bước\n\n1. Tiếp nhận hồ sơ.\n2. Thẩm định.",
              change_summary="Ban hành lần đầu.", effective_from=today)
    staff = new_page("staff", PASSWORD)
    staff.click("#inbox-link")
    staff.click("[data-kind='procedures.acknowledgement'] >> text=QT-TNMT-07")
    staff.wait_for_url("**/procedures/QT-TNMT-07/versions/1/acknowledge/")
    # Not opened yet: the page says so and offers no button.
    assert "Bạn chưa mở phiên bản này." in staff.locator("#not-opened").inner_text()
    assert staff.locator("button[name=acknowledge]").count() == 0
    staff.click("#open-link")
    staff.wait_for_url(f"{live_server.url}/procedures/QT-TNMT-07/")
    assert staff.locator("article.body li").first.inner_text() == "Tiếp nhận hồ sơ."
    staff.click("#acknowledge-link")
    staff.wait_for_url("**/procedures/QT-TNMT-07/versions/1/acknowledge/")
    assert "Ban hành lần đầu." in staff.locator("#change-summaries").inner_text()
    staff.click("button[name=acknowledge]")
    staff.wait_for_selector("text=Đã ghi nhận: bạn đã đọc QT-TNMT-07 lần ban hành 1.")
    assert staff.locator("#acknowledged").is_visible()
    version = ProcedureVersion.objects.get(procedure__code="QT-TNMT-07")
    assert Acknowledgement.objects.filter(version=version, user=people["staff"]).count() == 1
    actions = list(version.access_log.order_by("pk").values_list("action", flat=True))
    assert actions == ["view", "acknowledge"]  # the return to the page is no second view


def test_the_inbox_count_changes_as_work_is_done(new_page, live_server, people):
    today = timezone.localdate()
    for code in ("QT-TNMT-08", "QT-TNMT-09"):
        effective(author=people["officer"], approver=people["approver"], code=code,
                  effective_from=today - datetime.timedelta(days=1))
    staff = new_page("staff", PASSWORD, width=390)  # a phone: the menu folds, the count stays
    assert staff.locator("#inbox-count").is_visible()
    assert count(staff) == 2
    staff.click("#inbox-link")
    assert staff.locator("#inbox-total").inner_text() == "2"
    for code, left in (("QT-TNMT-08", 1), ("QT-TNMT-09", 0)):
        staff.goto(f"{live_server.url}/procedures/{code}/")
        staff.click("#acknowledge-link")
        staff.click("button[name=acknowledge]")
        staff.wait_for_selector(f"text=Đã ghi nhận: bạn đã đọc {code} lần ban hành 1.")
        assert count(staff) == left
    staff.click("#inbox-link")
    assert staff.locator("text=Không có việc nào đang chờ bạn.").is_visible()
