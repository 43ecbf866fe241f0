"""seed_demo builds the 2026 audit programme through the services, once."""

import pytest
from django.core.management import call_command

from audits import selectors
from audits.models import Audit, AuditProgramme, AuditReport, CorrectiveAction, Finding
from qms.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--password", "pw-demo-2026")


def test_demo_programme_has_audits_findings_of_every_grade_and_actions_in_several_states(demo):
    programme = AuditProgramme.objects.get(year=2026)
    audits = programme.audits.order_by("number")
    assert audits.count() >= 2
    assert set(audits.values_list("state", flat=True)) >= {"closed", "reported", "planned"}
    assert set(Finding.objects.values_list("grade", flat=True)) == {
        "major", "minor", "observation", "opportunity"}
    assert set(CorrectiveAction.objects.values_list("state", flat=True)) == {"open", "answered", "closed"}
    assert all(any(ch in f.statement for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữự")
               for f in Finding.objects.all())
    closed = audits.get(state="closed")
    assert list(closed.reports.order_by("revision").values_list("number", flat=True)) == [
        "BC-ĐG-2026-01 / lần 1", "BC-ĐG-2026-01 / lần 2"]
    assert Finding.history.filter(history_user__username="auditor").exists()


def test_demo_overdue_action_is_on_the_dashboards(demo):
    for username in ("auditor", "auditor2", "officer_qldt", "staff_qldt"):
        panel = selectors.dashboard(user=User.objects.get(username=username))
        assert panel["overdue"], username
    assert selectors.dashboard(user=User.objects.get(username="staff")) is None
    assert not selectors.audit_list(user=User.objects.get(username="staff")).exists()


def test_demo_audits_are_created_once(demo):
    counts = (Audit.objects.count(), Finding.objects.count(), AuditReport.objects.count(),
              Audit.history.count())
    call_command("seed_demo", "--password", "pw-demo-2026")
    assert counts == (Audit.objects.count(), Finding.objects.count(), AuditReport.objects.count(),
                      Audit.history.count())


def test_demo_shows_a_second_attempt_a_revised_finding_and_signed_reports(demo):
    from audits.models import ActionAttempt, AuditSignature, FindingRevision

    closed = Audit.objects.get(programme__year=2026, state="closed")
    major = closed.findings.get(grade="major")
    assert list(major.action.attempts.order_by("number").values_list("number", "result")) == [
        (1, "not_effective"), (2, "effective")]
    revised = closed.findings.get(grade="minor")
    assert revised.revision == 2 and revised.revisions.get().revision == 1
    assert ActionAttempt.objects.filter(result="pending").exists()  # the reported audit's answered action
    # Every issued report carries the lead auditor's signature over its very file.
    reports = AuditReport.objects.select_related("signature", "audit")
    assert reports.count() == AuditSignature.objects.count() == 3
    for report in reports:
        assert report.signature.signer_id == report.audit.lead_auditor_id
        assert report.signature.pdf_sha256 == report.sha256
    assert FindingRevision.objects.count() == 1
