"""A background job seen in a real Chromium: started from the register, and its page
following the job by itself (static/js/jobs.js) until the result shows."""

import datetime

import pytest
from django.utils import timezone

from procedures.models import State
from qms.models import Job
from tests.factories import PASSWORD, effective

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_administrator_runs_the_daily_job_from_the_register(new_page, live_server, people, monkeypatch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    version = effective(author=people["officer"], approver=people["approver"], code="QT-E2E-01",
                        effective_from=tomorrow)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    page = new_page("admin", PASSWORD)
    page.goto(f"{live_server.url}/register/")
    page.click("#apply-scheduled button")
    page.wait_for_url("**/jobs/*/")
    # Without a broker the job ran within the request: the page shows its result.
    assert page.locator("#job-status").inner_text() == "Hoàn thành"
    assert page.locator("#job-result li").all_inner_texts() == ["QT-E2E-01 lần ban hành 1"]
    version.refresh_from_db()
    assert version.state == State.EFFECTIVE


def test_the_page_follows_a_running_job_until_it_finishes(new_page, live_server, people):
    job = Job.objects.create(kind="procedures.apply_scheduled", started_by=people["officer"],
                             label="Cho hiệu lực các phiên bản đã đến ngày hiệu lực",
                             language="vi", status=Job.Status.RUNNING, progress_total=4)
    page = new_page("officer", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert page.locator("#job-count").inner_text() == "0/4 (0%)"
    # A worker elsewhere moves it on; the page sees it without being reloaded by hand.
    Job.objects.filter(pk=job.pk).update(progress_done=3)
    # A locator, not wait_for_function: a string predicate is eval'd in the page,
    # which the Content-Security-Policy refuses.
    from playwright.sync_api import expect

    expect(page.locator("#job-count")).to_have_text("3/4 (75%)")
    assert page.locator("#job-progress").get_attribute("value") == "75"
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, progress_done=4,
                                         result_summary="4 phiên bản đã được cho hiệu lực.")
    page.wait_for_selector("#job-result")
    assert page.locator("#job-result p").first.inner_text() == "4 phiên bản đã được cho hiệu lực."
    assert page.locator("#job-status").inner_text() == "Hoàn thành"
