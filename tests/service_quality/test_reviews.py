"""The management review: inputs gathered and frozen, outputs as actions in their
owners' task lists, closing, and the PDF record."""

import datetime
import io

import pytest
from django.http import Http404
from pypdf import PdfReader

from service_quality import inbox, pdf, services
from service_quality.exceptions import ServiceQualityError
from service_quality.selectors import reviews as selectors

from .conftest import load, row

pytestmark = pytest.mark.django_db
MEETING = datetime.date(2025, 1, 20)


@pytest.fixture
def review(cast, fields):
    load(cast["central"], [row("2024-01", received=200, early=150, on_time=30, late=15),
                           row("2024-01", "qldt", "xay-dung")])
    return services.review_create(
        actor=cast["central"], year=2024, meeting_date=MEETING, chair=cast["approver"],
        participants=[cast["officer"]], context_changes="Nghị định mới về một cửa.",
        resources="Thiếu 01 công chức.")


def test_inputs_are_gathered_at_creation_and_frozen(cast, review):
    totals = review.inputs["timeliness"]["totals"]
    # resolved 195 + 95 = 290 of 300 received (200 + 100): 96.67 %; late 20 / 290 = 6.90 %
    assert (totals["received"], totals["resolved"], totals["resolved_pct"], totals["late_pct"]) == (
        300, 290, "96.67", "6.90")
    assert [f["field"] for f in review.inputs["timeliness"]["by_field"]] == ["dat-dai", "xay-dung"]
    assert review.inputs["previous_actions"] == [] and review.inputs["audits"] == []
    load(cast["central"], [row("2024-02", received=100, early=90, on_time=10, late=5, carried=5)])
    review.refresh_from_db()
    assert review.inputs["timeliness"]["totals"]["received"] == 300  # frozen
    services.review_gather_inputs(review=review, actor=cast["central"])
    review.refresh_from_db()
    assert review.inputs["timeliness"]["totals"]["received"] == 400  # gathered again on purpose


def test_outputs_go_to_their_owners_until_done_and_the_review_closes(cast, review):
    with pytest.raises(ServiceQualityError) as empty:
        services.review_close(review=review, actor=cast["central"])
    assert empty.value.messages == ["Cuộc họp xem xét cần ít nhất một quyết định (đầu ra) trước khi kết thúc."]
    output = services.review_output_add(
        review=review, actor=cast["central"], kind="improvement", owner=cast["officer_b"],
        description="Giảm hồ sơ trễ hạn lĩnh vực xây dựng.", due_date=datetime.date(2025, 6, 30))
    assert [i.kind for i in inbox.inbox_items(user=cast["officer_b"])] == ["service_quality.review_output"]
    assert inbox.inbox_count(user=cast["officer_b"]) == 1
    assert selectors.review_get(user=cast["officer_b"], pk=review.pk) == review  # the owner reads it
    with pytest.raises(ServiceQualityError, match="Hạn hoàn thành không được trước ngày họp."):
        services.review_output_add(review=review, actor=cast["central"], kind="resources", owner=cast["officer"],
                                   description="X", due_date=datetime.date(2025, 1, 1))
    services.review_close(review=review, actor=cast["central"])
    with pytest.raises(ServiceQualityError, match="Cuộc họp xem xét đã kết thúc: biên bản không được sửa."):
        services.review_output_add(review=review, actor=cast["central"], kind="resources", owner=cast["officer"],
                                   description="X", due_date=datetime.date(2025, 6, 1))
    with pytest.raises(ServiceQualityError) as twice:
        services.review_close(review=review, actor=cast["central"])
    assert twice.value.messages == [
        "Không thể chuyển cuộc họp xem xét từ trạng thái “Đã kết thúc” sang “Đã kết thúc”."]
    with pytest.raises(ServiceQualityError, match="Bạn không có quyền thực hiện thao tác này."):
        services.review_output_complete(output=output, actor=cast["officer"], note="Xong")
    with pytest.raises(ServiceQualityError, match="Hãy nêu kết quả thực hiện."):
        services.review_output_complete(output=output, actor=cast["officer_b"], note=" ")
    services.review_output_complete(output=output, actor=cast["officer_b"], note="Đã tập huấn.")
    assert inbox.inbox_items(user=cast["officer_b"]) == []
    with pytest.raises(ServiceQualityError, match="Quyết định này đã được báo hoàn thành."):
        services.review_output_complete(output=output, actor=cast["officer_b"], note="Lần nữa")
    output.refresh_from_db()
    assert [h.history_change_reason for h in output.history.order_by("history_date")] == [
        "Ghi quyết định của cuộc họp xem xét", "Báo hoàn thành quyết định xem xét"]
    later = services.review_create(actor=cast["central"], year=2025, meeting_date=datetime.date(2026, 1, 15),
                                   chair=cast["approver"])
    assert [(a["review"], a["state"]) for a in later.inputs["previous_actions"]] == [("XXLĐ-2024-01", "done")]


def test_who_sees_and_prepares_reviews(cast, review):
    visible = {w for w in ("central", "approver", "auditor", "officer", "officer_b", "staff", "admin")
               if selectors.review_list(user=cast[w]).filter(pk=review.pk).exists()}
    assert visible == {"central", "approver", "auditor", "officer", "admin"}  # officer: participant
    with pytest.raises(Http404):
        selectors.review_get(user=cast["staff"], pk=review.pk)
    with pytest.raises(ServiceQualityError, match="Bạn không có quyền thực hiện thao tác này."):
        services.review_create(actor=cast["approver"], year=2024, meeting_date=MEETING, chair=cast["approver"])


def test_the_pdf_record_is_in_vietnamese_with_page_numbers(cast, review):
    services.review_output_add(review=review, actor=cast["central"], kind="qms_change", owner=cast["officer"],
                               description="Sửa đổi quy trình tiếp nhận hồ sơ.", due_date=datetime.date(2025, 3, 31))
    content = pdf.build_review_record(selectors.review_pdf_data(review=review), printed_by="Nguyễn Thị Lan")
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    pages = len(reader.pages)
    assert pages >= 2
    for expected in ("BIÊN BẢN XEM XÉT CỦA LÃNH ĐẠO", "Số: XXLĐ-2024-01", f"Trang 1/{pages}",
                     f"Trang {pages}/{pages}", "Sửa đổi quy trình tiếp nhận hồ sơ.", "96,67 %",
                     "Tỷ lệ trước hạn, đúng hạn, trễ hạn theo lĩnh vực", "Đất đai"):
        assert expected in text, expected
    # Chart labels default to Times-Roman: none may be left. (Helvetica is the canvas's
    # initial font in every qms.pdf document, with no text drawn in it.)
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert {"/AAAAAA+DejaVuSans", "/AAAAAA+DejaVuSans-Bold"} <= fonts
    assert not any("Times" in f for f in fonts), fonts
