"""Issuing an audit report is the lead auditor's electronic signature: password
asked again, meaning, name and time and the SHA-256 of the issued PDF recorded,
the signature block printed in the PDF; the command signs the same way."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from audits import services
from audits.exceptions import AuditRecordError
from audits.models import Audit, AuditReport, AuditSignature
from qms.models import Job
from tests.commands import run
from tests.factories import PASSWORD

from .conftest import answer_all, record, shown_sha256
from .test_pdf import flat, pages_text
from .test_services import refused

pytestmark = pytest.mark.django_db

MEANING = "Trưởng đoàn đánh giá — phát hành báo cáo"


@pytest.fixture
def ready(started, cast, org):
    record(started, cast, org, grade="observation")
    answer_all(started, cast["auditor2"])
    return started


def test_issue_signs_with_meaning_name_time_and_the_pdf_hash(ready, cast):
    report = services.audit_report_issue(audit=ready, actor=cast["auditor"], password=PASSWORD)
    signature = report.signature
    content = default_storage.open(report.file.name).read()
    assert (signature.signer, signature.signer_name, signature.meaning, signature.get_meaning_display()) == (
        cast["auditor"], cast["auditor"].get_full_name(), "report_issued", MEANING)
    assert signature.signed_at == report.issued_at
    assert signature.pdf_sha256 == hashlib.sha256(content).hexdigest() == report.sha256
    row = signature.history.get()
    assert (row.history_user, row.history_change_reason) == (cast["auditor"], MEANING)


def test_the_pdf_shows_the_signature_block(ready, cast):
    report = services.audit_report_issue(audit=ready, actor=cast["auditor"], password=PASSWORD)
    text = flat(" ".join(pages_text(default_storage.open(report.file.name).read())))
    signed = timezone.localtime(report.issued_at).strftime("%d/%m/%Y %H:%M")
    assert "TRƯỞNG ĐOÀN ĐÁNH GIÁ" in text and "(Đã ký điện tử)" in text
    assert f"{cast['auditor'].get_full_name()} Ngày ký: {signed} Ý nghĩa: {MEANING}" in text


def test_a_wrong_password_signs_nothing(ready, cast):
    for password in ("", "sai-mat-khau"):
        refused("Mật khẩu không đúng: chữ ký chưa được ghi nhận.",
                services.audit_report_issue, audit=ready, actor=cast["auditor"], password=password)
    ready.refresh_from_db()
    assert ready.state == Audit.State.IN_PROGRESS
    assert not AuditReport.objects.exists() and not AuditSignature.objects.exists()


def test_only_the_lead_auditor_signs_even_a_superuser_may_not(ready, cast):
    refused(f"Chỉ trưởng đoàn đánh giá ({cast['auditor'].get_full_name()}) ký phát hành báo cáo.",
            services.audit_report_issue, audit=ready, actor=cast["admin"], password=PASSWORD)
    refused("Bạn không có quyền thực hiện thao tác này.",
            services.audit_report_issue, audit=ready, actor=cast["auditor2"], password=PASSWORD)
    assert not AuditReport.objects.exists()


def test_a_signature_is_never_changed(ready, cast):
    signature = services.audit_report_issue(audit=ready, actor=cast["auditor"], password=PASSWORD).signature
    signature.signer_name = "Người khác"
    with pytest.raises(AuditRecordError) as caught:
        signature.save()
    assert caught.value.messages == ["Chữ ký điện tử đã ghi nhận không được sửa."]


def test_the_preview_is_marked_unsigned(ready, cast, login):
    response = login(cast["auditor2"]).get(reverse("audits:report_preview", args=[ready.pk]))
    text = flat(" ".join(pages_text(response.content)))
    assert "(Chưa ký — bản xem trước)" in text and "Ngày ký" not in text


# ---------------------------------------------------------------- the page


def test_the_page_asks_the_lead_for_the_password_and_shows_the_signature(
        ready, cast, login, django_capture_on_commit_callbacks):
    client = login(cast["auditor"])
    page = client.get(reverse("audits:detail", args=[ready.pk])).content.decode()
    assert 'id="issue-form"' in page and 'name="password"' in page and MEANING in page
    shown = shown_sha256(client, ready)
    response = client.post(reverse("audits:report_issue", args=[ready.pk]),
                           {"password": "sai", "content_sha256": shown}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Mật khẩu không đúng: chữ ký chưa được ghi nhận."]
    response = client.post(reverse("audits:report_issue", args=[ready.pk]),
                           {"note": "", "content_sha256": shown}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Hãy nhập mật khẩu để ký."]
    response = client.post(reverse("audits:report_issue", args=[ready.pk]), {"password": PASSWORD}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Thiếu mã băm của nội dung: hãy tải lại trang rồi ký."]
    assert not AuditReport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audits:report_issue", args=[ready.pk]),
                               {"password": PASSWORD, "content_sha256": shown})
    # The PDF is built by a background job, followed on its page.
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.status, job.result_url) == (
        "audits.issue_report", Job.Status.SUCCEEDED, ready.get_absolute_url())
    assert job.result_summary == "Đã ký và phát hành báo cáo BC-ĐG-2026-01 / lần 1."
    assert "password" not in job.params and PASSWORD not in str(job.params)
    html = client.get(job.result_url).content.decode()
    assert f"{cast['auditor'].get_full_name()}, " in html and MEANING in html


def test_the_team_member_gets_no_signing_form(ready, cast, login):
    page = login(cast["auditor2"]).get(reverse("audits:detail", args=[ready.pk])).content.decode()
    assert 'id="issue-form"' not in page


# ---------------------------------------------------------------- the command


def test_command_reads_the_password_file(ready, cast, tmp_path, capsys):
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\r\n")
    target = tmp_path / "bc.pdf"
    call_command("audit_report", str(ready.pk), "-o", str(target), "--issue", "--actor", "auditor",
                 "--password-file", str(secret))
    report = AuditReport.objects.get()
    assert report.signature.signer == cast["auditor"]
    assert hashlib.sha256(target.read_bytes()).hexdigest() == report.signature.pdf_sha256
    assert f"BC-ĐG-2026-01 / lần 1 (SHA-256 {report.sha256})" in capsys.readouterr().out


def test_command_asks_for_the_password_without_echo(ready, cast, tmp_path, monkeypatch):
    asked = []

    def fake_getpass(prompt):
        asked.append(prompt)
        return PASSWORD

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    call_command("audit_report", str(ready.pk), "-o", str(tmp_path / "bc.pdf"), "--issue", "--actor", "auditor")
    assert asked == [f"Mật khẩu của {cast['auditor'].get_full_name()} (ký phát hành báo cáo): "]
    assert AuditReport.objects.get().signature.signer == cast["auditor"]


@pytest.mark.parametrize("answer,message", [
    ("sai", "Mật khẩu không đúng: chữ ký chưa được ghi nhận."),
    (EOFError, "Chưa nhập mật khẩu: báo cáo chưa được ký và phát hành."),
])
def test_command_refuses_a_wrong_or_missing_password(ready, tmp_path, monkeypatch, answer, message):
    def fake_getpass(prompt):
        if answer is EOFError:
            raise EOFError
        return answer

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    with pytest.raises(CommandError) as caught:
        call_command("audit_report", str(ready.pk), "-o", str(tmp_path / "bc.pdf"), "--issue", "--actor",
                     "auditor")
    assert str(caught.value) == message
    assert not AuditReport.objects.exists() and not (tmp_path / "bc.pdf").exists()


def test_command_refuses_an_unreadable_password_file(ready, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("audit_report", str(ready.pk), "-o", str(tmp_path / "bc.pdf"), "--issue", "--actor",
                     "auditor", "--password-file", str(tmp_path / "khong-co"))
    assert str(caught.value) == f"Không đọc được tệp mật khẩu {tmp_path / 'khong-co'}."


def test_command_help_says_how_the_password_is_given():
    from audits.management.commands.audit_report import Command

    parser = Command().create_parser("manage.py", "audit_report")
    text = parser.format_help()
    assert "--password-file" in text and "asked for" in text


def test_the_signature_is_sealed_with_the_key(ready, cast, settings):
    report = services.audit_report_issue(audit=ready, actor=cast["auditor"], password=PASSWORD)
    signature = AuditSignature.objects.select_related("report").get(report=report)
    assert len(signature.seal) == 64 and signature.seal_holds()
    settings.QMS_SIGNATURE_KEY = "another key"
    assert not signature.seal_holds()  # whoever lacks the key cannot forge a seal


def test_hashes_rewritten_in_the_database_break_the_seal(ready, cast):
    """Both stored hashes changed alike (a swapped PDF made to look issued), past the
    triggers as the database's owner could: the plain comparison still agrees, the
    seal does not, and verify_integrity says so."""
    from django.db import connection

    from qms.append_only import bypassed

    report = services.audit_report_issue(audit=ready, actor=cast["auditor"], password=PASSWORD)
    forged = hashlib.sha256(b"another report").hexdigest()
    with bypassed(connection):
        AuditReport.objects.filter(pk=report.pk).update(sha256=forged)
        AuditSignature.objects.filter(report=report).update(pdf_sha256=forged)
    signature = AuditSignature.objects.select_related("report").get(report=report)
    assert signature.pdf_sha256 == signature.report.sha256
    assert not signature.seal_holds()
    code, _out, err = run("verify_integrity")
    assert code == 1
    assert f"audit report signature {signature.pk}" in err
