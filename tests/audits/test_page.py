"""The audit page at any size: findings grouped by department and clause with
counts, filtered and paged; each with its attempts and earlier revisions; the
history of findings and actions with what changed; a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits import selectors, services
from tests.factories import PASSWORD

from .conftest import answer_all, clause, plan, record

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types) before counting
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def numbers(response):
    return [f.number for f in response.context["findings"]]


@pytest.fixture
def two_units(cast, org, programme, procedure_a):
    """An audit of A and of the committee (root), led by `auditor` alone, started."""
    audit = plan(cast, org, programme, procedure_a, departments=[org["a"], org["root"]], team=[])
    return services.audit_start(audit=audit, actor=cast["auditor"])


def mixed(audit, cast, org):
    """Five findings: 1 major 7.5.3 A, 2 minor 8.5.1 root, 3 observation 7.5.3 root,
    4 opportunity 6.1 A, 5 minor 7.5.3 A; the action of 2 answered."""
    owners = {org["a"].pk: cast["owner"], org["root"].pk: cast["approver"]}
    rows = [("major", "7.5.3", "a"), ("minor", "8.5.1", "root"), ("observation", "7.5.3", "root"),
            ("opportunity", "6.1", "a"), ("minor", "7.5.3", "a")]
    found = []
    for grade, number, unit in rows:
        extra = {}
        if grade in ("major", "minor"):
            extra = {"action_owner": owners[org[unit].pk], "action_due": datetime.date(2026, 5, 31)}
        found.append(record(audit, cast, org, grade=grade, number=number, department=org[unit], **extra))
    services.corrective_action_answer(action=found[1].action, actor=cast["approver"], correction="",
                                      root_cause="x", action_plan="y")
    return found


def test_findings_are_counted_by_department_grade_and_clause(login, cast, org, two_units):
    mixed(two_units, cast, org)
    summary = login(cast["auditor"]).get(two_units.get_absolute_url()).context["summary"]
    assert summary["total"] == 5
    assert [(d["name"], d["counts"], d["open"]) for d in summary["by_department"]] == [
        ("Phòng Tài nguyên và Môi trường", {"major": 1, "minor": 1, "observation": 0, "opportunity": 1}, 2),
        ("Ủy ban nhân dân", {"major": 0, "minor": 1, "observation": 1, "opportunity": 0}, 1),
    ]
    assert [(c["number"], c["total"]) for c in summary["by_clause"]] == [("6.1", 1), ("7.5.3", 3), ("8.5.1", 1)]
    assert [(s, n) for s, _label, n in summary["by_action"]] == [("open", 2), ("answered", 1), ("closed", 0)]


@pytest.mark.parametrize("query,expected", [
    ("", [1, 2, 3, 4, 5]),
    ("department={a}", [1, 4, 5]),
    ("department={root}&grade=minor", [2]),
    ("clause=7.5.3", [1, 3, 5]),
    ("grade=nc", [1, 2, 5]),
    ("grade=nc&clause=7.5.3", [1, 5]),
    ("action=answered", [2]),
    ("action=open&department={a}", [1, 5]),
    ("n=4", [4]),
    ("clause=9.9.9", []),
    # Malformed values are ignored, never an error.
    ("department=abc&grade=critical&action=lost&n=-1&page=xyz", [1, 2, 3, 4, 5]),
])
def test_filters(login, cast, org, two_units, query, expected):
    mixed(two_units, cast, org)
    url = two_units.get_absolute_url() + "?" + query.format(a=org["a"].pk, root=org["root"].pk)
    response = login(cast["auditor"]).get(url)
    assert numbers(response) == expected
    assert response.context["filtered_total"] == len(expected)


def test_findings_come_a_page_at_a_time(login, cast, org, started, monkeypatch):
    monkeypatch.setattr("audits.selectors.page.PAGE_SIZE", 2)
    for _ in range(5):
        record(started, cast, org, grade="observation")
    client = login(cast["auditor"])
    url = started.get_absolute_url()
    assert numbers(client.get(url)) == [1, 2]
    page = client.get(url + "?page=3")
    assert numbers(page) == [5]
    assert (page.context["page"]["previous"], page.context["page"]["next"], page.context["page"]["pages"]) == (
        2, None, 3)
    assert numbers(client.get(url + "?page=99")) == [5]  # past the end: the last page
    html = client.get(url + "?page=2").content.decode()
    assert 'href="?page=3#findings"' in html and "Trang 2/3" in html


def test_an_action_link_shows_its_finding_alone(login, cast, org, started):
    record(started, cast, org, grade="observation")
    finding = record(started, cast, org, grade="major")
    action = finding.action
    assert action.get_absolute_url() == f"/audits/{started.pk}/?n=2#action-{action.pk}"
    response = login(cast["auditor"]).get(action.get_absolute_url())
    assert numbers(response) == [2]
    assert f'id="action-{action.pk}"' in response.content.decode()


def attempts_and_revisions(audit, cast, org, size):
    """`size` nonconformities recorded; the checklist answered; the report issued;
    every finding revised once; every action answered, found not effective and
    answered again (waiting for its second check)."""
    findings = [record(audit, cast, org, grade=("major", "minor")[n % 2], statement=f"Phát hiện {n}.",
                       attachments=[("a.txt", b"bang chung")]) for n in range(size)]
    answer_all(audit, cast["auditor2"])
    services.audit_report_issue(audit=audit, actor=cast["auditor"], password=PASSWORD)
    for f in findings:
        services.finding_update(finding=f, actor=cast["auditor"], grade=f.grade, statement=f.statement + " Sửa.",
                                evidence=f.evidence, clause=f.clause, department=f.department,
                                reason="Bổ sung.")
        services.corrective_action_answer(action=f.action, actor=cast["owner"], correction="",
                                          root_cause="Lần 1.", action_plan="Làm lần 1.")
        services.corrective_action_verify(action=f.action, actor=cast["auditor2"], effective=False,
                                          note="Chưa đạt.")
        services.corrective_action_answer(action=f.action, actor=cast["owner"], correction="",
                                          root_cause="Lần 2.", action_plan="Làm lần 2.")
    return findings


@pytest.mark.parametrize("who", ["auditor", "officer", "admin"])
def test_query_count_is_the_same_at_2_and_40_findings_with_attempts_and_revisions(
        login, cast, org, programme, procedure_a, who, django_assert_max_num_queries):
    small = services.audit_start(audit=plan(cast, org, programme, procedure_a), actor=cast["auditor"])
    large = services.audit_start(audit=plan(cast, org, programme, procedure_a), actor=cast["auditor"])
    attempts_and_revisions(small, cast, org, 2)
    attempts_and_revisions(large, cast, org, 40)
    client = login(cast[who])
    at_2 = count_queries(client, small.get_absolute_url())
    at_40 = count_queries(client, large.get_absolute_url())
    page_2 = count_queries(client, large.get_absolute_url() + "?page=2&grade=nc")
    alone = count_queries(client, large.get_absolute_url() + "?n=7")
    assert at_2 == at_40 == page_2 == alone
    # The lead auditor's page also hashes the report content its issue form signs (8).
    with django_assert_max_num_queries(35 if who == "auditor" else 30):
        response = client.get(large.get_absolute_url())
    first = response.context["findings"][0]
    assert [a.number for a in first.action.attempt_list] == [1, 2]
    html = response.content.decode()
    assert "Lần sửa 2" in html and "Nội dung trước khi sửa đổi (1 lần)" in html


def test_the_page_shows_each_attempt_and_the_earlier_revision(login, cast, org, started):
    [finding] = attempts_and_revisions(started, cast, org, 1)
    html = login(cast["auditor"]).get(started.get_absolute_url()).content.decode()
    for text in ("Lần 1.", "Làm lần 1.", "Chưa đạt.", "Chưa có hiệu lực", "Lần 2.", "Chờ kiểm tra hiệu lực",
                 "Phát hiện 0.", "Phát hiện 0. Sửa.", "Bổ sung."):
        assert text in html, text
    assert f'id="finding-{finding.number}-revision-1"' in html


def test_the_history_shows_who_changed_what_in_findings_and_actions(login, cast, org, started):
    finding = record(started, cast, org, grade="minor", statement="Biểu mẫu cũ.")
    services.finding_update(finding=finding, actor=cast["auditor2"], grade="major", statement="Biểu mẫu cũ.",
                            evidence=finding.evidence, clause=clause("7.5.3"), department=org["a"])
    services.corrective_action_answer(action=finding.action, actor=cast["owner"], correction="",
                                      root_cause="Thiếu hướng dẫn.", action_plan="Tập huấn.")
    entries = login(cast["auditor"]).get(started.get_absolute_url()).context["history"]
    top = [(e.kind, e.who.username, e.subject, e.reason, [(c.label, c.old, c.new) for c in e.changes])
           for e in entries[:4]]
    assert top == [
        ("action", "owner", "Hành động khắc phục — phát hiện số 1", "Đơn vị trả lời hành động khắc phục",
         [("trạng thái", "Chờ đơn vị trả lời", "Chờ kiểm tra hiệu lực")]),
        ("attempt", "owner", "Lần khắc phục 1 — phát hiện số 1", "Trả lời lần 1", []),
        ("finding", "auditor2", "Phát hiện số 1", "Sửa phát hiện",
         [("mức độ", "Điểm không phù hợp nhẹ", "Điểm không phù hợp nặng")]),
        ("action", "auditor", "Hành động khắc phục — phát hiện số 1", "Yêu cầu hành động khắc phục", []),
    ]


def test_the_history_page_goes_back_in_time(login, cast, org, started, monkeypatch):
    monkeypatch.setattr("audits.views.HISTORY_PAGE_SIZE", 3)
    for _ in range(3):
        record(started, cast, org, grade="observation")
    client = login(cast["auditor"])
    first = client.get(reverse("audits:history", args=[started.pk]))
    assert [e.subject for e in first.context["history"]] == ["Phát hiện số 3", "Phát hiện số 2", "Phát hiện số 1"]
    assert first.context["next"] == 2
    second = client.get(reverse("audits:history", args=[started.pk]) + "?page=2")
    assert second.context["history"][0].reason == "Bắt đầu đánh giá"
    assert client.get(reverse("audits:history", args=[started.pk]) + "?page=x").status_code == 200


def test_the_history_page_keeps_its_query_count(login, cast, org, programme, procedure_a):
    small = services.audit_start(audit=plan(cast, org, programme, procedure_a), actor=cast["auditor"])
    large = services.audit_start(audit=plan(cast, org, programme, procedure_a), actor=cast["auditor"])
    attempts = {small.pk: 2, large.pk: 30}
    for audit in (small, large):
        for _ in range(attempts[audit.pk]):
            record(audit, cast, org, grade="minor")
    client = login(cast["auditor"])
    assert count_queries(client, reverse("audits:history", args=[small.pk])) == count_queries(
        client, reverse("audits:history", args=[large.pk]))


def test_the_history_is_hidden_from_whoever_may_not_see_the_audit(login, cast, started):
    assert login(cast["staff"]).get(reverse("audits:history", args=[started.pk])).status_code == 404


def test_history_selector_pages_with_no_overlap(cast, org, started):
    for _ in range(4):
        record(started, cast, org, grade="observation")
    first, more = selectors.audit_history(audit=started, limit=3)
    second, _more = selectors.audit_history(audit=started, limit=3, offset=3)
    assert more is True
    seen = [(e.kind, e.subject, e.when) for e in first + second]
    assert len(seen) == len(set(seen)) == 6
