"""The lead auditor signs the report content the page showed (issue 11, point 7):
the issue form carries the SHA-256 of that content, and the service refuses, on
the page and again in the background job that builds the record, when a finding
or a corrective action changed after the page was opened."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audits import selectors, services
from audits.models import Audit, AuditReport, AuditSignature, Finding
from qms.models import Job
from tests.factories import PASSWORD

from .conftest import answer_all, record, shown_sha256
from .test_services import refused

pytestmark = pytest.mark.django_db

STALE = ("Nội dung báo cáo đã thay đổi sau khi bạn mở trang (một phát hiện hoặc hành động "
         "khắc phục đã được thêm hay sửa): báo cáo chưa được ký và phát hành. Hãy tải lại "
         "trang, xem lại nội dung rồi ký.")
STALE_EN = ("The report's content changed after you opened the page (a finding or corrective "
            "action was added or edited): the report has not been signed or issued. Reload the "
            "page, review the content and sign again.")


@pytest.fixture
def ready(started, cast, org):
    record(started, cast, org, grade="minor")
    answer_all(started, cast["auditor2"])
    return started


def edit_statement(audit, cast, statement="Hồ sơ lưu trữ thiếu chữ ký người kiểm tra."):
    finding = Finding.objects.get(audit=audit, number=1)
    services.finding_update(
        finding=finding, actor=cast["auditor"], grade=finding.grade, statement=statement,
        clause=finding.clause, department=finding.department, evidence=finding.evidence,
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def nothing_issued(audit):
    audit.refresh_from_db()
    assert audit.state == Audit.State.IN_PROGRESS
    assert not AuditReport.objects.exists() and not AuditSignature.objects.exists()


# ---------------------------------------------------------------- the hash


def test_the_hash_changes_with_each_part_of_the_signed_content(ready, cast, org):
    first = selectors.report_content_sha256(audit=ready)
    assert first == selectors.report_content_sha256(audit=ready)
    edit_statement(ready, cast)
    edited = selectors.report_content_sha256(audit=ready)
    record(ready, cast, org, grade="observation", number="8.5.1", statement="Thêm một phát hiện.")
    added = selectors.report_content_sha256(audit=ready)
    action = Finding.objects.get(audit=ready, number=1).action
    services.corrective_action_answer(
        action=action, actor=cast["owner"], correction="Bổ sung chữ ký.",
        root_cause="Chưa phân công kiểm tra.", action_plan="Phân công người kiểm tra.",
    )
    answered = selectors.report_content_sha256(audit=ready)
    assert len({first, edited, added, answered}) == 4


def test_the_hash_does_not_depend_on_the_reader_language(ready):
    with translation.override("en"):
        english = selectors.report_content_sha256(audit=ready)
    with translation.override("vi"):
        assert selectors.report_content_sha256(audit=ready) == english


# ---------------------------------------------------------------- the service


def test_a_stale_hash_is_refused_and_nothing_is_issued(ready, cast):
    shown = selectors.report_content_sha256(audit=ready)
    edit_statement(ready, cast)
    refused(STALE, services.audit_report_issue, audit=ready, actor=cast["auditor"],
            password=PASSWORD, shown_sha256=shown)
    refused(STALE, services.audit_report_authorise, audit=ready, actor=cast["auditor"],
            password=PASSWORD, shown_sha256=shown)
    nothing_issued(ready)


def test_the_refusal_is_in_english_for_an_english_reader(ready, cast):
    shown = selectors.report_content_sha256(audit=ready)
    edit_statement(ready, cast)
    with translation.override("en"):
        refused(STALE_EN, services.audit_report_issue, audit=ready, actor=cast["auditor"],
                password=PASSWORD, shown_sha256=shown)
    nothing_issued(ready)


def test_a_fresh_hash_issues_and_the_signature_keeps_it(ready, cast):
    shown = selectors.report_content_sha256(audit=ready)
    report = services.audit_report_issue(audit=ready, actor=cast["auditor"], password=PASSWORD,
                                         shown_sha256=shown)
    assert report.signature.content_sha256 == shown
    # The record moved the audit to reported: the stored content is no longer the same.
    ready.refresh_from_db()
    assert selectors.report_content_sha256(audit=ready) != shown


def test_a_caller_without_a_page_signs_the_content_as_stored(ready, cast):
    stored = selectors.report_content_sha256(audit=ready)
    report = services.audit_report_issue(audit=ready, actor=cast["auditor"], password=PASSWORD)
    assert report.signature.content_sha256 == stored


# ---------------------------------------------------------------- the page and the job


def test_the_page_refuses_a_form_opened_before_a_finding_was_edited(ready, cast, login):
    client = login(cast["auditor"])
    shown = shown_sha256(client, ready)
    edit_statement(ready, cast)
    response = client.post(reverse("audits:report_issue", args=[ready.pk]),
                           {"password": PASSWORD, "content_sha256": shown}, follow=True)
    assert messages_of(response) == [STALE]
    assert not Job.objects.exists()
    nothing_issued(ready)


def test_the_page_refuses_a_form_opened_before_a_finding_was_added(ready, cast, org, login):
    client = login(cast["auditor"])
    shown = shown_sha256(client, ready)
    record(ready, cast, org, grade="observation", number="8.5.1", statement="Phát hiện mới.")
    response = client.post(reverse("audits:report_issue", args=[ready.pk]),
                           {"password": PASSWORD, "content_sha256": shown}, follow=True)
    assert messages_of(response) == [STALE]
    nothing_issued(ready)


def test_a_fresh_page_form_issues_through_the_job(ready, cast, login, django_capture_on_commit_callbacks):
    client = login(cast["auditor"])
    shown = shown_sha256(client, ready)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("audits:report_issue", args=[ready.pk]),
                    {"password": PASSWORD, "content_sha256": shown})
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED and job.params["content_sha256"] == shown
    assert AuditSignature.objects.get().content_sha256 == shown


def test_a_finding_edited_before_the_job_runs_fails_the_job_and_issues_nothing(
        ready, cast, login, django_capture_on_commit_callbacks):
    client = login(cast["auditor"])
    shown = shown_sha256(client, ready)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("audits:report_issue", args=[ready.pk]),
                    {"password": PASSWORD, "content_sha256": shown})
    # Signed over `shown`; the content changes before the job builds the record.
    edit_statement(ready, cast)
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.error_message == STALE
    nothing_issued(ready)


def test_the_job_fails_in_english_for_an_english_signer(
        ready, cast, login, django_capture_on_commit_callbacks):
    client = login(cast["auditor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    shown = shown_sha256(client, ready)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("audits:report_issue", args=[ready.pk]),
                    {"password": PASSWORD, "content_sha256": shown})
    assert Job.objects.get().language == "en"
    edit_statement(ready, cast, statement="Changed after the signature.")
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert (job.status, job.error_message) == (Job.Status.FAILED, STALE_EN)
    nothing_issued(ready)
