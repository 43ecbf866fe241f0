"""Schemathesis drives the API from its own OpenAPI schema, in process through the
WSGI application, on a small seeded database with a superuser's token (who sees
every object, so every code path with data is reached): no server error, and no
status code, content type, header or body that contradicts the schema.

Kept short for `make test`: a few examples per operation (MAX_EXAMPLES)."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from audits import services as audit_services
from qms.models import Clause
from qms.wsgi import application
from service_quality import services as sq_services
from tests.factories import effective

MAX_EXAMPLES = 12
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def api_token(people, org):
    """Two effective procedures, an audit with a finding and its action, a month of
    dossier figures; the token of the superuser."""
    officer, approver, auditor = people["officer"], people["approver"], people["auditor"]
    effective(author=officer, approver=approver, code="QT-TNMT-01", title="Quy trình đăng ký đất đai",
              clauses=("7.5.3",), year=2015)
    effective(author=people["officer_b"], approver=approver, code="QT-QLDT-01",
              title="Quy trình cấp phép xây dựng")
    programme = audit_services.programme_create(actor=auditor, year=2026)
    audit = audit_services.audit_create(
        actor=auditor, programme=programme, title="Đánh giá Phòng Tài nguyên và Môi trường",
        departments=[org["a"]], planned_start=datetime.date(2026, 3, 10),
        planned_end=datetime.date(2026, 3, 12), lead_auditor=auditor, team=[],
        clause_numbers=["7.5.3"], procedures=[])
    audit_services.audit_start(audit=audit, actor=auditor)
    audit_services.finding_record(
        audit=audit, actor=auditor, grade="minor", statement="Biểu mẫu cũ vẫn được dùng.",
        clause=Clause.objects.get(edition__year=2015, number="7.5.3"), department=org["a"],
        evidence="3 hồ sơ.", action_owner=people["staff"], action_due=datetime.date(2026, 4, 30))
    field = sq_services.field_create(actor=people["admin"], code="dat-dai", name="Đất đai",
                                     department=org["a"])
    sq_services.stat_save(actor=people["admin"], department=org["a"], field=field, year=2026, month=1,
                          counts={"carried_over": 0, "received": 10, "received_online_l3": 2,
                                  "received_online_l4": 1, "resolved_early": 5, "resolved_on_time": 3,
                                  "resolved_late": 1, "pending_in_time": 1, "pending_overdue": 0,
                                  "apologies": 1})
    return Token.objects.create(user=people["admin"]).key


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection when a request ends, which
    would end the test's transaction (on PostgreSQL); Django's test client keeps it
    open the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_api_keeps_its_schema(api_token, connection_kept):
    # Each operation's cases come from its strategy (schemathesis' pytest plugin,
    # `from_fixture`, does not run under pytest 9 yet).
    auth = {"Authorization": "Token " + api_token}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=auth, checks=CHECKS)

        check()
