"""Issue 11, point 11: an issued report and a closed audit's findings stay as they are."""

import pytest
from django.db import IntegrityError, connection, transaction

from audits import services
from audits.exceptions import AuditError, AuditRecordError
from audits.models import AuditReport, Finding
from tests.factories import PASSWORD

from .conftest import close_action, record, reported_with_actions

pytestmark = pytest.mark.django_db


def test_an_issued_report_cannot_be_updated_or_deleted(started, cast, org):
    reported_with_actions(started, cast, org)
    report = AuditReport.objects.get()
    for attempt in (
        lambda: AuditReport.objects.update(note="Tráo"),
        lambda: AuditReport.objects.filter(pk=report.pk).update(sha256="0" * 64),
        lambda: AuditReport.objects.all()._raw_delete(connection.alias),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    assert AuditReport.objects.get().sha256 == report.sha256


def test_a_finding_of_a_closed_audit_cannot_be_saved(started, cast, org):
    major, minor = reported_with_actions(started, cast, org)
    close_action(major.action, cast)
    close_action(minor.action, cast)
    services.audit_close(audit=started, actor=cast["auditor"])
    finding = Finding.objects.get(pk=major.pk)
    finding.statement = "Tráo"
    with pytest.raises(AuditRecordError):
        finding.save()
    with pytest.raises(AuditError):
        record(started, cast, org, statement="Phát hiện thêm sau khi kết thúc.")
    assert Finding.objects.get(pk=major.pk).statement == major.statement
    # The report of the closed audit can still be issued.
    services.audit_report_issue(audit=started, actor=cast["auditor"], password=PASSWORD)
