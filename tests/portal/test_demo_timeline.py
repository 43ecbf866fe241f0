"""The demo is consistent in time (issue 10, point 14): each revision was drafted,
reviewed, approved and issued before it took effect; each audit ran in its planned
days and its records follow one another; every date sits in the period the demo
describes (the 2008 register from 2016, the 2026 audit programme) and none is in
the future."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from audits.models import ActionAttempt, Audit, AuditReport, ChecklistItem, Finding
from procedures.models import ProcedureVersion, Signature, State

pytestmark = pytest.mark.django_db

REGISTER_FROM = datetime.date(2016, 1, 1)


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--password", "pw-demo-2026", stdout=io.StringIO())


def day(moment):
    return timezone.localtime(moment).date()


def test_every_issued_revision_was_approved_and_decided_before_it_took_effect(demo):
    issued = ProcedureVersion.objects.filter(effective_from__isnull=False).prefetch_related("signatures")
    assert issued.count() >= 20
    for v in issued:
        name = f"{v.procedure.code} rev {v.revision}"
        assert v.created_at <= v.submitted_at <= v.approved_at, name
        assert day(v.approved_at) <= v.decision_date <= v.effective_from, name
        signatures = [s for s in v.signatures.all() if s.meaning != Signature.Meaning.RETURNED]
        assert signatures, name
        for s in signatures:
            assert v.submitted_at <= s.signed_at <= v.approved_at, name
            assert day(s.signed_at) < v.effective_from, name


def test_a_superseded_revision_gave_way_on_the_day_its_successor_took_effect(demo):
    superseded = ProcedureVersion.objects.filter(state=State.SUPERSEDED)
    assert superseded.exists()
    for old in superseded:
        new = ProcedureVersion.objects.get(based_on=old, state__in=[State.EFFECTIVE, State.SUPERSEDED])
        assert old.effective_from < new.effective_from == day(old.superseded_at)


def test_procedure_dates_sit_in_the_register_period_and_none_is_in_the_future(demo):
    now = timezone.now()
    for v in ProcedureVersion.objects.all():
        for moment in (v.created_at, v.submitted_at, v.approved_at):
            if moment:
                assert REGISTER_FROM <= day(moment) and moment <= now, (v, moment)
        if v.effective_from:
            assert REGISTER_FROM <= v.effective_from <= day(now)


def test_each_audit_ran_in_its_planned_days_and_its_records_follow_in_order(demo):
    started = Audit.objects.filter(started_at__isnull=False)
    assert started.count() >= 2
    for audit in started:
        assert audit.created_at < audit.started_at
        assert audit.planned_start <= day(audit.started_at) <= audit.planned_end, audit
        assert audit.planned_start.year == audit.programme.year == 2026
        for item in ChecklistItem.objects.filter(audit=audit, answered_at__isnull=False):
            assert audit.started_at <= item.answered_at <= audit.reported_at
        for finding in Finding.objects.filter(audit=audit):
            assert audit.started_at <= finding.recorded_at <= audit.reported_at
            assert day(finding.recorded_at) <= audit.planned_end
        reports = list(AuditReport.objects.filter(audit=audit).order_by("issued_at"))
        assert day(reports[0].issued_at) <= audit.planned_end
        attempts = ActionAttempt.objects.filter(action__finding__audit=audit).order_by("answered_at")
        for attempt in attempts:
            assert attempt.answered_at >= audit.reported_at
            if attempt.verified_at:
                assert attempt.verified_at >= attempt.answered_at
        if audit.closed_at:
            assert all(a.verified_at <= audit.closed_at for a in attempts if a.verified_at)
            assert reports[-1].issued_at >= audit.closed_at


def test_no_audit_record_is_in_the_future(demo):
    now = timezone.now()
    for audit in Audit.objects.all():
        for moment in (audit.created_at, audit.started_at, audit.reported_at, audit.closed_at):
            assert moment is None or moment <= now, audit
    assert not Audit.objects.filter(started_at__isnull=False, planned_start__gt=day(now)).exists()


def test_service_quality_records_sit_in_2017_and_2018_in_order(demo):
    from service_quality.models import (
        DossierStat,
        ManagementReview,
        PublishedPeriod,
        SatisfactionSurvey,
    )

    periods = PublishedPeriod.objects.all()
    assert periods.count() == 24
    for period in periods:
        month_end = datetime.date(period.year + period.month // 12, period.month % 12 + 1, 1)
        assert month_end <= day(period.published_at) <= month_end + datetime.timedelta(days=31)
    for stat in DossierStat.objects.all():
        assert day(stat.entered_at).year in (stat.year, stat.year + 1)
    for survey in SatisfactionSurvey.objects.all():
        assert (day(survey.entered_at).year, day(survey.entered_at).month) == (survey.year, survey.month)
    review = ManagementReview.objects.get(year=2017)
    assert day(review.created_at) <= review.meeting_date <= day(review.closed_at)
    assert review.meeting_date.year == 2018

