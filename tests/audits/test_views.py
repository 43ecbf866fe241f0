"""The audit pages as a user meets them: permissions, bad input shown as a clear
message (never a 500, nothing half-saved), downloads, query budgets."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits import services
from audits.models import (
    Audit,
    AuditReport,
    AuditSignature,
    CorrectiveAction,
    Finding,
    FindingAttachment,
)
from qms.models import Job
from tests.factories import PASSWORD

from .conftest import (
    answer_all,
    clause,
    close_action,
    plan,
    record,
    reported_with_actions,
    shown_sha256,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types) before counting
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# ---------------------------------------------------------------- lists and budgets


def test_programme_page_lists_the_visible_audits(login, cast, org, programme, audit):
    page = login(cast["officer"]).get(reverse("audits:index") + "?year=2026")
    assert page.status_code == 200
    assert [a.pk for a in page.context["audits"]] == [audit.pk]
    assert "ĐG-2026-01" in page.content.decode()
    assert "Lập kế hoạch cuộc đánh giá" not in page.content.decode()


def test_staff_see_nothing_of_audits(client, login, cast, audit):
    client = login(cast["staff"])
    page = client.get(reverse("audits:index"))
    assert page.status_code == 200 and page.context["audits"] == []
    assert "ĐG-2026-01" not in page.content.decode()
    assert client.get(reverse("audits:detail", args=[audit.pk])).status_code == 404
    assert client.get(reverse("audits:report", args=[audit.pk])).status_code == 404
    assert client.get(reverse("audits:programme_create")).status_code == 403


def test_index_query_count_is_the_same_at_2_and_50_audits(login, cast, org, programme,
                                                          django_assert_max_num_queries):
    client = login(cast["auditor"])
    url = reverse("audits:index") + "?year=2026"
    for _ in range(2):
        plan(cast, org, programme)
    at_2 = count_queries(client, url)
    for _ in range(48):
        plan(cast, org, programme)
    at_50 = count_queries(client, url)
    assert at_2 == at_50
    with django_assert_max_num_queries(12):
        assert len(client.get(url).context["audits"]) == 50


def test_detail_query_count_is_the_same_at_2_and_50_findings(login, cast, org, started,
                                                              django_assert_max_num_queries):
    client = login(cast["auditor"])
    url = reverse("audits:detail", args=[started.pk])
    for grade in ("major", "observation"):
        record(started, cast, org, grade=grade, attachments=[("a.png", PNG)])
    at_2 = count_queries(client, url)
    for n in range(48):
        record(started, cast, org, grade=("minor", "opportunity")[n % 2], attachments=[("a.png", PNG)])
    at_50 = count_queries(client, url)
    assert at_2 == at_50
    # 27 for the page, and 8 for the hash of the report content that the lead
    # auditor's issue form carries (selectors.report_content_sha256).
    with django_assert_max_num_queries(35):
        client.get(url)


# ---------------------------------------------------------------- planning


def test_plan_an_audit_through_the_form(login, cast, org, programme, procedure_a):
    client = login(cast["auditor"])
    response = client.post(reverse("audits:audit_create", args=[2026]), {
        "title": "Đánh giá Phòng Tài nguyên và Môi trường",
        "departments": [org["a"].pk], "clause_numbers": "7.5.3; 8.5.1",
        "procedures": [procedure_a.procedure.pk],
        "planned_start": "10/03/2026", "planned_end": "2026-03-12",
        "lead_auditor": cast["auditor"].pk, "team": [cast["auditor2"].pk],
    })
    audit = Audit.objects.get()
    assert response.status_code == 302 and response["Location"] == audit.get_absolute_url()
    assert audit.planned_end == datetime.date(2026, 3, 12)


@pytest.mark.parametrize("change,message", [
    ({"planned_end": "2026-03-01"}, "Ngày kết thúc (01/03/2026) không được trước ngày bắt đầu (10/03/2026)."),
    ({"planned_end": "31/02/2026"}, "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."),
    ({"team": "own"}, "không được đánh giá đơn vị của chính mình (Phòng Tài nguyên và Môi trường)"),
    ({"clause_numbers": "4.2.3"}, "Điều khoản 4.2.3 không có trong ISO 9001:2015."),
])
def test_bad_plans_show_a_clear_message_and_save_nothing(login, cast, org, programme, change, message):
    data = {
        "title": "Đánh giá", "departments": [org["a"].pk], "clause_numbers": "7.5.3",
        "planned_start": "2026-03-10", "planned_end": "2026-03-12", "lead_auditor": cast["auditor"].pk,
    }
    data.update(change)
    if data.get("team") == "own":
        data["team"] = [cast["auditor_a"].pk]
    response = login(cast["auditor"]).post(reverse("audits:audit_create", args=[2026]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Audit.objects.exists()


def test_start_and_checklist_answer_through_the_page(login, cast, audit):
    client = login(cast["auditor"])
    response = client.post(reverse("audits:start", args=[audit.pk]), follow=True)
    assert messages_of(response) == ["Đã bắt đầu đánh giá; danh mục kiểm tra đã được lập."]
    item = audit.checklist.get(position=1)
    response = client.post(reverse("audits:checklist_answer", args=[item.pk]),
                           {"result": "nonconforming", "notes": ""}, follow=True)
    assert messages_of(response) == ["Hãy ghi chú bằng chứng cho mục không phù hợp."]
    response = client.post(reverse("audits:checklist_answer", args=[item.pk]), {"result": "x"}, follow=True)
    assert messages_of(response) == ["Hãy chọn kết quả kiểm tra."]


# ---------------------------------------------------------------- findings


def finding_form(org, cast, **change):
    data = {
        "grade": "minor", "clause": clause("7.5.3").pk, "department": org["a"].pk,
        "statement": "Hồ sơ lưu trữ không đúng thời hạn.", "evidence": "",
        "action_owner": cast["owner"].pk, "action_due": "2026-04-30",
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


def test_record_a_finding_with_evidence(login, cast, org, started):
    client = login(cast["auditor2"])
    data = finding_form(org, cast, attachment=SimpleUploadedFile("ảnh.png", PNG, "image/png"))
    response = client.post(reverse("audits:finding_create", args=[started.pk]), data)
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.attachments.get().original_name == "ảnh.png"
    assert finding.action.owner == cast["owner"]


def test_a_finding_without_a_clause_shows_the_reason(login, cast, org, started):
    response = login(cast["auditor"]).post(
        reverse("audits:finding_create", args=[started.pk]), finding_form(org, cast, clause=None))
    assert response.status_code == 200
    assert "Phát hiện phải viện dẫn một điều khoản của ISO 9001:2015." in response.content.decode()
    assert not Finding.objects.exists()


def test_an_attachment_of_a_refused_kind_shows_the_reason_and_saves_nothing(login, cast, org, started):
    exe = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = login(cast["auditor"]).post(
        reverse("audits:finding_create", args=[started.pk]), finding_form(org, cast, attachment=exe))
    assert response.status_code == 200
    assert "Nội dung tệp “bien-ban.pdf” không đúng với loại PDF." in response.content.decode()
    assert not Finding.objects.exists() and not CorrectiveAction.objects.exists()
    assert not FindingAttachment.objects.exists()


def test_an_oversize_attachment_is_refused(login, cast, org, started, settings):
    settings.QMS_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("to.png", PNG + b"\x00" * (1024 * 1024), "image/png")
    response = login(cast["auditor"]).post(
        reverse("audits:finding_create", args=[started.pk]), finding_form(org, cast, attachment=big))
    assert "Tệp “to.png” lớn hơn giới hạn 1 MB." in response.content.decode()
    assert not Finding.objects.exists()


def test_the_finding_form_is_closed_outside_an_audit_in_progress(login, cast, audit):
    response = login(cast["auditor"]).get(reverse("audits:finding_create", args=[audit.pk]), follow=True)
    assert messages_of(response) == ["Chỉ ghi nhận phát hiện khi cuộc đánh giá đang diễn ra."]


def test_only_the_team_records_findings(login, cast, started):
    assert login(cast["officer"]).get(reverse("audits:finding_create", args=[started.pk])).status_code == 403
    assert login(cast["stranger"]).get(reverse("audits:finding_create", args=[started.pk])).status_code == 404


def test_attachment_download_checks_permission_and_never_sniffs(client, login, cast, org, started):
    finding = record(started, cast, org, attachments=[("hồ sơ.png", PNG)])
    attachment = finding.attachments.get()
    response = login(cast["officer"]).get(reverse("audits:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    client.logout()
    assert login(cast["staff"]).get(reverse("audits:attachment", args=[attachment.pk])).status_code == 404


def test_attachment_added_from_the_page(login, cast, org, started):
    finding = record(started, cast, org, grade="observation")
    client = login(cast["auditor2"])
    response = client.post(reverse("audits:attachment_add", args=[finding.pk]),
                           {"attachment": SimpleUploadedFile("x.exe", b"MZ", "application/x")}, follow=True)
    assert messages_of(response) == [
        "Tệp “x.exe” không thuộc loại được phép (PDF, DOCX, ODT, TXT, MD, JPEG, PNG)."]
    response = client.post(reverse("audits:attachment_add", args=[finding.pk]),
                           {"attachment": SimpleUploadedFile("ghi-chu.md", "# Ghi chú".encode())}, follow=True)
    assert messages_of(response) == ["Đã đính kèm tệp ghi-chu.md."]


# ---------------------------------------------------------------- actions, closing, reports


def test_the_officer_answers_and_the_auditor_verifies_through_the_pages(client, login, cast, org, started):
    major, _minor = reported_with_actions(started, cast, org)
    action = major.action
    officer = login(cast["officer"])
    assert officer.get(reverse("audits:action_verify", args=[action.pk])).status_code == 403
    response = officer.post(reverse("audits:action_answer", args=[action.pk]),
                            {"correction": "", "root_cause": "", "action_plan": "Tập huấn"})
    assert response.status_code == 200 and "root_cause" in response.context["form"].errors
    response = officer.post(reverse("audits:action_answer", args=[action.pk]),
                            {"correction": "Đã sửa", "root_cause": "Thiếu hướng dẫn", "action_plan": "Tập huấn"})
    assert response.status_code == 302
    client.logout()
    auditor = login(cast["auditor2"])
    assert auditor.get(reverse("audits:action_answer", args=[action.pk])).status_code == 403
    response = auditor.post(reverse("audits:action_verify", args=[action.pk]),
                            {"effective": "yes", "note": "Đạt"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.state == CorrectiveAction.State.CLOSED


def test_closing_with_open_nonconformities_shows_the_reason(login, cast, org, started):
    reported_with_actions(started, cast, org)
    response = login(cast["auditor"]).post(reverse("audits:close", args=[started.pk]), follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [
        "Chưa thể kết thúc cuộc đánh giá: còn 2 điểm không phù hợp chưa được khắc phục và "
        "kiểm tra hiệu lực (phát hiện số 1, 2)."]
    started.refresh_from_db()
    assert started.state == Audit.State.REPORTED


def test_issue_and_download_the_report(login, cast, org, started, django_capture_on_commit_callbacks):
    record(started, cast, org, grade="observation")
    answer_all(started, cast["auditor2"])
    client = login(cast["auditor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("audits:report_issue", args=[started.pk]),
                    {"note": "Lần đầu", "password": PASSWORD,
                     "content_sha256": shown_sha256(client, started)})
    job = Job.objects.get()
    assert job.result_summary == "Đã ký và phát hành báo cáo BC-ĐG-2026-01 / lần 1."
    response = client.get(job.result_url)
    report = AuditReport.objects.get()
    assert report.note == "Lần đầu"
    assert "Tải báo cáo PDF (BC-ĐG-2026-01 / lần 1)" in response.content.decode()
    download = client.get(reverse("audits:report", args=[started.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    content = b"".join(download.streaming_content)
    import hashlib

    assert hashlib.sha256(content).hexdigest() == report.sha256
    services.audit_report_issue(audit=started, actor=cast["auditor"], password=PASSWORD)
    first = client.get(reverse("audits:report_revision", args=[started.pk, 1]))
    assert hashlib.sha256(b"".join(first.streaming_content)).hexdigest() == report.sha256


def test_a_report_whose_file_is_gone_is_not_found(login, cast, org, started):
    from django.core.files.storage import default_storage

    reported_with_actions(started, cast, org)
    default_storage.delete(AuditReport.objects.get().file.name)
    assert login(cast["auditor"]).get(reverse("audits:report", args=[started.pk])).status_code == 404


def test_a_report_for_an_unknown_audit_is_not_found(login, cast):
    client = login(cast["admin"])
    assert client.get(reverse("audits:report", args=[999999])).status_code == 404
    assert client.get(reverse("audits:report_preview", args=[999999])).status_code == 404
    assert client.post(reverse("audits:report_issue", args=[999999])).status_code == 404


def test_issuing_too_early_shows_the_reason(login, cast, started):
    client = login(cast["auditor"])
    response = client.post(reverse("audits:report_issue", args=[started.pk]),
                           {"password": PASSWORD, "content_sha256": shown_sha256(client, started)},
                           follow=True)
    assert messages_of(response) == ["Còn 3 mục kiểm tra chưa được đánh giá."]
    assert not Job.objects.exists()  # refused while the signer is there: no job


def test_the_issue_job_run_twice_issues_one_report(login, cast, org, started,
                                                   django_capture_on_commit_callbacks):
    from audits.tasks import issue_report

    record(started, cast, org, grade="observation")
    answer_all(started, cast["auditor2"])
    client = login(cast["auditor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("audits:report_issue", args=[started.pk]),
                    {"password": PASSWORD, "content_sha256": shown_sha256(client, started)})
    job = Job.objects.get()
    # The worker handed the same message out again after the job was reset (a lost
    # worker on a retry-safe job): the second run finds the report the first issued.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    issue_report.apply(args=[str(job.pk)])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert AuditReport.objects.count() == 1 and AuditSignature.objects.count() == 1


def test_an_audit_changed_before_the_job_runs_fails_the_job_with_the_reason(
        login, cast, org, started, django_capture_on_commit_callbacks):
    record(started, cast, org, grade="observation")
    answer_all(started, cast["auditor2"])
    client = login(cast["auditor"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("audits:report_issue", args=[started.pk]),
                    {"password": PASSWORD, "content_sha256": shown_sha256(client, started)})
    # Meanwhile the lead auditor is replaced: the signature is no longer the lead's.
    started.lead_auditor = cast["auditor2"]
    started.save()
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.error_message.startswith("Chỉ trưởng đoàn đánh giá (")
    assert not AuditReport.objects.exists()


def test_preview_is_for_the_team(login, cast, started):
    response = login(cast["auditor2"]).get(reverse("audits:report_preview", args=[started.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert login(cast["officer"]).get(reverse("audits:report_preview", args=[started.pk])).status_code == 403


# ---------------------------------------------------------------- dashboard panel


def panel(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load audits_tags %}{% audits_dashboard_panel %}").render(Context({"request": request}))


def test_dashboard_shows_overdue_actions_to_whoever_owns_or_follows_them(cast, org, started):
    major, minor = reported_with_actions(started, cast, org)  # due 30/04/2026: overdue today
    close_action(minor.action, cast)
    for who in ("owner", "officer", "auditor", "auditor2"):
        html = panel(cast[who])
        assert "Hành động khắc phục quá hạn" in html, who
        assert f"#action-{major.action.pk}" in html and f"#action-{minor.action.pk}" not in html
    assert "ĐG-2026-01 Đánh giá Phòng Tài nguyên và Môi trường" in panel(cast["auditor2"])
    assert "ĐG-2026-01 Đánh giá Phòng" not in panel(cast["officer"])  # not on the team


def test_dashboard_is_empty_without_audit_role_or_grant(cast, audit):
    for who in ("staff", "nobody", "approver", "officer_b"):
        assert panel(cast[who]).strip() == "", who
    assert "Không có việc đánh giá nào cần làm." in panel(cast["stranger"])


def test_dashboard_query_budget(cast, org, started, django_assert_max_num_queries):
    reported_with_actions(started, cast, org)
    user = type(cast["officer"]).objects.get(pk=cast["officer"].pk)
    with django_assert_max_num_queries(8):
        panel(user)


def test_a_plan_with_several_problems_shows_them_all_at_once(login, cast, org, programme):
    data = {
        "title": "Đánh giá", "departments": [org["a"].pk], "clause_numbers": "4.2.3",
        "planned_start": "10/03/2026", "planned_end": "01/03/2026",
        "lead_auditor": cast["auditor"].pk, "team": [cast["auditor_a"].pk],
    }
    response = login(cast["auditor"]).post(reverse("audits:audit_create", args=[2026]), data)
    html = response.content.decode()
    assert response.status_code == 200
    for message in ("Ngày kết thúc (01/03/2026) không được trước ngày bắt đầu (10/03/2026).",
                    "Điều khoản 4.2.3 không có trong ISO 9001:2015.",
                    "không được đánh giá đơn vị của chính mình (Phòng Tài nguyên và Môi trường)"):
        assert message in html, message
    assert not Audit.objects.exists()
