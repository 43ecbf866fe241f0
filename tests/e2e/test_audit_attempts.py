"""A corrective action's second attempt, in a real Chromium: the department answers,
the auditor finds it not effective, the department answers again, the auditor
closes it; the page shows both attempts, and the report the lead auditor signs
(password asked again) shows both attempts and the signature block."""

import datetime
import io

import pytest
from pypdf import PdfReader

from audits import services
from audits.models import AuditReport
from qms import roles
from qms.models import Clause
from tests.factories import PASSWORD, UserFactory, effective

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def audit_with_a_nonconformity(people, org):
    """A started audit of department A with one major finding, owned by `officer`."""
    auditor2 = UserFactory(username="auditor2", role=roles.INTERNAL_AUDITOR, department=org["root"])
    version = effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-01",
                        title="Quy trình đăng ký đất đai", clauses=("7.5.3",), year=2015)
    programme = services.programme_create(actor=people["auditor"], year=2026)
    audit = services.audit_create(
        actor=people["auditor"], programme=programme, title="Đánh giá Phòng Tài nguyên và Môi trường",
        departments=[org["a"]], planned_start=datetime.date(2026, 3, 10), planned_end=datetime.date(2026, 3, 12),
        lead_auditor=people["auditor"], team=[auditor2], clause_numbers=["7.5.3"],
        procedures=[version.procedure],
    )
    services.audit_start(audit=audit, actor=people["auditor"])
    finding = services.finding_record(
        audit=audit, actor=people["auditor"], grade="major",
        statement="Hồ sơ đất đai trả kết quả trễ hạn không có phiếu xin lỗi.",
        clause=Clause.objects.get(edition__year=2015, number="7.5.3"), department=org["a"],
        action_owner=people["officer"], action_due=datetime.date(2026, 4, 30),
    )
    for item in audit.checklist.all():
        services.checklist_item_answer(item=item, actor=auditor2, result="nonconforming",
                                       notes="Xem phát hiện số 1.")
    return audit, finding.action


def answer(page, url, root_cause, plan, evidence):
    page.goto(url)
    page.fill("textarea[name=root_cause]", root_cause)
    page.fill("textarea[name=action_plan]", plan)
    page.fill("textarea[name=evidence]", evidence)
    page.click("button:has-text('Gửi trả lời')")


def check(page, url, effective, note):
    page.goto(url)
    page.check(f"input[name=effective][value={'yes' if effective else 'no'}]")
    page.fill("textarea[name=note]", note)
    page.click("button:has-text('Ghi kết quả')")
    page.wait_for_selector("text=Đã ghi kết quả kiểm tra hiệu lực.")


def test_a_second_attempt_on_the_page_and_in_the_signed_pdf(new_page, live_server, people,
                                                            audit_with_a_nonconformity, tmp_path):
    audit, action = audit_with_a_nonconformity
    base = live_server.url
    answer_url = f"{base}/audits/actions/{action.pk}/answer/"
    verify_url = f"{base}/audits/actions/{action.pk}/verify/"

    officer = new_page("officer", PASSWORD)
    answer(officer, answer_url, "Chưa hướng dẫn công chức lập phiếu xin lỗi.", "Tập huấn công chức.",
           "Danh sách tập huấn 15/04/2026.")
    officer.wait_for_selector("text=Đã gửi trả lời hành động khắc phục (lần 1).")

    auditor2 = new_page("auditor2", PASSWORD)
    check(auditor2, verify_url, False, "Còn 3 hồ sơ trễ hạn: chưa có hiệu lực.")

    # The officer's page is that URL already: load it again (a fragment alone does not).
    officer.goto(f"{base}{action.get_absolute_url()}")
    officer.reload()
    officer.click(f"#action-{action.pk} >> text=Trả lời lần 2")
    # The second answer starts from the first one.
    assert officer.input_value("textarea[name=root_cause]") == "Chưa hướng dẫn công chức lập phiếu xin lỗi."
    answer(officer, officer.url, "Phần mềm không cảnh báo hồ sơ sắp đến hạn.", "Bật cảnh báo trước hạn 2 ngày.",
           "Ảnh chụp cấu hình cảnh báo.")
    officer.wait_for_selector("text=Đã gửi trả lời hành động khắc phục (lần 2).")

    check(auditor2, verify_url, True, "Kiểm tra 20 hồ sơ tháng 6: đạt.")

    lead = new_page("auditor", PASSWORD)
    lead.goto(f"{base}{audit.get_absolute_url()}")
    rows = lead.locator(f"#action-{action.pk} table.attempts tbody tr")
    assert rows.count() == 2
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "Chưa hướng dẫn công chức lập phiếu xin lỗi." in first and "Chưa có hiệu lực" in first
    assert "Còn 3 hồ sơ trễ hạn: chưa có hiệu lực." in first
    assert "Phần mềm không cảnh báo hồ sơ sắp đến hạn." in second and "Có hiệu lực" in second
    lead.locator(f"#action-{action.pk}").screenshot(path=str(tmp_path / "attempts.png"))

    # The lead auditor signs the issue: the wrong password first.
    lead.fill("#issue-form input[name=password]", "sai")
    lead.click("#issue-form button[type=submit]")
    lead.wait_for_selector("text=Mật khẩu không đúng: chữ ký chưa được ghi nhận.")
    assert not AuditReport.objects.exists()
    lead.fill("#issue-form input[name=password]", PASSWORD)
    lead.click("#issue-form button[type=submit]")
    # The PDF is built by a background job; its page tells the outcome and leads back.
    lead.wait_for_selector("text=Đã ký và phát hành báo cáo BC-ĐG-")
    lead.click("#job-result a")
    assert "Trưởng đoàn đánh giá — phát hành báo cáo" in lead.locator("#reports").inner_text()

    with lead.expect_download() as download:
        lead.click("text=Tải báo cáo PDF")
    content = open(download.value.path(), "rb").read()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)
    for expected in (
        "Lần 1 — ", "Nguyên nhân: Chưa hướng dẫn công chức lập phiếu xin lỗi.",
        "Chưa có hiệu lực Còn 3 hồ sơ trễ hạn: chưa có hiệu lực.",
        "1 (lần 2)", "Lần 2 — ", "Nguyên nhân: Phần mềm không cảnh báo hồ sơ sắp đến hạn.",
        "Bằng chứng: Ảnh chụp cấu hình cảnh báo.", "Đã đóng Kiểm tra 20 hồ sơ tháng 6: đạt.",
        "(Đã ký điện tử)", "Ý nghĩa: Trưởng đoàn đánh giá — phát hành báo cáo",
    ):
        assert expected in text, expected
    report = AuditReport.objects.get()
    import hashlib

    assert hashlib.sha256(content).hexdigest() == report.signature.pdf_sha256
