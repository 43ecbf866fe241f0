"""The progress page of a job, its status for the page's script, and the list of
jobs: visible to the person who started the job and to administrators only."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.actors import system_user
from qms.models import Job

pytestmark = pytest.mark.django_db


def _job(owner, **fields):
    fields = {"kind": "procedures.apply_scheduled",
              "label": "Cho hiệu lực các phiên bản đã đến ngày hiệu lực",
              "language": "vi", **fields}
    return Job.objects.create(started_by=owner, **fields)


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("officer", 200), ("admin", 200), ("officer2", 404), ("staff", 404), ("nobody", 404)],
)
def test_a_job_page_is_seen_by_its_owner_and_administrators_only(client, people, viewer, status):
    job = _job(people["officer"])
    client.force_login(people[viewer])
    assert client.get(f"/jobs/{job.pk}/").status_code == status
    assert client.get(f"/jobs/{job.pk}/status/").status_code == status


def test_a_job_page_asks_a_stranger_to_sign_in(client, people):
    job = _job(people["officer"])
    response = client.get(f"/jobs/{job.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_running_job_page_shows_the_progress_and_polls_for_more(client, people, django_assert_max_num_queries):
    job = _job(people["officer"], status=Job.Status.RUNNING, progress_done=3, progress_total=12)
    client.force_login(people["officer"])
    client.get("/jobs/")  # warm-up: the first page after sign-in fills per-process caches
    with django_assert_max_num_queries(6):
        response = client.get(f"/jobs/{job.pk}/")
    html = response.content.decode()
    assert "<h1>Cho hiệu lực các phiên bản đã đến ngày hiệu lực</h1>" in html
    assert '<span class="badge job-running" id="job-status">Đang chạy</span>' in html
    assert 'value="25"' in html and "3/12 (25%)" in html
    assert f'data-status-url="/jobs/{job.pk}/status/" data-active' in html
    assert "/static/js/jobs.js" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_status_for_the_script_is_small_json_never_cached(client, people):
    job = _job(people["officer"], status=Job.Status.QUEUED, progress_done=0, progress_total=None,
               error_message="Lỗi tạm thời…")
    client.force_login(people["officer"])
    response = client.get(f"/jobs/{job.pk}/status/")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "status": "queued", "status_label": "Đang chờ", "active": True, "done": 0,
        "total": None, "percent": None, "message": "Lỗi tạm thời…", "summary": "",
    }


def test_a_finished_job_shows_its_result_and_does_not_poll(client, people):
    job = _job(people["admin"], status=Job.Status.SUCCEEDED, progress_done=2, progress_total=2,
               result_summary="2 phiên bản đã được cho hiệu lực.", result_url="/register/",
               result_lines=["QT-A-01 lần ban hành 2", "QT-B-02 lần ban hành 1"])
    client.force_login(people["admin"])
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "2 phiên bản đã được cho hiệu lực." in html
    assert "<li>QT-A-01 lần ban hành 2</li><li>QT-B-02 lần ban hành 1</li>" in html
    assert '<a href="/register/">Xem kết quả</a>' in html
    assert "data-active" not in html


def test_a_failed_job_shows_the_reason(client, people):
    job = _job(people["officer"], status=Job.Status.FAILED,
               error_message="Lệnh “x” chưa được cài đặt trên máy chủ này.")
    client.force_login(people["officer"])
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<div class="notice warn" role="alert" id="job-message"><strong>Lý do:</strong> ' \
           "Lệnh “x” chưa được cài đặt trên máy chủ này.</div>" in html
    # Its size was never known: no bar that would look like work still going on.
    assert "<progress" not in html


def test_the_page_speaks_english_when_asked(client, people):
    job = _job(people["officer"], status=Job.Status.RUNNING)
    client.force_login(people["officer"])
    client.cookies["django_language"] = "en"
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "<h1>Make effective the versions whose date has come</h1>" in html
    assert ">Running</span>" in html


def test_an_unknown_or_malformed_job_id_is_a_404(client, people):
    client.force_login(people["admin"])
    assert client.get("/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/jobs/not-a-uuid/").status_code == 404


def _list_ids(client, user):
    client.force_login(user)
    return {job.pk for job in client.get("/jobs/").context["page"]}


def test_the_list_shows_ones_own_jobs_and_every_job_to_administrators(client, people):
    mine = _job(people["officer"])
    theirs = _job(people["officer2"])
    nightly = _job(system_user(), kind="qms.run_command", label="Lệnh định kỳ",
                   detail="apply_scheduled")
    assert _list_ids(client, people["officer"]) == {mine.pk}
    assert _list_ids(client, people["officer2"]) == {theirs.pk}
    assert _list_ids(client, people["staff"]) == set()
    assert _list_ids(client, people["admin"]) == {mine.pk, theirs.pk, nightly.pk}
    client.force_login(people["admin"])
    html = client.get("/jobs/").content.decode()
    assert "Lệnh định kỳ</a> <span class=\"muted small\">apply_scheduled</span>" in html


def test_the_list_costs_the_same_queries_at_2_rows_and_at_25(client, people):
    client.force_login(people["admin"])
    counts = []
    for rows in (2, 25):
        Job.objects.all().delete()
        for n in range(rows):
            _job(people["officer"] if n % 2 else people["officer2"])
        # warm-up: the first page after sign-in fills per-process caches (guardian's content types)
        client.get("/jobs/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/jobs/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 6
