"""The PDF audit record, read back with pypdf: every statement as written, header
and footer on every page, Vietnamese in an embedded TrueType font, a long table
that repeats its header, and the audit_report command."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from audits import pdf, selectors, services
from audits.models import AuditReport
from qms import pdf as base_pdf
from tests.factories import PASSWORD

from .conftest import answer_all, record, reported_with_actions

pytestmark = pytest.mark.django_db

STATEMENTS = {
    "major": "Bộ phận một cửa không theo dõi thời hạn: 12/40 hồ sơ trễ hạn, không có phiếu xin lỗi.",
    "minor": "Phòng còn dùng biểu mẫu BM-02 cũ; danh mục tài liệu nội bộ chưa cập nhật.",
    "observation": "Sổ đăng ký rủi ro chưa được đánh giá lại sau thay đổi quy định.",
    "opportunity": "Có thể nhắn tin tự động cho công dân khi hồ sơ sắp đến hạn trả kết quả.",
}
# Markup characters and a long text that wraps over several lines.
ODD = "Thẻ <b> & “ngoặc” không phải markup; Điều 7.5.3 (ĐẠT/KHÔNG ĐẠT) — ổn định, ướt, ữ, ộ, ệ."
LONG = ("Hồ sơ đăng ký biến động đất đai được tiếp nhận nhưng không chuyển sang phòng chuyên môn "
        "đúng thời hạn quy định; ") * 6


def pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def body_text(content: bytes) -> str:
    """The text of all pages without the page header and footer lines."""
    frame = ("Báo cáo đánh giá nội bộ ISO 9001:2015 —", "Số báo cáo ", "Trang ")
    return "\n".join(
        line for text in pages_text(content) for line in text.splitlines()
        if not line.startswith(frame)
    )


def flat(text: str) -> str:
    """Line breaks of the layout are not part of what was written."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def issued(started, cast, org):
    for grade, statement in STATEMENTS.items():
        record(started, cast, org, grade=grade, statement=statement)
    record(started, cast, org, grade="observation", statement=ODD, number="6.1")
    record(started, cast, org, grade="opportunity", statement=LONG, number="9.1.2")
    answer_all(started, cast["auditor2"])
    report = services.audit_report_issue(audit=started, actor=cast["auditor"], password=PASSWORD)
    from django.core.files.storage import default_storage

    return report, default_storage.open(report.file.name).read()


def test_every_statement_is_in_the_pdf_exactly_as_written(issued):
    _report, content = issued
    text = flat(body_text(content))
    for statement in [*STATEMENTS.values(), ODD, LONG]:
        assert flat(statement) in text


def test_identity_scope_team_summary_and_signatures(issued, cast):
    _report, content = issued
    text = flat(" ".join(pages_text(content)))
    for expected in (
        "BÁO CÁO ĐÁNH GIÁ NỘI BỘ", "Số: BC-ĐG-2026-01 / lần 1", "ĐG-2026-01",
        "Đánh giá Phòng Tài nguyên và Môi trường", "10/03/2026 – 12/03/2026",
        cast["auditor"].get_full_name(), cast["auditor2"].get_full_name(),
        "7.5.3 Kiểm soát thông tin dạng văn bản", "QT-TNMT-01 Quy trình đăng ký đất đai",
        "Điểm không phù hợp nặng 1", "Điểm cần lưu ý 2", "Cơ hội cải tiến 2", "Tổng cộng 6",
        "Phát hiện theo mức độ", "Phát hiện theo điều khoản (điều 4–10) và mức độ",
        "Chờ đơn vị trả lời", "TRƯỞNG ĐOÀN ĐÁNH GIÁ", "LÃNH ĐẠO PHÊ DUYỆT", "Đã báo cáo",
    ):
        assert expected in text, expected


def test_every_page_has_header_and_footer_with_number_and_page_count(issued):
    _report, content = issued
    texts = pages_text(content)
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert "Báo cáo đánh giá nội bộ ISO 9001:2015 — ĐG-2026-01" in text
        assert "Số báo cáo BC-ĐG-2026-01 / lần 1" in text
        assert f"Trang {number}/{len(texts)}" in text


