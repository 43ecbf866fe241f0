"""Any POST to a create or action page is a page, and a refusal saves nothing
(issue 11, point 15): the main create forms of each app, beside the register and
audit-plan ones in test_properties.py.

Each example posts what hypothesis draws for the page's own form fields
(tests/hostile/strategies.py, valid values mixed in so that the services are
reached too). The answer is 200 (the form again) or 302, never a server error;
when the post was refused — the form shown again, or an error message — the rows
the page could have written are as they were, and no stored file was left behind.
"""

import datetime
from pathlib import Path

import pytest
from django.contrib import messages as django_messages
from django.urls import reverse
from hypothesis import given

from audits import forms as audit_forms
from audits.models import ActionAttempt, CorrectiveAction, Finding, FindingAttachment
from edition_migration import forms as migration_forms
from procedures import forms as procedure_forms
from procedures.models import Comment, Procedure, ProcedureVersion, ReviewAssignment, Signature
from procedures.services import content_hash
from qms.models import Job
from service_quality import forms as quality_forms
from service_quality import models as quality_models
from tests.factories import PASSWORD, draft, submit

from .strategies import VIEW_PROPERTY, form_input, is_file_field, valid_choices
from .test_form_properties import World

pytestmark = pytest.mark.django_db


def _stored_files(media_root) -> int:
    return sum(1 for p in Path(media_root).rglob("*") if p.is_file())


def _refused(response) -> bool:
    """The post did nothing by its own account: the form again, or an error message."""
    if response.status_code == 200:
        return True
    queued = getattr(response.wsgi_request, "_messages", None)
    levels = [m.level for m in getattr(queued, "_queued_messages", [])]
    return django_messages.ERROR in levels and django_messages.SUCCESS not in levels


def any_post_is_a_page(client, url, form, snapshot, media_root, *, known=None):
    """Post drawn input for `form`'s fields to `url`; assert the property. `known`:
    right values the form cannot list (the signer's password, the content hash)."""
    fields = dict(form.fields)
    choices = {n: valid_choices(f) for n, f in fields.items() if not is_file_field(f)}
    for name, values in (known or {}).items():
        choices[name] = choices.get(name, []) + values

    @VIEW_PROPERTY
    @given(post=form_input(fields, choices))
    def check(post):
        data, files = post
        before = (snapshot(), _stored_files(media_root))
        response = client.post(url, {**data, **files})
        assert response.status_code in (200, 302), response.status_code
        if _refused(response):
            assert (snapshot(), _stored_files(media_root)) == before
    check()


def counts(*models):
    return lambda: tuple(m.objects.count() for m in models)


# ---------------------------------------------------------------- procedures


def test_procedure_actions_any_post_is_a_page_and_a_refusal_saves_nothing(client, people, media_root):
    version = draft(author=people["officer"])
    url = lambda action: reverse("procedures:version_action",  # noqa: E731
                                 args=[version.procedure.code, version.revision, action])

    def state():
        version.refresh_from_db()
        return (version.state, counts(Signature, Comment, ReviewAssignment, ProcedureVersion)())

    client.force_login(people["officer"])
    any_post_is_a_page(client, url("comment"), procedure_forms.CommentForm(), state, media_root)
    any_post_is_a_page(client, url("submit"), procedure_forms.SubmitForm(version=version), state,
                       media_root)
    # In review: the approver signs, returns (a password each time) or the officer
    # withdraws; most posts are refused, some may go through.
    if version.state == "draft":
        submit(version, approver=people["approver"])
    client.force_login(people["approver"])
    signing = {"password": [PASSWORD], "content_sha256": [content_hash(version)]}
    for action, form in (("approve", procedure_forms.SignForm()),
                         ("return", procedure_forms.ReturnForm())):
        any_post_is_a_page(client, url(action), form, state, media_root, known=signing)
    client.force_login(people["officer"])
    any_post_is_a_page(client, url("make-effective"), procedure_forms.MakeEffectiveForm(), state,
                       media_root)


