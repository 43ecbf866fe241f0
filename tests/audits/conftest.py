"""Audit fixtures: a programme, an audit of department A by the auditor of B and a
second auditor, built through the services."""

import datetime

import pytest

from audits import services
from qms import roles
from qms.models import Clause
from tests.factories import PASSWORD, UserFactory, effective

START = datetime.date(2026, 3, 10)
END = datetime.date(2026, 3, 12)


def clause(number: str, year: int = 2015) -> Clause:
    return Clause.objects.get(edition__year=year, number=number)


@pytest.fixture
def cast(people, org):
    """The shared people plus a second auditor (department root), an owner in A,
    and an auditor of A (who may not audit A)."""
    people = dict(people)
    people["auditor2"] = UserFactory(username="auditor2", role=roles.INTERNAL_AUDITOR, department=org["root"])
    people["stranger"] = UserFactory(username="stranger", role=roles.INTERNAL_AUDITOR, department=org["b"])
    people["auditor_a"] = UserFactory(username="auditor_a", role=roles.INTERNAL_AUDITOR, department=org["a"])
    people["owner"] = UserFactory(username="owner", role=roles.STAFF, department=org["a"])
    return people


@pytest.fixture
def procedure_a(cast):
    """An effective 2015 procedure of department A."""
    return effective(
        author=cast["officer"], approver=cast["approver"], code="QT-TNMT-01",
        title="Quy trình đăng ký đất đai", clauses=("7.5.3", "8.5.1"), year=2015,
        effective_from=datetime.date(2026, 1, 5),
    )


@pytest.fixture
def programme(cast):
    return services.programme_create(actor=cast["auditor"], year=2026)


def plan(cast, org, programme, procedure=None, **kwargs):
    values = {
        "actor": cast["auditor"],
        "programme": programme,
        "title": "Đánh giá Phòng Tài nguyên và Môi trường",
        "departments": [org["a"]],
        "planned_start": START,
        "planned_end": END,
        "lead_auditor": cast["auditor"],
        "team": [cast["auditor2"]],
        "clause_numbers": ["7.5.3", "8.5.1"],
        "procedures": [procedure.procedure] if procedure else [],
    }
    values.update(kwargs)
    return services.audit_create(**values)


@pytest.fixture
def audit(cast, org, programme, procedure_a):
    """Planned: lead `auditor` (B), team `auditor2` (root), department A in scope."""
    return plan(cast, org, programme, procedure_a)


@pytest.fixture
def started(audit, cast):
    return services.audit_start(audit=audit, actor=cast["auditor"])


def record(audit, cast, org, *, grade="minor", statement="Hồ sơ lưu trữ không đúng thời hạn.",
           number="7.5.3", **kwargs):
    values = {
        "audit": audit,
        "actor": cast["auditor"],
        "grade": grade,
        "statement": statement,
        "clause": clause(number),
        "department": org["a"],
        "evidence": "Kiểm tra 10 hồ sơ, 3 hồ sơ thiếu phiếu kiểm soát.",
    }
    if grade in ("major", "minor"):
        values.update(action_owner=cast["owner"], action_due=datetime.date(2026, 4, 30))
    values.update(kwargs)
    return services.finding_record(**values)


def answer_all(audit, actor, result="conforming"):
    for item in audit.checklist.all():
        services.checklist_item_answer(item=item, actor=actor, result=result, notes="Đạt")


@pytest.fixture
def login(client):
    """Sign a user in on the test client and return it."""
    def _login(user):
        client.force_login(user)
        return client
    return _login


def reported_with_actions(started, cast, org):
    """An audit reported with one major, one minor, one observation; actions open."""
    major = record(started, cast, org, grade="major", statement="Không kiểm soát hồ sơ trễ hạn.")
    minor = record(started, cast, org, grade="minor", statement="Biểu mẫu cũ vẫn được dùng.")
    record(started, cast, org, grade="observation", statement="Sổ rủi ro chưa cập nhật.", number="6.1")
    answer_all(started, cast["auditor2"])
    services.audit_report_issue(audit=started, actor=cast["auditor"], password=PASSWORD)
    return major, minor


def close_action(action, cast):
    services.corrective_action_answer(
        action=action, actor=cast["officer"], correction="Đã sửa.",
        root_cause="Chưa hướng dẫn công chức.", action_plan="Tập huấn và kiểm tra hằng tuần.",
    )
    return services.corrective_action_verify(
        action=action, actor=cast["auditor2"], effective=True, note="Kiểm tra 10 hồ sơ: đạt."
    )


def shown_sha256(client, audit) -> str:
    """The report content hash the audit page's issue form carries (as a browser posts it)."""
    import re

    from django.urls import reverse

    page = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    found = re.search(r'name="content_sha256" value="([0-9a-f]{64})"', page)
    assert found, "the issue form carries no content hash"
    return found.group(1)