def test_vietnamese_is_drawn_with_the_embedded_dejavu_font(issued):
    """Every piece of text is drawn in an embedded DejaVu Sans (reportlab's own
    fonts have no Vietnamese); the canvas's unused default font does not count."""
    _report, content = issued
    used = set()

    def visit(text, _cm, _tm, font, _size):
        if text.strip() and font is not None:
            used.add(str(font["/BaseFont"]))

    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        page.extract_text(visitor_text=visit)
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "DejaVuSans" in str(font["/BaseFont"]):
                assert font["/Subtype"] == "/TrueType"
                assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded subset
    assert used == {"/AAAAAA+DejaVuSans", "/AAAAAA+DejaVuSans-Bold", "/AAAAAA+DejaVuSans-Oblique"}


def test_a_table_over_several_pages_repeats_its_header():
    """90 corrective actions: their table runs over pages, its header on each."""
    grades = ["major", "minor", "observation", "opportunity"]
    data = {
        "code": "ĐG-2026-09", "title": "Thử bảng dài", "programme": "Chương trình 2026", "year": 2026,
        "objectives": "", "state_label": "Đang đánh giá", "departments": ["Phòng A"], "clauses": [],
        "procedures": [], "lead_auditor": "Lê Quang Minh", "team": [], "planned_start": None,
        "planned_end": None, "started_at": None, "reported_at": None, "closed_at": None,
        "checklist": [], "grades": [(g, g) for g in grades], "by_grade": dict.fromkeys(grades, 0),
        "by_clause": [], "by_section": {str(s): dict.fromkeys(grades, 0) for s in range(4, 11)},
        "findings": [],
        "actions": [
            {"finding": n, "owner": "Vũ Minh Đức", "due_date": None,
             "attempts": [{"number": 1, "correction": "", "root_cause": f"Nguyên nhân thử số {n}.",
                           "action_plan": "Tập huấn lại.", "evidence": "", "answered_by": "Vũ Minh Đức",
                           "answered_at": None, "result": "pending",
                           "result_label": "Chờ kiểm tra hiệu lực", "verification_note": "",
                           "verified_by": "", "verified_at": None}],
             "state": "answered", "state_label": "Chờ kiểm tra hiệu lực", "closed_at": None}
            for n in range(1, 91)
        ],
    }
    content = pdf.build_audit_report(data, number="BC-ĐG-2026-09 / lần 1",
                                     issued_at=timezone.now(), issued_by="Lê Quang Minh")
    with_rows = [t for t in pages_text(content) if "Chờ kiểm tra hiệu lực" in t]
    assert len(with_rows) >= 2
    for text in with_rows:
        assert "Nguyên nhân, hành động khắc phục" in text
        assert "Trạng thái, kiểm tra" in text


def test_a_finding_longer_than_a_page_flows_over_pages(started, cast, org):
    huge = "Nội dung rất dài của một phát hiện, lặp lại nhiều lần để vượt quá một trang. " * 120
    record(started, cast, org, grade="minor", statement=huge)
    content = pdf.build_audit_report(
        selectors.audit_report_data(audit=started), number="x", issued_at=timezone.now(), issued_by="y"
    )
    assert len(pages_text(content)) >= 3
    assert flat(huge) in flat(body_text(content))


def test_command_writes_the_latest_issued_revision(issued, tmp_path, capsys):
    report, content = issued
    target = tmp_path / "bao-cao.pdf"
    call_command("audit_report", str(report.audit_id), "-o", str(target))
    assert target.read_bytes() == content
    assert "BC-ĐG-2026-01 / lần 1" in capsys.readouterr().out


