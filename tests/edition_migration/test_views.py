"""The migration's web screens: import several files, run, permissions, bad input."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from edition_migration.models import EditionMigration
from procedures.models import Procedure
from qms.models import Job

from .conftest import sample

pytestmark = pytest.mark.django_db


def upload(name):
    return SimpleUploadedFile(name, sample(name))


def test_web_import_of_several_files_runs_as_a_job_that_reports_each(
        client, people, org, django_capture_on_commit_callbacks):
    client.force_login(people["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("edition_migration:import"), {
            "files": [upload("qt-tnmt-05.md"), upload("mat-khau.docx"), upload("qt-kt-04.odt")],
            "edition": "2008", "department": org["a"].pk,
        })
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "edition_migration.import_files" and job.started_by == people["officer"]
    assert job.status == Job.Status.SUCCEEDED and (job.progress_done, job.progress_total) == (3, 3)
    assert job.result_summary == ("3 tệp: 2 tài liệu mới, 0 dự thảo lần ban hành mới, "
                                  "0 tệp đã nhập trước đó, 1 tệp bị từ chối.")
    assert job.result_lines[0].startswith("qt-tnmt-05.md: QT-TNMT-05, lần ban hành")
    assert job.result_lines[1].startswith("mat-khau.docx: bị từ chối:")
    assert "được bảo vệ bằng mật khẩu" in job.result_lines[1]
    assert job.result_lines[2].startswith("qt-kt-04.odt: QT-KT-04, lần ban hành")
    assert sorted(Procedure.objects.values_list("code", flat=True)) == ["QT-KT-04", "QT-TNMT-05"]
    # The uploads waited in the storage for the worker and are gone once read.
    assert not default_storage.listdir("jobs")[1] and not any(
        default_storage.listdir("jobs/" + d)[1] for d in default_storage.listdir("jobs")[0])
    page = client.get(response["Location"]).content.decode()
    assert "được bảo vệ bằng mật khẩu" in page


def test_importing_the_same_files_again_adds_nothing(client, people, org,
                                                      django_capture_on_commit_callbacks):
    client.force_login(people["officer"])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("edition_migration:import"), {
                "files": [upload("qt-tnmt-05.md")], "edition": "2008", "department": org["a"].pk})
    second = Job.objects.order_by("created_at").last()
    assert second.result_summary == ("1 tệp: 0 tài liệu mới, 0 dự thảo lần ban hành mới, "
                                     "1 tệp đã nhập trước đó, 0 tệp bị từ chối.")
    assert Procedure.objects.get().versions.count() == 1


def test_web_import_without_a_file_is_a_form_error(client, people):
    client.force_login(people["officer"])
    response = client.post(reverse("edition_migration:import"), {"edition": "2008"})
    assert response.status_code == 200
    assert "Hãy chọn ít nhất một tệp." in response.content.decode()


def test_web_dry_run_then_real_run(client, people, tnmt_procedure,
                                   django_capture_on_commit_callbacks):
    client.force_login(people["officer"])
    response = client.post(reverse("edition_migration:run"), {"dry_run": "on", "all": "on"})
    html = response.content.decode()
    assert "Chạy thử trên 1 tài liệu: chưa có thay đổi nào được lưu." in html
    # Point 14: "run it for real" with the same selection.
    assert '<input type="hidden" name="codes" value="QT-TNMT-05">' in html
    assert "Chạy thật với cùng lựa chọn" in html
    assert not EditionMigration.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("edition_migration:run"), {"codes": ["QT-TNMT-05"]})
    # The real run is a background job; its page tells the outcome.
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "edition_migration.migrate" and job.params == {"codes": ["QT-TNMT-05"]}
    assert EditionMigration.objects.count() == 1
    migration = EditionMigration.objects.get()
    assert job.status == Job.Status.SUCCEEDED and (job.progress_done, job.progress_total) == (1, 1)
    assert job.result_summary == ("Đã tạo 1 dự thảo theo bản 2015; 0 tài liệu đã có dự thảo "
                                  "từ trước; 0 tài liệu không chuyển đổi được.")
    assert job.result_lines == [
        f"QT-TNMT-05: đã tạo dự thảo lần ban hành {migration.draft.revision}"]
    assert job.result_url == "/migration/report/"
    report = client.get(job.result_url).content.decode()
    assert f'href="/migration/{migration.pk}/"' in report
    # Running the same batch again does no harm.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("edition_migration:run"), {"codes": ["QT-TNMT-05"]})
    again = Job.objects.order_by("created_at").last()
    assert again.result_lines == ["QT-TNMT-05: dự thảo đã có"]
    assert EditionMigration.objects.count() == 1


def test_an_empty_selection_converts_nothing_and_says_so(client, people, tnmt_procedure):
    client.force_login(people["officer"])
    response = client.post(reverse("edition_migration:run"), {}, follow=True)
    assert ("Chưa chọn tài liệu nào: không có tài liệu nào được chuyển đổi. Hãy đánh dấu tài liệu "
            "cần chuyển đổi, hoặc chọn “Tất cả”.") in response.content.decode()
    assert not EditionMigration.objects.exists()


def test_run_with_a_code_not_offered_is_refused_politely(client, people, tnmt_procedure):
    client.force_login(people["officer_b"])
    response = client.post(reverse("edition_migration:run"), {"codes": ["QT-TNMT-05"]}, follow=True)
    assert "Lựa chọn tài liệu không hợp lệ." in response.content.decode()
    assert not EditionMigration.objects.exists()


@pytest.mark.parametrize("who,status", [("officer", 200), ("admin", 200), ("auditor", 200), ("staff", 403)])
def test_index_by_role(client, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("edition_migration:index")).status_code == status


@pytest.mark.parametrize("name", ["import", "run"])
def test_approvers_cannot_import_or_run(client, people, name):
    client.force_login(people["approver"])
    if name == "run":
        assert client.post(reverse("edition_migration:run")).status_code == 403
    else:
        assert client.get(reverse("edition_migration:import")).status_code == 403


def test_a_passing_fault_during_an_import_is_retried_with_the_files_still_there(
        client, people, org, monkeypatch, django_capture_on_commit_callbacks):
    from django.db import OperationalError

    from edition_migration import services

    real, calls = services.procedures_import, []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            next(kwargs["files_in"])  # the first file was read when the fault came
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(services, "procedures_import", flaky)
    client.force_login(people["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("edition_migration:import"), {
            "files": [upload("qt-tnmt-05.md")], "edition": "2008", "department": org["a"].pk})
    job = Job.objects.get()
    assert (job.status, job.attempts, len(calls)) == (Job.Status.SUCCEEDED, 2, 2)
    assert Procedure.objects.get().code == "QT-TNMT-05"


def test_an_import_whose_files_are_gone_fails_with_a_reason_not_a_500(
        client, people, org, monkeypatch, django_capture_on_commit_callbacks):
    from qms.jobs import files as job_files

    monkeypatch.setattr(job_files, "job_files_stash",
                        lambda files: [{"name": n, "path": "jobs/gone/0000.bin"} for n, _c in files])
    monkeypatch.setattr("edition_migration.views.job_files_stash", job_files.job_files_stash)
    client.force_login(people["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("edition_migration:import"), {
            "files": [upload("qt-tnmt-05.md")], "edition": "2008", "department": org["a"].pk})
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == Job.Status.FAILED
    assert job.error_message.startswith("Lỗi ngoài dự kiến.")
    assert "Lỗi ngoài dự kiến." in client.get(f"/jobs/{job.pk}/").content.decode()
    assert not Procedure.objects.exists()
