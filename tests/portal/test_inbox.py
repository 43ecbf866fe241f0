"""The task inbox (issue 10 point 5): each person's work from every app, linking to
where it is done, gone once done, by due date; the count in every page's header."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits import services as audit_services
from portal import inbox
from procedures import services
from qms.dates import add_months
from tests.audits.conftest import record
from tests.factories import PASSWORD, draft, effective, submit

pytestmark = pytest.mark.django_db


def items(user, kind=None):
    found = [(k, item) for k, _label, group in inbox.inbox_groups(user=user) for item in group]
    return [item for k, item in found if kind is None or k == kind]


def titles(user, kind):
    return [i.title for i in items(user, kind)]


def header_count(client, url="/procedures/"):
    html = client.get(url).content.decode()
    match = re.search(r'<span class="count" id="inbox-count">(\d+)</span>', html)
    return int(match.group(1)) if match else None


# ---------------------------------------------------------------- procedures


def test_staff_acknowledge_from_the_inbox_and_the_item_goes(client, people):
    today = timezone.localdate()
    version = effective(author=people["officer"], approver=people["approver"], code="QT-I-01",
                        title="Quy trình cấp phép", effective_from=today - datetime.timedelta(days=2))
    [item] = items(people["staff"], "procedures.acknowledgement")
    assert item.title == "QT-I-01 lần ban hành 1 — Quy trình cấp phép"
    assert item.url == "/procedures/QT-I-01/versions/1/acknowledge/"
    assert item.due == today + datetime.timedelta(days=5)  # QMS_ACK_DUE_DAYS = 7
    client.force_login(people["staff"])
    assert header_count(client) == 1
    client.get("/procedures/QT-I-01/")
    client.post(item.url)
    assert items(people["staff"]) == []
    assert header_count(client) == 0
    assert version.acknowledgements.count() == 1


def test_drafts_wait_in_the_signers_inbox_only(people):
    version = draft(author=people["officer"], code="QT-I-02")
    submit(version, approver=people["approver"], reviewers=[people["officer2"]])
    [item] = items(people["officer2"], "procedures.signature")
    assert item.url == "/procedures/QT-I-02/versions/1/"
    assert item.due is None and item.detail.startswith("Trình bởi ")
    for who in ("approver", "officer", "staff", "officer_b", "auditor", "nobody"):
        assert items(people[who], "procedures.signature") == [], who
    services.version_review(version=version, actor=people["officer2"], password=PASSWORD)
    assert items(people["officer2"], "procedures.signature") == []
    [item] = items(people["approver"], "procedures.signature")  # approval is open now
    services.version_approve(version=version, actor=people["approver"], password=PASSWORD)
    assert items(people["approver"], "procedures.signature") == []


def test_periodic_reviews_come_due_for_the_procedures_officers(people, settings):
    settings.QMS_REVIEW_DUE_SOON_DAYS = 30
    today = timezone.localdate()

    def due_in(days, code):
        start = add_months(today + datetime.timedelta(days=days), -12)
        return effective(author=people["officer"], approver=people["approver"], code=code,
                         effective_from=start)

    due_in(30, "QT-R-30")
    due_in(31, "QT-R-31")
    due_in(-3, "QT-R-LATE")
    found = items(people["officer2"], "procedures.periodic_review")
    assert [i.title.split(" ")[0] for i in found] == ["QT-R-LATE", "QT-R-30"]
    assert found[0].detail.startswith("Quá hạn xem xét định kỳ từ ngày ")
    assert found[1].due == today + datetime.timedelta(days=30)
    assert found[1].url == "/procedures/QT-R-30/versions/1/"
    for who in ("approver", "staff", "officer_b", "admin"):
        assert items(people[who], "procedures.periodic_review") == [], who


# ---------------------------------------------------------------- audits


def test_a_corrective_action_is_in_the_owners_inbox_from_the_day_it_is_assigned(cast, org, started):
    finding = record(started, cast, org, grade="minor")
    action = finding.action
    [item] = items(cast["owner"], "audits.action")
    assert item.due == datetime.date(2026, 4, 30)
    assert item.url == f"/audits/actions/{action.pk}/answer/"
    assert item.title == (f"{started.code}, phát hiện số 1 — Hồ sơ lưu trữ không đúng thời hạn.")
    audit_services.corrective_action_answer(
        action=action, actor=cast["owner"], correction="Đã sửa.", root_cause="Thiếu hướng dẫn.",
        action_plan="Tập huấn.")
    assert items(cast["owner"], "audits.action") == []
    # Now the audit team checks it: the lead and the member, not the one who answered.
    for who in ("auditor", "auditor2"):
        [check] = items(cast[who], "audits.verification")
        assert check.url == f"/audits/actions/{action.pk}/verify/"
    assert items(cast["stranger"], "audits.verification") == []
    audit_services.corrective_action_verify(action=action, actor=cast["auditor2"], effective=False,
                                            note="Chưa đạt.")
    assert [i.url for i in items(cast["owner"], "audits.action")] == [item.url]
    assert items(cast["auditor"], "audits.verification") == []


def test_audits_are_in_the_inbox_of_their_team_until_reported(cast, org, audit):
    [planned] = items(cast["auditor2"], "audits.audit")
    assert planned.due == audit.planned_start and planned.url == f"/audits/{audit.pk}/"
    assert planned.detail.startswith("Đã lập kế hoạch — bắt đầu ngày 10/03/2026")
    audit_services.audit_start(audit=audit, actor=cast["auditor"])
    [running] = items(cast["auditor"], "audits.audit")
    assert running.due == audit.planned_end
    assert items(cast["stranger"], "audits.audit") == []
    for item in audit.checklist.all():
        audit_services.checklist_item_answer(item=item, actor=cast["auditor2"], result="conforming",
                                             notes="Đạt")
    audit_services.audit_report_issue(audit=audit, actor=cast["auditor"], password=PASSWORD)
    assert items(cast["auditor"], "audits.audit") == []


# ---------------------------------------------------------------- the page


def test_the_page_groups_by_kind_sorts_by_due_date_and_links(client, people):
    today = timezone.localdate()
    for code, days in (("QT-S-2", 1), ("QT-S-1", -5), ("QT-S-3", 0)):
        effective(author=people["officer"], approver=people["approver"], code=code,
                  effective_from=today + datetime.timedelta(days=days) - datetime.timedelta(days=7))
    client.force_login(people["staff"])
    response = client.get("/inbox/")
    [(kind, label, group)] = response.context["groups"]
    assert (kind, str(label)) == ("procedures.acknowledgement", "Phiên bản mới cần đọc và xác nhận")
    assert [i.title.split(" ")[0] for i in group] == ["QT-S-1", "QT-S-3", "QT-S-2"]
    html = response.content.decode()
    assert 'href="/procedures/QT-S-1/versions/1/acknowledge/"' in html
    assert "quá hạn" in html  # QT-S-1 was due five days ago
    assert response.context["total"] == 3
    assert '<span class="count" id="inbox-count">3</span>' in html
    assert "SELECT (SELECT COUNT(*)" not in " ".join(
        q["sql"] for q in _queries(client, "/inbox/"))  # the header reuses the page's total


def test_an_empty_inbox_says_so(client, people):
    client.force_login(people["nobody"])
    html = client.get("/inbox/").content.decode()
    assert "Không có việc nào đang chờ bạn." in html
    assert '<span class="count" id="inbox-count">0</span>' in html


def test_no_count_before_signing_in(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'id="inbox-count"' not in html
    assert client.get("/inbox/").status_code == 302


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return captured.captured_queries


@pytest.mark.parametrize("url", ["/inbox/", "/procedures/"])
def test_inbox_and_header_queries_do_not_grow_with_the_work(client, people, url,
                                                           django_assert_max_num_queries):
    def make(n):
        for _ in range(n):
            effective(author=people["officer"], approver=people["approver"])

    make(2)
    client.force_login(people["staff"])
    before = len(_queries(client, url))
    make(48)
    with django_assert_max_num_queries(before):
        response = client.get(url)
    assert response.status_code == 200
    assert header_count(client, url) == 50


def test_the_header_count_is_one_query_per_page(client, people):
    effective(author=people["officer"], approver=people["approver"])
    client.force_login(people["staff"])
    client.get("/procedures/")  # warm the per-process caches (content types)
    counting = [q for q in _queries(client, "/procedures/") if "COUNT(*)) +" in q["sql"]
                or q["sql"].startswith("SELECT (SELECT COUNT(*)")]
    assert len(counting) == 1


def test_count_matches_the_items_for_each_role(cast, org, started, people):
    record(started, cast, org, grade="major")
    version = draft(author=people["officer"], code="QT-C-01")
    submit(version, approver=people["approver"], reviewers=[people["officer2"]])
    effective(author=people["officer"], approver=people["approver"])
    for who in ("staff", "officer", "approver", "auditor", "auditor2", "owner", "admin"):
        user = cast[who]
        assert inbox.inbox_count(user=user) == len(items(user)), who
