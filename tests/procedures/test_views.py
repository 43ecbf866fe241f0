"""The procedure screens: what each person sees, what each form does, and what
bad input gets (a clear message, never a server error)."""

import datetime
import io

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from procedures import services
from procedures.models import AccessLog, Procedure, ProcedureVersion, State
from tests.factories import PASSWORD, approve, draft, effective, make_effective, submit

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_messages(client, response) -> list[str]:
    """The flash messages shown on the page a redirect leads to, or on the page shown
    again after a refused action (issue 10: the version page keeps what was typed)."""
    if response.status_code == 200:
        return [str(m) for m in response.context["messages"]]
    page = client.get(response["Location"], follow=True)
    return [str(m) for m in page.context["messages"]]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def land(people):
    """An effective land procedure of department A (distributed to A)."""
    return effective(
        author=people["officer"],
        approver=people["approver"],
        code="QT-TNMT-01",
        title="Quy trình đăng ký đất đai",
        body="# Mục đích\n\nĐăng ký **đất đai** lần đầu.\n\n<script>alert(1)</script>",
    )


# ---------------------------------------------------------------- sign-in


def test_every_page_requires_sign_in(client, land):
    for url in ["/", "/procedures/", "/procedures/QT-TNMT-01/", "/register/", "/acknowledgements/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# ---------------------------------------------------------------- search list


def test_search_without_accents_finds_the_procedure(client, people, land):
    client.force_login(people["staff"])
    response = client.get("/procedures/", {"q": "quy trinh dat dai"})
    assert response.status_code == 200
    assert [v.pk for v in response.context["page"]] == [land.pk]
    assert "QT-TNMT-01" in response.content.decode()


def test_search_filters_by_department_kind_and_clause(client, people, org, land):
    client.force_login(people["staff"])
    from qms.models import Clause

    clause = Clause.objects.get(edition__year=2008, number="4.2.3")
    hit = client.get("/procedures/", {"department": org["a"].pk, "kind": "procedure", "clause": clause.pk})
    assert [v.pk for v in hit.context["page"]] == [land.pk]
    miss = client.get("/procedures/", {"department": org["b"].pk})
    assert list(miss.context["page"]) == []


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "x" * 201}, "Từ khóa tìm kiếm quá dài (tối đa 200 ký tự)."),
        ({"department": "abc"}, "Đơn vị đã chọn không tồn tại."),
        ({"department": "999999"}, "Đơn vị đã chọn không tồn tại."),
        ({"kind": "nope"}, "Loại tài liệu đã chọn không tồn tại."),
        ({"clause": "-1"}, "Điều khoản đã chọn không tồn tại."),
    ],
)
def test_bad_search_input_gets_a_message_not_an_error(client, people, land, params, message):
    client.force_login(people["staff"])
    response = client.get("/procedures/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("query", ["%", "_", "'; DROP TABLE x; --", "\\", "đ" * 50, "(", "*"])
def test_odd_search_strings_answer_normally(client, people, land, query):
    client.force_login(people["staff"])
    assert client.get("/procedures/", {"q": query}).status_code == 200


def test_null_character_in_search_is_refused_with_a_message(client, people, land):
    client.force_login(people["staff"])
    response = client.get("/procedures/", {"q": "dat\x00dai"})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


def test_odd_page_numbers_show_a_page(client, people, land):
    client.force_login(people["staff"])
    for page in ["abc", "-1", "99999"]:
        assert client.get("/procedures/", {"page": page}).status_code == 200


def test_list_shows_effective_versions_only(client, people, land):
    draft(author=people["officer"], code="QT-DRAFT-01", title="Quy trình dự thảo đất đai")
    client.force_login(people["officer"])
    response = client.get("/procedures/", {"q": "dat dai"})
    assert [v.procedure.code for v in response.context["page"]] == ["QT-TNMT-01"]


def _query_count(client, url, params=None) -> int:
    # warm-up: the first page after sign-in fills per-process caches (guardian's content types)
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.fixture
def many_effective(people):
    def make(n):
        return [
            effective(author=people["officer"], approver=people["approver"],
                      title=f"Quy trình đất đai số {i}")
            for i in range(n)
        ]
    return make


def test_list_query_count_does_not_grow_with_rows(client, people, many_effective, settings):
    # With the search's first ids cached (the page counted is the second one: the index's
    # generation read instead of the ranked query) and not.
    client.force_login(people["staff"])
    counts = {}
    for rows, more in ((2, 2), (50, 48)):
        many_effective(more)
        for seconds in (600, 0):
            settings.SEARCH_CACHE_SECONDS = seconds
            counts[rows, seconds] = _query_count(client, "/procedures/", {"q": "dat dai"})
    assert counts[2, 600] == counts[50, 600] == counts[2, 0] == counts[50, 0]
    assert counts[50, 0] <= 13  # with the field filter's choices (issue 12)
    assert client.get("/procedures/", {"q": "dat dai"}).context["page"].paginator.count == 50


# ---------------------------------------------------------------- detail


def test_detail_shows_the_effective_version_with_approval_and_clauses(client, people, land):
    client.force_login(people["staff"])
    response = client.get("/procedures/QT-TNMT-01/")
    page = response.content.decode()
    assert response.context["version"] == land
    assert "4.2.3" in page and "Kiểm soát tài liệu" in page
    assert land.approved_by.get_full_name() in page
    assert land.effective_from.strftime("%d/%m/%Y") in page
    assert "<strong>đất đai</strong>" in page
    assert "<script>alert(1)</script>" not in page  # the body is sanitised


def test_staff_never_see_a_draft_or_superseded_text(client, people, land):
    new = services.version_start_revision(procedure=land.procedure, actor=people["officer"])
    services.version_update(version=new, actor=people["officer"], body="Bản sửa chưa duyệt")
    client.force_login(people["staff"])
    detail = client.get("/procedures/QT-TNMT-01/")
    assert "Bản sửa chưa duyệt" not in detail.content.decode()
    assert client.get(f"/procedures/QT-TNMT-01/versions/{new.revision}/").status_code == 404
    approve(new, approver=people["approver"])
    make_effective(new, actor=people["officer"])
    assert client.get("/procedures/QT-TNMT-01/versions/1/").status_code == 404
    assert client.get("/procedures/QT-TNMT-01/versions/1/pdf/").status_code == 404
    assert client.get("/procedures/QT-TNMT-01/").context["version"].revision == 2


def test_unknown_code_is_a_404_with_a_message(client, people):
    client.force_login(people["staff"])
    response = client.get("/procedures/KHONG-CO/")
    assert response.status_code == 404
    assert "Không có trang hoặc tài liệu nào tại địa chỉ /procedures/KHONG-CO/" in response.content.decode()


def test_lower_case_code_redirects_to_the_procedure(client, people, land):
    client.force_login(people["staff"])
    response = client.get("/procedures/qt-tnmt-01/")
    assert response.status_code == 302 and response["Location"] == "/procedures/QT-TNMT-01/"


def test_officer_opening_a_procedure_without_effective_version_goes_to_its_draft(client, people):
    version = draft(author=people["officer"], code="QT-NEW-01")
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-NEW-01/")
    assert response["Location"] == f"/procedures/QT-NEW-01/versions/{version.revision}/"
    client.force_login(people["staff"])
    assert client.get("/procedures/QT-NEW-01/").status_code == 404


def test_detail_query_count_is_bounded(client, people, land, django_assert_max_num_queries):
    client.force_login(people["staff"])
    with django_assert_max_num_queries(25):
        client.get("/procedures/QT-TNMT-01/")


# ---------------------------------------------------------------- PDF


def test_pdf_is_a_controlled_copy_with_code_revision_date_and_printer(client, people, land):
    client.force_login(people["staff"])
    response = client.get("/procedures/QT-TNMT-01/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "BẢN KIỂM SOÁT" in text
    assert "QT-TNMT-01" in text and "Lần ban hành 1" in text
    assert timezone.localdate().strftime("%d/%m/%Y") in text
    assert people["staff"].get_full_name() in text
    assert "Trang 1/1" in text
    assert "HẾT HIỆU LỰC" not in text


def test_superseded_version_printed_by_officer_is_watermarked(client, people, land):
    new = services.version_start_revision(procedure=land.procedure, actor=people["officer"])
    approve(new, approver=people["approver"])
    make_effective(new, actor=people["officer"])
    client.force_login(people["officer"])
    text = pdf_text(client.get("/procedures/QT-TNMT-01/versions/1/pdf/").content)
    assert "HẾT HIỆU LỰC" in text
    assert "BẢN KHÔNG KIỂM SOÁT" in text


# ---------------------------------------------------------------- attachments


def test_attachment_download_is_an_attachment_with_nosniff(client, people):
    version = draft(author=people["officer"], code="QT-ATT-01")
    attachment = services.attachment_add(
        version=version, actor=people["officer"], name="Biểu mẫu.pdf", content=PDF_BYTES
    )
    client.force_login(people["officer"])
    url = reverse("procedures:attachment", args=["QT-ATT-01", 1, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(people["staff"])
    assert client.get(url).status_code == 404  # a draft's file is not for staff


def test_upload_of_a_disguised_file_is_refused_with_a_message(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = draft(author=people["officer"], code="QT-UP-01")
    client.force_login(people["officer"])
    url = reverse("procedures:attachment_upload", args=["QT-UP-01", 1])
    fake = SimpleUploadedFile("hop-dong.pdf", b"MZ\x90\x00\x03 not a pdf")
    response = client.post(url, {"file": fake})
    assert follow_messages(client, response) == ["Nội dung tệp “hop-dong.pdf” không đúng với loại PDF."]
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    response = client.post(url, {"file": exe})
    assert follow_messages(client, response) == [
        "Tệp “virus.exe” không thuộc loại được phép (PDF, DOCX, ODT, TXT, MD)."
    ]
    assert not version.attachments.exists()


def test_upload_over_the_limit_is_refused_before_reading(client, people, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.QMS_UPLOAD_MAX_BYTES = 1024 * 1024
    draft(author=people["officer"], code="QT-UP-02")
    client.force_login(people["officer"])
    url = reverse("procedures:attachment_upload", args=["QT-UP-02", 1])
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    response = client.post(url, {"file": big})
    assert follow_messages(client, response) == ["Tệp “lon.pdf” lớn hơn giới hạn 1 MB."]


def test_upload_of_a_valid_file_attaches_it(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = draft(author=people["officer"], code="QT-UP-03")
    client.force_login(people["officer"])
    url = reverse("procedures:attachment_upload", args=["QT-UP-03", 1])
    response = client.post(url, {"file": SimpleUploadedFile("huong-dan.md", "# Hướng dẫn".encode())})
    assert follow_messages(client, response) == ["Đã đính kèm tệp “huong-dan.md”."]
    assert [a.original_name for a in version.attachments.all()] == ["huong-dan.md"]


# ---------------------------------------------------------------- drafts


def test_officer_creates_a_procedure_and_lands_in_its_editor(client, people):
    client.force_login(people["officer"])
    response = client.post("/register/new/", {
        "code": "qt-tnmt-09", "title": "Quy trình thu hồi đất", "kind": "procedure",
        "department": people["officer"].department_id, "edition": _edition(2015).pk,
        "clause_numbers": "7.5.3, 8.5.1", "body": "Nội dung", "review_period_months": 12,
        "form_token": "t1",
    })
    assert response.status_code == 302
    assert response["Location"] == "/procedures/QT-TNMT-09/versions/1/edit/"
    version = ProcedureVersion.objects.get(procedure__code="QT-TNMT-09")
    assert sorted(c.number for c in version.clauses.all()) == ["7.5.3", "8.5.1"]


def _edition(year):
    from qms.models import Edition

    return Edition.objects.get(year=year)


def test_create_form_posted_twice_creates_one_procedure(client, people):
    client.force_login(people["officer"])
    data = {"code": "QT-TWICE-01", "title": "Hai lần", "kind": "procedure",
            "department": people["officer"].department_id, "edition": _edition(2015).pk,
            "body": "x", "form_token": "same-token"}
    first = client.post("/register/new/", data)
    follow_messages(client, first)
    second = client.post("/register/new/", data)
    assert second["Location"] == first["Location"]
    assert follow_messages(client, second) == [
        "Biểu mẫu này đã được gửi rồi; thao tác không được thực hiện lần nữa."
    ]
    assert Procedure.objects.filter(code="QT-TWICE-01").count() == 1


def test_create_with_a_taken_code_or_unknown_clause_keeps_the_form(client, people, land):
    client.force_login(people["officer"])
    data = {"code": "qt-tnmt-01", "title": "Trùng", "kind": "procedure",
            "department": people["officer"].department_id, "edition": _edition(2015).pk,
            "body": "Nội dung của tôi"}
    response = client.post("/register/new/", data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Mã số QT-TNMT-01 đã được dùng cho một tài liệu khác."
    ]
    assert "Nội dung của tôi" in response.content.decode()
    data.update(code="QT-NEW-02", clause_numbers="4.2.3")
    response = client.post("/register/new/", data)
    assert response.context["form"].non_field_errors() == [
        "Điều khoản 4.2.3 không có trong ISO 9001:2015."
    ]


def test_create_with_a_taken_code_and_an_unknown_clause_shows_both_at_once(client, people, land):
    client.force_login(people["officer"])
    data = {"code": "QT-TNMT-01", "title": "Trùng", "kind": "procedure",
            "department": people["officer"].department_id, "edition": _edition(2015).pk,
            "body": "Nội dung", "clause_numbers": "4.2.3"}
    response = client.post("/register/new/", data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Mã số QT-TNMT-01 đã được dùng cho một tài liệu khác.",
        "Điều khoản 4.2.3 không có trong ISO 9001:2015.",
    ]
    assert Procedure.objects.filter(code="QT-TNMT-01").count() == 1


def test_staff_cannot_reach_the_officer_pages(client, people, land):
    client.force_login(people["staff"])
    for url in ["/register/", "/register/new/", "/procedures/QT-TNMT-01/history/",
                "/procedures/QT-TNMT-01/diff/", "/procedures/QT-TNMT-01/access-log/",
                "/procedures/QT-TNMT-01/access-log.csv",
                "/procedures/QT-TNMT-01/versions/1/acknowledgements/"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "chỉ" in response.content.decode().lower()
    response = client.post("/procedures/QT-TNMT-01/versions/1/withdraw/", {"reason": "x"})
    assert follow_messages(client, response)[-1] == "Bạn không có quyền thực hiện thao tác này."
    land.refresh_from_db()
    assert land.state == State.EFFECTIVE


def test_officer_of_another_department_cannot_see_a_draft(client, people):
    draft(author=people["officer"], code="QT-A-01")
    client.force_login(people["officer_b"])
    assert client.get("/procedures/QT-A-01/versions/1/").status_code == 404
    assert client.get("/procedures/QT-A-01/versions/1/edit/").status_code == 404
    assert client.get("/procedures/QT-A-01/history/").status_code == 404
    assert client.post("/procedures/QT-A-01/versions/1/submit/").status_code == 404


def test_approver_cannot_edit_a_draft(client, people):
    draft(author=people["officer"], code="QT-A-02")
    client.force_login(people["approver"])
    response = client.get("/procedures/QT-A-02/versions/1/edit/")
    assert response.status_code == 403
    assert "Bạn không có quyền sửa tài liệu này." in response.content.decode()


def test_edit_saves_the_draft(client, people):
    version = draft(author=people["officer"], code="QT-ED-01")
    client.force_login(people["officer"])
    url = "/procedures/QT-ED-01/versions/1/edit/"
    form = client.get(url).context["form"]
    data = {**form.initial, "edition": version.edition_id, "body": "Nội dung mới",
            "clause_numbers": "4.2.3, 4.2.4"}
    response = client.post(url, data)
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.body == "Nội dung mới"
    assert version.lock_version == 2


def test_second_of_two_simultaneous_saves_is_refused_and_keeps_its_text(client, people):
    version = draft(author=people["officer"], code="QT-ED-02")
    url = "/procedures/QT-ED-02/versions/1/edit/"
    client.force_login(people["officer"])
    loaded = client.get(url).context["form"].initial
    base = {**loaded, "edition": version.edition_id}
    assert client.post(url, {**base, "body": "Bản của người thứ nhất"}).status_code == 302
    client.force_login(people["officer2"])
    response = client.post(url, {**base, "body": "Bản của người thứ hai"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Dự thảo vừa được người khác lưu. Hãy tải lại trang để xem bản mới nhất; "
        "nội dung của bạn chưa được lưu."
    ]
    page = response.content.decode()
    assert "Bản của người thứ hai" in page  # the user's text is kept in the form
    assert "Bản của người thứ nhất" in page  # and the saved text is shown beside it
    version.refresh_from_db()
    assert version.body == "Bản của người thứ nhất"


def test_editing_a_version_under_review_is_refused_with_a_message(client, people):
    version = draft(author=people["officer"], code="QT-ED-03")
    submit(version, approver=people["approver"])
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-ED-03/versions/1/edit/")
    assert follow_messages(client, response) == ["Chỉ sửa được phiên bản ở trạng thái dự thảo."]


def test_preview_renders_sanitised_markdown(client, people):
    client.force_login(people["officer"])
    response = client.post("/procedures/preview/", {"body": "**đậm** <img src=x onerror=alert(1)>"})
    html = response.content.decode()
    assert "<strong>đậm</strong>" in html
    assert "onerror" not in html


# ---------------------------------------------------------------- workflow through the screens


def _post(client, code, action, **data):
    if action in ("review", "approve", "return"):
        # The signing forms carry the hash of the content on the page (issue 11).
        shown = ProcedureVersion.objects.get(procedure__code=code, revision=1)
        data.setdefault("content_sha256", services.content_hash(shown))
    return client.post(f"/procedures/{code}/versions/1/{action}/", data)


def test_whole_life_cycle_through_the_screens(client, people):
    # Issue 10 changed the steps: the author names the reviewers and the approver, a
    # return asks for the password as well as the reason, the reviewer signs before
    # the approver, and issuing records the issuing decision.
    version = draft(author=people["officer"], code="QT-LC-01")
    client.force_login(people["officer"])
    routing = {"reviewers": [people["officer2"].pk], "approver": people["approver"].pk}
    response = _post(client, "QT-LC-01", "submit", form_token="a1", **routing)
    assert follow_messages(client, response) == ["Đã trình phiên bản để xem xét, phê duyệt."]

    client.force_login(people["approver"])
    response = _post(client, "QT-LC-01", "return", reason="", password=PASSWORD)
    assert follow_messages(client, response) == ["Hãy nêu lý do trả lại."]
    response = _post(client, "QT-LC-01", "return", reason="Thiếu lưu đồ", password="sai")
    assert follow_messages(client, response) == ["Mật khẩu không đúng: chữ ký chưa được ghi nhận."]
    assert "Thiếu lưu đồ" in response.content.decode()  # what was typed is kept
    response = _post(client, "QT-LC-01", "return", reason="Thiếu lưu đồ", password=PASSWORD)
    assert follow_messages(client, response) == ["Đã trả lại dự thảo cho người soạn."]
    version.refresh_from_db()
    assert version.state == State.DRAFT and version.rejection_reason == "Thiếu lưu đồ"

    client.force_login(people["officer"])
    follow_messages(client, _post(client, "QT-LC-01", "submit", **routing))
    client.force_login(people["approver"])
    response = _post(client, "QT-LC-01", "approve", password=PASSWORD)
    assert follow_messages(client, response) == [
        "Chưa thể phê duyệt: còn 1 người được chỉ định chưa ký xem xét."
    ]
    client.force_login(people["officer2"])
    response = _post(client, "QT-LC-01", "review", password=PASSWORD)
    assert follow_messages(client, response) == ["Đã ký xem xét."]
    client.force_login(people["approver"])
    response = _post(client, "QT-LC-01", "approve", password="sai-mat-khau")
    assert follow_messages(client, response) == ["Mật khẩu không đúng: chữ ký chưa được ghi nhận."]
    response = _post(client, "QT-LC-01", "approve", password=PASSWORD)
    assert follow_messages(client, response) == ["Đã ký phê duyệt."]

    client.force_login(people["officer"])
    today = timezone.localdate().strftime("%d/%m/%Y")
    decision = {"decision_number": "125/QĐ-UBND", "decision_date": today}
    response = _post(client, "QT-LC-01", "make-effective", effective_from="31/02/2020", **decision)
    assert follow_messages(client, response) == ["Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."]
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = _post(client, "QT-LC-01", "make-effective", effective_from=yesterday, **decision)
    assert follow_messages(client, response) == ["Ngày hiệu lực không được ở trong quá khứ."]
    response = _post(client, "QT-LC-01", "make-effective", effective_from=today,
                     decision_number="", decision_date=today)
    assert follow_messages(client, response) == ["Hãy nhập số quyết định ban hành."]
    response = _post(client, "QT-LC-01", "make-effective", effective_from=today, **decision)
    assert follow_messages(client, response) == ["Đã ban hành phiên bản."]
    version.refresh_from_db()
    assert version.state == State.EFFECTIVE
    assert (version.decision_number, version.decision_date) == ("125/QĐ-UBND", timezone.localdate())

    response = client.post("/procedures/QT-LC-01/new-revision/")
    assert response["Location"] == "/procedures/QT-LC-01/versions/2/edit/"
    follow_messages(client, response)
    response = client.post("/procedures/QT-LC-01/new-revision/")
    assert follow_messages(client, response) == [
        "Tài liệu đã có lần ban hành 2 đang soạn thảo hoặc chờ ban hành."
    ]

    response = _post(client, "QT-LC-01", "withdraw", reason="Không còn áp dụng")
    assert follow_messages(client, response) == ["Đã hủy bỏ tài liệu."]
    version.refresh_from_db()
    assert version.state == State.OBSOLETE


def test_submit_posted_twice_is_done_once_with_a_note(client, people):
    draft(author=people["officer"], code="QT-LC-02")
    client.force_login(people["officer"])
    routing = {"reviewers": [people["officer2"].pk], "approver": people["approver"].pk}
    follow_messages(client, _post(client, "QT-LC-02", "submit", form_token="tok", **routing))
    response = _post(client, "QT-LC-02", "submit", form_token="tok", **routing)
    assert follow_messages(client, response) == [
        "Biểu mẫu này đã được gửi rồi; thao tác không được thực hiện lần nữa."
    ]
    # Without the token (another tab), the service itself refuses with the state.
    response = _post(client, "QT-LC-02", "submit", **routing)
    assert follow_messages(client, response) == [
        "Không thể chuyển phiên bản từ trạng thái “Đang xem xét” sang “Đang xem xét”."
    ]


def test_author_cannot_approve_own_version_on_screen(client, people):
    version = draft(author=people["officer"], code="QT-LC-03")
    submit(version, reviewers=[people["officer2"]], approver=people["approver"])
    services.version_review(version=version, actor=people["officer2"], password=PASSWORD)
    client.force_login(people["officer"])
    page = client.get("/procedures/QT-LC-03/versions/1/")
    assert page.context["can"]["approve"] is False
    response = _post(client, "QT-LC-03", "approve", password=PASSWORD)
    assert follow_messages(client, response) == [
        "Người soạn thảo không được tự phê duyệt phiên bản của mình."
    ]


def test_unknown_action_is_a_404(client, people):
    draft(author=people["officer"], code="QT-LC-04")
    client.force_login(people["officer"])
    assert _post(client, "QT-LC-04", "explode").status_code == 404
    assert client.get("/procedures/QT-LC-04/versions/1/submit/").status_code == 405


# ---------------------------------------------------------------- history and diff


def test_history_lists_who_did_what_with_changed_fields(client, people, land):
    new = services.version_start_revision(procedure=land.procedure, actor=people["officer"])
    services.version_update(version=new, actor=people["officer2"], body="Mới",
                            clause_numbers=["4.2.3", "4.2.4"])
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-TNMT-01/history/")
    timeline = response.context["timeline"]
    latest = timeline[0]
    assert latest["user"] == people["officer2"]
    assert latest["reason"] == "Sửa dự thảo"
    assert latest["subject"] == 2
    assert ("điều khoản viện dẫn", "4.2.3", "4.2.3, 4.2.4") in latest["changes"]
    approval = next(e for e in timeline if e["reason"] == "Ký phê duyệt")
    assert approval["user"] == people["approver"]
    assert ("trạng thái", "Đang xem xét", "Đã phê duyệt") in approval["changes"]


def test_diff_shows_two_chosen_revisions_side_by_side(client, people, land):
    new = services.version_start_revision(procedure=land.procedure, actor=people["officer"])
    services.version_update(version=new, actor=people["officer"],
                            body=land.body.replace("lần đầu", "lần hai"))
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-TNMT-01/diff/", {"a": 1, "b": 2})
    kinds = [r.kind for r in response.context["rows"]]
    assert "replace" in kinds
    html = response.content.decode()
    assert "<del>đầu</del>" in html and "<ins>hai</ins>" in html
    bad = client.get("/procedures/QT-TNMT-01/diff/", {"a": 1, "b": 7})
    assert bad.status_code == 200
    assert "Lần ban hành đã chọn không tồn tại." in bad.content.decode()


# ---------------------------------------------------------------- register and its budget


def test_register_lists_state_owner_and_review_dates(client, people, land):
    draft(author=people["officer"], code="QT-REG-01")
    client.force_login(people["officer"])
    response = client.get("/register/")
    rows = {p.code: p for p in response.context["page"]}
    assert rows["QT-TNMT-01"].latest_state == State.EFFECTIVE
    assert rows["QT-TNMT-01"].next_review_due == land.next_review_due
    assert rows["QT-REG-01"].latest_state == State.DRAFT
    client.force_login(people["officer_b"])
    assert list(client.get("/register/").context["page"]) == []


def test_register_query_count_does_not_grow_with_rows(client, people, django_assert_num_queries):
    for _ in range(2):
        draft(author=people["officer"])
    client.force_login(people["officer"])
    count = _query_count(client, "/register/")
    for _ in range(48):
        draft(author=people["officer"])
    with django_assert_num_queries(count):
        response = client.get("/register/")
    assert response.context["page"].paginator.count == 50


def test_register_bad_filter_gets_a_message(client, people):
    client.force_login(people["officer"])
    response = client.get("/register/", {"state": "lost"})
    assert "Trạng thái đã chọn không tồn tại." in response.content.decode()


def test_access_is_recorded_for_view_and_print(client, people, land):
    client.force_login(people["staff"])
    client.get("/procedures/QT-TNMT-01/")
    client.get("/procedures/QT-TNMT-01/pdf/")
    actions = list(AccessLog.objects.filter(user=people["staff"]).values_list("action", flat=True))
    assert sorted(actions) == ["print", "view"]