def test_command_issues_a_new_revision(issued, tmp_path, cast):
    report, _content = issued
    target = tmp_path / "lan-2.pdf"
    password_file = tmp_path / "mat-khau.txt"
    password_file.write_text(PASSWORD + "\n")
    call_command("audit_report", str(report.audit_id), "-o", str(target), "--issue", "--actor", "auditor",
                 "--note", "Phát hành lại", "--password-file", str(password_file))
    second = AuditReport.objects.get(revision=2)
    assert "Số: BC-ĐG-2026-01 / lần 2" in flat(" ".join(pages_text(target.read_bytes())))
    assert second.note == "Phát hành lại"
    assert AuditReport.objects.count() == 2


def test_command_gives_a_preview_before_any_issue(started, tmp_path):
    target = tmp_path / "xem-truoc.pdf"
    call_command("audit_report", str(started.pk), "-o", str(target))
    text = flat(" ".join(pages_text(target.read_bytes())))
    assert "ĐG-2026-01 (bản xem trước)" in text
    assert not AuditReport.objects.exists()


@pytest.mark.parametrize("audit_id", ["999999", "abc"])
def test_command_refuses_an_unknown_audit(db, tmp_path, audit_id):
    with pytest.raises(CommandError) as caught:
        call_command("audit_report", audit_id, "-o", str(tmp_path / "x.pdf"))
    assert str(caught.value) == f"Không có cuộc đánh giá số {audit_id}."
    assert not (tmp_path / "x.pdf").exists()


def test_command_reports_a_refused_issue(started, tmp_path, cast):
    with pytest.raises(CommandError) as caught:
        call_command("audit_report", str(started.pk), "-o", str(tmp_path / "x.pdf"), "--issue",
                     "--actor", "auditor2")
    assert str(caught.value) == "Bạn không có quyền thực hiện thao tác này."
    assert not AuditReport.objects.exists()


def test_report_of_the_closed_audit_shows_actions_and_their_state(started, cast, org):
    from .conftest import close_action

    major, minor = reported_with_actions(started, cast, org)
    close_action(major.action, cast)
    close_action(minor.action, cast)
    services.audit_close(audit=started, actor=cast["auditor"])
    report = services.audit_report_issue(audit=started, actor=cast["auditor"], password=PASSWORD)
    from django.core.files.storage import default_storage

    text = flat(" ".join(pages_text(default_storage.open(report.file.name).read())))
    assert "Nguyên nhân: Chưa hướng dẫn công chức." in text
    assert "Hành động: Tập huấn và kiểm tra hằng tuần." in text
    assert "Đã đóng Kiểm tra 10 hồ sơ: đạt." in text
    assert "Đã kết thúc" in text


def test_report_has_the_official_heading_of_decree_30(issued, settings):
    report, content = issued
    first = flat(pages_text(content)[0])
    for expected in (settings.QMS_PARENT_BODY, "ĐOÀN ĐÁNH GIÁ NỘI BỘ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: BC-ĐG-2026-01 / lần 1",
                     base_pdf.place_date(timezone.localtime(report.issued_at).date())):
        assert expected in first, expected
    assert first.index("CỘNG HÒA") < first.index("BÁO CÁO ĐÁNH GIÁ NỘI BỘ")


def test_signature_block_stays_on_the_page_of_its_closing_sentence(issued):
    _report, content = issued
    texts = [flat(t) for t in pages_text(content)]
    page = next(t for t in texts if "TRƯỞNG ĐOÀN ĐÁNH GIÁ" in t)
    assert "7. Xác nhận" in page and "Báo cáo gồm 6 phát hiện" in page
    assert "LÃNH ĐẠO PHÊ DUYỆT" in page


@pytest.mark.parametrize("where", ["DIR/", "DIR", "/missing/x.pdf"])
def test_command_refuses_a_bad_output_before_issuing(issued, tmp_path, where):
    report, _content = issued
    password_file = tmp_path / "mat-khau.txt"
    password_file.write_text(PASSWORD + "\n")
    with pytest.raises(CommandError):
        call_command("audit_report", str(report.audit_id), "-o", where.replace("DIR", str(tmp_path)),
                     "--issue", "--actor", "auditor", "--password-file", str(password_file))
    assert AuditReport.objects.count() == 1  # nothing issued
