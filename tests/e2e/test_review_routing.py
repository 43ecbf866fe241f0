"""Issue 10 in a real Chromium: a draft routed to two named reviewers who review in
parallel, a comment on a quoted passage, approval once both have signed, the issuing
decision, and nobody else seeing the draft in a queue."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from procedures import services
from procedures.models import Comment, ProcedureVersion, ReviewAssignment, State
from qms import roles
from tests.factories import PASSWORD, UserFactory, draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BODY = "## Các bước\n\n1. Tiếp nhận hồ sơ tại Bộ phận một cửa.\n2. Thẩm định hồ sơ trong 5 ngày."
# Set E2E_SHOTS=/some/folder to keep screenshots of each step.
SHOTS = os.environ.get("E2E_SHOTS")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_two_reviewers_in_parallel_then_approval_and_issue(new_page, live_server, people, org):
    head = UserFactory(username="head_a", role=roles.APPROVER, department=org["a"],
                       first_name="Sơn", last_name="Phạm Ngọc")
    services.user_sync_permissions(user=head)
    draft(author=people["officer"], code="QT-TNMT-07", title="Quy trình cấp giấy chứng nhận",
          body=BODY)
    url = f"{live_server.url}/procedures/QT-TNMT-07/versions/1/"

    officer = new_page("officer", PASSWORD)
    officer.goto(url)
    officer.check(f"#submit-form input[name=reviewers][value='{people['officer2'].pk}']")
    officer.check(f"#submit-form input[name=reviewers][value='{head.pk}']")
    officer.select_option("#submit-form select[name=approver]", str(people["approver"].pk))
    shot(officer, "01-submit")
    officer.click("#submit-form button[type=submit]")
    officer.wait_for_selector("text=Đã trình phiên bản để xem xét, phê duyệt.")
    assert officer.locator("#routing tbody tr").count() == 3

    # Only the named reviewers have it in their queue; the approver not yet.
    approver = new_page("approver", PASSWORD)
    assert approver.locator("#signature >> text=QT-TNMT-07").count() == 0
    outsider = new_page("officer_b", PASSWORD)
    assert outsider.locator("text=QT-TNMT-07").count() == 0

    reviewer = new_page("officer2", PASSWORD)
    reviewer.click("#signature >> text=QT-TNMT-07")
    reviewer.wait_for_url(url)
    # Quote a passage: select it in the text, then press the quote button.
    reviewer.evaluate("""() => {
        const item = document.querySelector('#version-body li:nth-child(2)');
        const range = document.createRange();
        range.selectNodeContents(item);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }""")
    reviewer.click("[data-quote-selection]")
    assert reviewer.input_value("#comment-form textarea[name=quote]") == (
        "Thẩm định hồ sơ trong 5 ngày.")
    reviewer.fill("#comment-form textarea[name=body]", "Thời hạn thẩm định là 3 ngày làm việc.")
    reviewer.click("#comment-form button[type=submit]")
    reviewer.wait_for_selector("text=Đã gửi góp ý.")

    head_page = new_page("head_a", PASSWORD)
    head_page.click("#signature >> text=QT-TNMT-07")
    head_page.fill("#review-form input[name=password]", PASSWORD)
    head_page.click("#review-form button[type=submit]")
    head_page.wait_for_selector("text=Đã ký xem xét.")

    # One reviewer still to sign: the approver has no approval form yet, and cannot recall.
    approver.goto(url)
    assert approver.locator("#approve-form").count() == 0
    approver.wait_for_selector("text=Đang chờ người xem xét ký; bước phê duyệt mở khi tất cả đã ký.")
    officer.reload()
    assert officer.locator("#recall-form").count() == 0  # someone signed
    officer.click("#comments summary")
    officer.fill(".answer-form textarea[name=body]", "Đã sửa thành 3 ngày ở lần ban hành sau.")
    officer.click(".answer-form button[type=submit]")
    officer.wait_for_selector("text=Đã trả lời góp ý.")
    shot(officer, "02-one-review-signed")

    reviewer.reload()
    reviewer.fill("#review-form input[name=password]", PASSWORD)
    reviewer.click("#review-form button[type=submit]")
    reviewer.wait_for_selector("text=Đã ký xem xét.")

    approver.goto(live_server.url + "/")
    approver.click("#signature >> text=QT-TNMT-07")
    approver.wait_for_selector("text=Mọi người xem xét đã ký: đang chờ phê duyệt.")
    shot(approver, "03-approval-open")
    approver.fill("#approve-form input[name=password]", PASSWORD)
    approver.click("#approve-form button[type=submit]")
    approver.wait_for_selector("text=Đã ký phê duyệt.")

    officer.reload()
    today = timezone.localdate().strftime("%d/%m/%Y")
    officer.fill("#effective-form input[name=decision_number]", "125")
    officer.fill("#effective-form input[name=decision_date]", today)
    officer.fill("#effective-form input[name=effective_from]", today)
    officer.click("#effective-form button[type=submit]")
    officer.wait_for_selector("text=Đã ban hành phiên bản.")
    officer.wait_for_selector(f"text=Quyết định ban hành số 125/QĐ-UBND ngày {today}")
    shot(officer, "04-effective")

    version = ProcedureVersion.objects.get(procedure__code="QT-TNMT-07")
    assert (version.state, version.decision_number) == (State.EFFECTIVE, "125/QĐ-UBND")
    assert set(version.assignments.values_list("person__username", "status")) == {
        ("officer2", "signed"), ("head_a", "signed"), ("approver", "signed")}
    assert ReviewAssignment.objects.filter(status="pending").count() == 0
    assert Comment.objects.filter(version=version).count() == 2