# ---------------------------------------------------------------- audits


def test_finding_and_action_forms_any_post_is_a_page_and_a_refusal_saves_nothing(
        client, people, org, media_root):
    world = World(people, org)
    audit = world.audit
    snapshot = counts(Finding, CorrectiveAction, ActionAttempt, FindingAttachment)
    client.force_login(people["auditor"])
    any_post_is_a_page(client, reverse("audits:finding_create", args=[audit.pk]),
                       audit_forms.FindingForm(**world.finding_kwargs()), snapshot, media_root)
    from audits import services

    finding = services.finding_record(
        audit=audit, actor=people["auditor"], grade="minor", statement="Thiếu hồ sơ.",
        clause=audit.clauses.first(), department=org["a"], action_owner=people["staff"],
        action_due=datetime.date(2026, 4, 30))
    action = finding.action
    client.force_login(people["officer"])
    any_post_is_a_page(client, reverse("audits:action_answer", args=[action.pk]),
                       audit_forms.ActionAnswerForm(), snapshot, media_root)
    if not action.attempts.exists():
        services.corrective_action_answer(
            action=action, actor=people["officer"], correction="Bổ sung.", root_cause="Chưa rõ.",
            action_plan="Phân công.")
    client.force_login(people["auditor"])
    any_post_is_a_page(client, reverse("audits:action_verify", args=[action.pk]),
                       audit_forms.ActionVerifyForm(), snapshot, media_root)
    any_post_is_a_page(client, reverse("audits:finding_edit", args=[finding.pk]),
                       audit_forms.FindingEditForm(**world.finding_kwargs()),
                       lambda: (snapshot(), Finding.objects.get(pk=finding.pk).statement), media_root)


# ---------------------------------------------------------------- migration and jobs


def test_migration_import_and_run_any_post_is_a_page_and_a_refusal_saves_nothing(
        client, people, media_root):
    draft(author=people["officer"], code="QT-CU-01", year=2008)
    client.force_login(people["officer"])
    snapshot = counts(Procedure, ProcedureVersion, Job)
    any_post_is_a_page(client, reverse("edition_migration:import"), migration_forms.ImportForm(),
                       snapshot, media_root)
    any_post_is_a_page(client, reverse("edition_migration:run"),
                       migration_forms.RunForm(codes=["QT-CU-01", "QT-KHONG-CO"]), snapshot, media_root)


def test_command_jobs_any_post_is_a_page(client, people, media_root):
    """The administrator's "run now" of a daily command: any name in the URL is a page."""
    from hypothesis import strategies as st

    client.force_login(people["admin"])

    @VIEW_PROPERTY
    @given(name=st.one_of(st.sampled_from(["remind_reviews", "x", "migrate", "flush", "-", "a" * 200]),
                          st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True)))
    def check(name):
        before = Job.objects.count()
        response = client.post(reverse("jobs:command_start", args=[name]))
        assert response.status_code in (302, 404)
        if response.status_code == 404:
            assert Job.objects.count() == before
    check()


# ---------------------------------------------------------------- service quality


@pytest.fixture
def sectors(people, org):
    from service_quality import services

    return [services.field_create(actor=people["admin"], code="dat-dai", name="Đất đai",
                                  department=org["a"])]


def test_service_quality_entries_any_post_is_a_page_and_a_refusal_saves_nothing(
        client, people, org, sectors, media_root):
    client.force_login(people["admin"])
    snapshot = counts(quality_models.DossierStat, quality_models.SatisfactionSurvey,
                      quality_models.QualityObjective, quality_models.ManagementReview)
    for page, form in (("figure_new", quality_forms.StatForm()),
                       ("survey_new", quality_forms.SurveyForm()),
                       ("objective_new", quality_forms.ObjectiveForm()),
                       ("review_new", quality_forms.ReviewForm())):
        any_post_is_a_page(client, reverse(f"service_quality:{page}"), form, snapshot, media_root,
                           known={"period": ["2026-03", "2025-12"], "year": ["2026"]})
