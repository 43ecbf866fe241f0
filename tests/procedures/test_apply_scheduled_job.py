"""The pilot of the job framework: an administrator makes effective, from the
register, the approved versions whose date has come; the progress page follows it."""

import datetime

import pytest
from django.utils import timezone

from procedures import services
from procedures.models import State
from procedures.tasks import APPLY_SCHEDULED_KEY, apply_scheduled
from qms.jobs.services import job_start
from qms.models import Job
from tests.factories import effective

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(people, monkeypatch):
    """Two approved versions whose date is tomorrow, and tomorrow has come."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    versions = [
        effective(author=people["officer"], approver=people["approver"], code=code,
                  effective_from=tomorrow)
        for code in ("QT-J-01", "QT-J-02")
    ]
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    return versions


def _post(client, **data):
    return client.post("/register/apply-scheduled/", {"form_token": "t1", **data})


def test_an_administrator_runs_it_from_the_register_and_lands_on_its_page(
        client, people, due, django_capture_on_commit_callbacks):
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "procedures.apply_scheduled" and job.started_by == people["admin"]
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (2, 2)
    assert job.result_summary == "2 phiên bản đã được cho hiệu lực."
    assert job.result_lines == ["QT-J-01 lần ban hành 1", "QT-J-02 lần ban hành 1"]
    assert job.result_url == "/register/"
    for version in due:
        version.refresh_from_db()
        assert version.state == State.EFFECTIVE
        # The history names the administrator who ran it.
        assert version.history.first().history_user == people["admin"]
    page = client.get(response["Location"]).content.decode()
    assert "2 phiên bản đã được cho hiệu lực." in page and "<li>QT-J-01 lần ban hành 1</li>" in page


def test_running_it_again_does_no_harm(client, people, due, django_capture_on_commit_callbacks):
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, form_token="t1")
    history = [v.history.count() for v in due]
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, form_token="t2")
    first, second = Job.objects.order_by("created_at")
    assert first.result_summary == "2 phiên bản đã được cho hiệu lực."
    assert second.status == Job.Status.SUCCEEDED
    assert second.result_summary == "0 phiên bản đã được cho hiệu lực."
    assert second.result_lines == []
    assert [v.history.count() for v in due] == history  # nothing written the second time
    assert {v.procedure.versions.filter(state=State.EFFECTIVE).count() for v in due} == {1}


def test_a_double_click_while_it_runs_leads_to_the_same_job(client, people, due, django_capture_on_commit_callbacks):
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=False):
        first = _post(client, form_token="a")
        second = _post(client, form_token="b")
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1
    follow = client.get(second["Location"])
    assert [str(m) for m in follow.context["messages"]] == [
        "Việc này đang chạy; đây là trang theo dõi của nó."]


def test_the_nightly_command_and_the_button_share_one_run_at_a_time(people, due, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        nightly, _c = job_start(task=apply_scheduled, actor=people["admin"],
                                dedupe_key=APPLY_SCHEDULED_KEY)
        from qms import tasks

        tasks.start_command.apply(args=["apply_scheduled"])
    assert list(Job.objects.values_list("pk", flat=True)) == [nightly.pk]


@pytest.mark.parametrize("who", ["officer", "approver", "staff"])
def test_only_an_administrator_may_run_it(client, people, due, who, django_capture_on_commit_callbacks):
    client.force_login(people[who])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client)
    assert response.status_code == 403
    assert Job.objects.count() == 0
    assert {v.state for v in (type(v).objects.get(pk=v.pk) for v in due)} == {State.APPROVED}


def test_it_is_started_by_a_post_only(client, people):
    client.force_login(people["admin"])
    assert client.get("/register/apply-scheduled/").status_code == 405


def test_the_register_offers_it_to_administrators_only(client, people):
    client.force_login(people["admin"])
    assert 'action="/register/apply-scheduled/"' in client.get("/register/").content.decode()
    client.force_login(people["officer"])
    assert 'action="/register/apply-scheduled/"' not in client.get("/register/").content.decode()


def test_the_service_reports_its_progress_after_each_version(people, due):
    steps = []
    done = services.versions_apply_scheduled(actor=people["admin"],
                                             progress=lambda d, t: steps.append((d, t)))
    assert [v.procedure.code for v in done] == ["QT-J-01", "QT-J-02"]
    assert steps == [(0, 2), (1, 2), (2, 2)]
