"""Every form of the project validates any input without raising (issue 11, point 15).

The list of forms is generated: every module of the project's apps is imported and
every Form / ModelForm subclass defined there is collected, so that a new form is
tested as soon as it exists. A form whose constructor needs arguments gets them from
CONSTRUCTOR_KWARGS (keyed by the class's dotted name); one without fields to test is
named in EXCLUDED with the reason. A new form that fits neither fails
`test_every_form_is_covered`.

For each form, hypothesis draws what may be posted for each of its fields
(tests/hostile/strategies.py): `is_valid()` answers True or False with errors,
never raises, and validating writes nothing to the database.
"""

import datetime
import importlib
import pkgutil
from functools import cached_property

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.datastructures import MultiValueDict
from hypothesis import given

from procedures.models import ProcedureVersion
from tests.factories import draft, effective

from .strategies import PROPERTY, form_input, is_file_field, valid_choices

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("qms", "procedures", "audits", "edition_migration", "service_quality", "portal")
# Not imported: settings (read by Django already; production reads the environment),
# the WSGI/ASGI entry points, migrations (no forms, slow to import).
SKIPPED_MODULES = (".settings", ".migrations", ".wsgi", ".asgi")


def _project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=app + "."):
            if not any(part in info.name for part in SKIPPED_MODULES):
                yield importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_forms() -> dict[str, type]:
    """Every form class defined in a module of the project's apps, by dotted name."""
    list(_project_modules())
    found = {}
    for cls in _subclasses(forms.BaseForm):
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return dict(sorted(found.items()))


FORMS = project_forms()

EXCLUDED = {
    "procedures.forms.Form": "the app's base class (label suffix only): no field of its own",
    "procedures.reading_forms.Form": "the module's base class (label suffix only): no field of its own",
}


class World:
    """The objects a form's constructor may need, made on first use."""

    def __init__(self, people, org):
        self.people, self.org = people, org

    @cached_property
    def audit(self):
        from audits import services

        programme = services.programme_create(actor=self.people["auditor"], year=2026)
        audit = services.audit_create(
            actor=self.people["auditor"], programme=programme, title="Đánh giá thử",
            departments=[self.org["a"]], planned_start=datetime.date(2026, 3, 2),
            planned_end=datetime.date(2026, 3, 6), lead_auditor=self.people["auditor"],
            team=[], clause_numbers=["7.5.3", "8.5.1"], procedures=[self.effective.procedure],
        )
        return services.audit_start(audit=audit, actor=self.people["auditor"])

    @cached_property
    def effective(self):
        return effective(author=self.people["officer"], approver=self.people["approver"],
                         code="QT-HOSTILE-01", year=2015, clauses=("7.5.3",))

    @cached_property
    def draft(self):
        return draft(author=self.people["officer"], code="QT-HOSTILE-02")

    def finding_kwargs(self):
        return {
            "audit": self.audit,
            "departments": self.audit.departments.order_by("name"),
            "versions": ProcedureVersion.objects.filter(state="effective"),
            "owners": get_user_model().objects.filter(is_active=True),
        }


# Constructor arguments by form: a list of variants, each a function of the World.
CONSTRUCTOR_KWARGS = {
    "audits.forms.FindingForm": [World.finding_kwargs],
    "audits.forms.FindingEditForm": [World.finding_kwargs],
    "procedures.forms.ProcedureCreateForm": [lambda w: {"user": w.people["officer"]},
                                             lambda w: {"user": w.people["admin"]}],
    "procedures.forms.SubmitForm": [lambda w: {"version": w.draft}],
    "procedures.forms.DiffForm": [lambda w: {"revisions": [1, 2, 3]}],
    "procedures.reading_forms.AccessLogFilterForm": [
        lambda w: {"people": get_user_model().objects.all(), "revisions": [1, 2]}],
    "edition_migration.forms.RunForm": [lambda w: {"codes": ["QT-01", "QT-02"]},
                                        lambda w: {}],
    "service_quality.forms.StatForm": [lambda w: {}, lambda w: {"unit_ids": [w.org["a"].pk]},
                                       lambda w: {"locked": True}],
    "service_quality.forms.SurveyForm": [lambda w: {}, lambda w: {"unit_ids": [w.org["a"].pk]}],
    "service_quality.forms.ObjectiveForm": [lambda w: {}, lambda w: {"editing": True}],
    "service_quality.forms.ReviewForm": [lambda w: {}, lambda w: {"editing": True}],
    "service_quality.forms.RaiseForm": [lambda w: {}, lambda w: {"department": w.org["a"]}],
}

CASES = [(name, i) for name in FORMS if name not in EXCLUDED
         for i in range(len(CONSTRUCTOR_KWARGS.get(name, [None])))]


def test_every_form_is_covered():
    """The generated list is the project's forms (not an empty walk), each excluded
    or kwargs-keyed name is a real form, and every other form builds without
    arguments (or the test below would fail for it with a TypeError)."""
    assert len(FORMS) >= 40
    for known in ("audits.forms.ReportIssueForm", "procedures.forms.SignForm",
                  "edition_migration.forms.ImportForm", "service_quality.forms.StatForm",
                  "qms.forms.NotificationPreferenceForm", "procedures.reading_forms.DepartmentFilterForm"):
        assert known in FORMS
    assert set(EXCLUDED) <= set(FORMS) and set(CONSTRUCTOR_KWARGS) <= set(FORMS)
    assert not set(EXCLUDED) & set(CONSTRUCTOR_KWARGS)
    for name, cls in FORMS.items():
        if name not in EXCLUDED and name not in CONSTRUCTOR_KWARGS:
            try:
                cls()
            except TypeError as error:
                pytest.fail(f"{name} needs constructor arguments: add it to CONSTRUCTOR_KWARGS "
                            f"or EXCLUDED ({error})")


def _bound(cls, kwargs, data, files):
    post = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
    uploads = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in files.items()})
    return cls(data=post, files=uploads, **kwargs)


@pytest.mark.parametrize("name, variant", CASES, ids=[f"{n.rsplit('.', 1)[1]}-{i}" for n, i in CASES])
def test_form_validates_any_input_without_raising(name, variant, people, org):
    cls = FORMS[name]
    world = World(people, org)
    kwargs = CONSTRUCTOR_KWARGS[name][variant](world) if name in CONSTRUCTOR_KWARGS else {}
    fields = cls(**kwargs).fields
    assert fields, f"{name} has no field: name it in EXCLUDED with the reason"
    choices = {n: valid_choices(f) for n, f in fields.items() if not is_file_field(f)}

    @PROPERTY
    @given(post=form_input(fields, choices))
    def check(post):
        form = _bound(cls, kwargs, *post)
        with CaptureQueriesContext(connection) as queries:
            valid = form.is_valid()
        if not valid:
            assert form.errors  # a refusal says why
            assert all(str(m) for errors in form.errors.values() for m in errors)
        writes = [q["sql"] for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert not writes, f"validating {name} wrote to the database"
    check()
