"""Whole journeys in a real Chromium against the live server."""

import pytest
from django.utils import timezone

from procedures.models import Acknowledgement, ProcedureVersion, State
from tests.factories import PASSWORD, effective

# live_server empties the tables after each test; serialized_rollback restores the
# rows of the data migrations (clauses, editions, role groups) for the next one.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_searches_without_accents_and_opens_a_procedure(new_page, live_server, people):
    effective(
        author=people["officer"],
        approver=people["approver"],
        code="QT-TNMT-01",
        title="Quy trình đăng ký đất đai lần đầu",
        body="## Mục đích\n\nHướng dẫn **đăng ký đất đai**.",
    )
    effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-02",
              title="Quy trình cấp phép xây dựng")
    page = new_page("staff", PASSWORD, width=390)  # a phone's narrow screen
    page.goto(f"{live_server.url}/procedures/")
    page.fill("input[name=q]", "quy trinh dang ky dat dai")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/procedures/?q=*")
    rows = page.locator("table.grid tbody tr")
    assert rows.count() == 1
    page.click("text=QT-TNMT-01")
    page.wait_for_url(f"{live_server.url}/procedures/QT-TNMT-01/")
    assert page.locator("h1").inner_text() == "QT-TNMT-01 Quy trình đăng ký đất đai lần đầu"
    assert page.locator("article.body strong").inner_text() == "đăng ký đất đai"
    assert page.locator("html").get_attribute("lang") == "vi"


def test_draft_to_effective_to_acknowledged(new_page, live_server, people):
    officer = new_page("officer", PASSWORD)
    officer.goto(f"{live_server.url}/register/new/")
    officer.fill("input[name=code]", "QT-TNMT-05")
    officer.fill("input[name=title]", "Quy trình thu hồi đất")
    officer.select_option("select[name=edition]", label="ISO 9001:2015")
    officer.fill("input[name=clause_numbers]", "7.5.3, 8.5.1")
    editor = officer.locator("textarea[name=body]")
    editor.fill("Thu hồi đất theo quy định.")
    editor.press("End")
    officer.click(".editor-toolbar [data-md=bold]")  # the toolbar inserts Markdown
    # and the live preview renders it (a locator: a string predicate would be eval'd
    # in the page, which the Content-Security-Policy refuses)
    officer.locator(".editor-preview strong").wait_for()
    officer.click("button:has-text('Tạo dự thảo')")
    officer.wait_for_url("**/procedures/QT-TNMT-05/versions/1/edit/")
    officer.click("button[name=save_and_view]")
    officer.wait_for_url("**/procedures/QT-TNMT-05/versions/1/")
    # Issue 10: the author names the reviewer and the approver; the reviewer signs first.
    officer.check(f"#submit-form input[name=reviewers][value='{people['officer2'].pk}']")
    officer.select_option("#submit-form select[name=approver]", str(people["approver"].pk))
    officer.click("#submit-form button[type=submit]")
    officer.wait_for_selector("text=Đã trình phiên bản để xem xét, phê duyệt.")

    reviewer = new_page("officer2", PASSWORD)
    reviewer.click("#signature >> text=QT-TNMT-05")
    reviewer.fill("#review-form input[name=password]", PASSWORD)
    reviewer.click("#review-form button[type=submit]")
    reviewer.wait_for_selector("text=Đã ký xem xét.")

    approver = new_page("approver", PASSWORD)
    approver.click("#signature >> text=QT-TNMT-05")
    approver.fill("#approve-form input[name=password]", "sai")
    approver.click("#approve-form button[type=submit]")
    approver.wait_for_selector("text=Mật khẩu không đúng: chữ ký chưa được ghi nhận.")
    approver.fill("#approve-form input[name=password]", PASSWORD)
    approver.click("#approve-form button[type=submit]")
    approver.wait_for_selector("text=Đã ký phê duyệt.")

    officer.reload()
    officer.fill("#effective-form input[name=decision_number]", "125/QĐ-UBND")
    officer.fill("#effective-form input[name=decision_date]", timezone.localdate().strftime("%d/%m/%Y"))
    officer.fill("#effective-form input[name=effective_from]", timezone.localdate().strftime("%d/%m/%Y"))
    officer.click("#effective-form button[type=submit]")
    officer.wait_for_selector("text=Đã ban hành phiên bản.")
    version = ProcedureVersion.objects.get(procedure__code="QT-TNMT-05")
    assert version.state == State.EFFECTIVE
    assert version.body.startswith("Thu hồi đất theo quy định.")

    staff = new_page("staff", PASSWORD)
    staff.click("#pending >> text=QT-TNMT-05")
    # Issue 10 point 7: the button is on the acknowledgement page, with what changed.
    staff.click("#acknowledge-link")
    staff.click("button[name=acknowledge]")
    staff.wait_for_selector("text=Đã ghi nhận: bạn đã đọc QT-TNMT-05 lần ban hành 1.")
    assert Acknowledgement.objects.filter(version=version, user=people["staff"]).exists()
