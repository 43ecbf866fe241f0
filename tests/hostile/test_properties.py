"""Property-based tests (hypothesis): whatever is typed into a form or given to a
command, the answer is a page or a CommandError — never a server error or a
traceback — and a refusal changes nothing.

Every form class on its own: test_form_properties.py (the list is generated); the
other create and action pages: test_view_properties.py."""

import io
import string

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits.models import Audit, AuditProgramme, Finding
from procedures.models import Procedure, ProcedureVersion

from .strategies import NASTY, TEXT

pytestmark = pytest.mark.django_db
PROPERTY = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def test_register_form_any_post_is_a_page_and_a_refusal_saves_nothing(client, people):
    client.force_login(people["officer"])
    unit = people["officer"].department_id

    @PROPERTY
    @given(code=TEXT, title=TEXT, body=TEXT, summary=TEXT, period=TEXT)
    def check(code, title, body, summary, period):
        before = (Procedure.objects.count(), ProcedureVersion.objects.count())
        response = client.post(reverse("procedures:create"), {
            "code": code, "title": title, "kind": "procedure", "department": unit, "edition": 2,
            "body": body, "change_summary": summary, "review_period_months": period})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert (Procedure.objects.count(), ProcedureVersion.objects.count()) == before
        assert client.get(reverse("procedures:register")).status_code == 200
    check()


def test_audit_forms_any_post_is_a_page_and_a_refusal_saves_nothing(client, people, org):
    from audits import services

    services.programme_create(actor=people["auditor"], year=2026)
    client.force_login(people["auditor"])

    @PROPERTY
    @given(title=TEXT, start=TEXT, end=TEXT, clauses=TEXT, year=TEXT)
    def check(title, start, end, clauses, year):
        before = (Audit.objects.count(), AuditProgramme.objects.count(), Finding.objects.count())
        plan = client.post(reverse("audits:audit_create", args=[2026]), {
            "title": title, "departments": [org["a"].pk], "clause_numbers": clauses,
            "planned_start": start, "planned_end": end, "lead_auditor": people["auditor"].pk})
        programme = client.post(reverse("audits:programme_create"), {"year": year, "title": title})
        assert plan.status_code in (200, 302) and programme.status_code in (200, 302)
        if plan.status_code == 200 and programme.status_code == 200:
            assert (Audit.objects.count(), AuditProgramme.objects.count(),
                    Finding.objects.count()) == before
    check()


# ---------------------------------------------------------------- commands

PROJECT_APPS = {"audits", "edition_migration", "portal", "procedures", "qms", "service_quality"}
COMMANDS = sorted(name for name, app in get_commands().items()
                  if app in PROJECT_APPS and name not in ("compiletranslations",))


def _options(name):
    from django.core.management import load_command_class

    parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
    return sorted(o for action in parser._actions for o in action.option_strings
                  if o not in ("-h", "--help", "--version", "--settings", "--pythonpath",
                               "--traceback", "--no-color", "--force-color", "--skip-checks"))


def _atoms(name):
    paths = st.sampled_from(["/dev/zero", "/missing/x.pdf", "/tmp/", "/tmp", "/etc/passwd", "-",
                             "/proc/self/mem", "x.pdf", "."])
    words = st.text(alphabet=string.printable + "ĐđệỘ\u202e", max_size=30)
    return st.one_of(st.sampled_from(_options(name) or ["--x"]), paths, NASTY.filter(
        lambda s: len(s) < 1000), words, st.integers(-10**20, 10**20).map(str))


@pytest.mark.parametrize("name", COMMANDS)
def test_commands_answer_bad_arguments_with_a_command_error(name, people, monkeypatch, tmp_path):
    import getpass

    def no_terminal(prompt=""):
        raise EOFError

    monkeypatch.setattr(getpass, "getpass", no_terminal)
    monkeypatch.chdir(tmp_path)

    @PROPERTY
    @given(args=st.lists(_atoms(name), min_size=1, max_size=5))
    def check(args):
        if name == "seed_demo" and not any(a not in ("--password",) for a in args[1:]):
            args = [*args, "--no-such-option"]  # a successful seed is not a bad argument
        try:
            call_command(name, *args, stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError:
            pass
    check()
