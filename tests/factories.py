"""Test data, built through the services as the application builds it."""

import itertools

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from procedures import services
from qms import roles
from qms.models import Edition, OrgUnit, User

PASSWORD = "Mat-khau-9001"
_codes = itertools.count(1)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit{n}")
    name = factory.Sequence(lambda n: f"Phòng {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Văn"
    last_name = factory.Sequence(lambda n: f"Nguyễn {n}")
    department = factory.SubFactory(OrgUnitFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()


def edition(year: int) -> Edition:
    return Edition.objects.get(year=year)


def draft(*, author, code=None, department=None, body="Nội dung quy trình.", clauses=("4.2.3",),
          year=2008, **kwargs):
    """A procedure with revision 1 as a draft, created by `author` (an officer)."""
    return services.procedure_create(
        actor=author,
        code=code or f"QT-T-{next(_codes):03d}",
        title=kwargs.pop("title", "Quy trình kiểm soát tài liệu"),
        department=department or author.department,
        edition=edition(year),
        body=body,
        clause_numbers=clauses,
        **kwargs,
    )


DECISION = "1/QĐ-UBND"


def default_reviewer(version, *, exclude=()):
    """The first person allowed to review the version (not the author, not in
    `exclude`); when nobody is, a new quality officer of its department."""
    from procedures import selectors

    excluded = {person.pk for person in exclude}
    for person in selectors.eligible_reviewers(version=version):
        if person.pk not in excluded:
            return person
    reviewer = UserFactory(role=roles.QUALITY_OFFICER, department=version.procedure.department)
    services.user_sync_permissions(user=reviewer)
    return reviewer


def submit(version, *, approver, reviewers=None, actor=None):
    """Submit a draft to named reviewers (one allowed reviewer by default) and an approver."""
    if reviewers is None:
        reviewers = [default_reviewer(version, exclude=[approver])]
    return services.version_submit(
        version=version, actor=actor or version.author, reviewers=reviewers, approver=approver
    )


def approve(version, *, approver, reviewers=None):
    """Submit a draft (unless it is under review), have every named reviewer of the
    round sign, then the approver. Returns the version, approved."""
    from procedures.models import ProcedureVersion, ReviewAssignment, State

    version = ProcedureVersion.objects.get(pk=version.pk)
    if version.state == State.DRAFT:
        version = submit(version, approver=approver, reviewers=reviewers)
    pending = version.assignments.filter(
        round=version.submission_round, role=ReviewAssignment.Role.REVIEWER,
        status=ReviewAssignment.Status.PENDING,
    ).select_related("person")
    for assignment in pending:
        services.version_review(version=version, actor=assignment.person, password=PASSWORD)
    services.version_approve(version=version, actor=approver, password=PASSWORD)
    return ProcedureVersion.objects.get(pk=version.pk)


def make_effective(version, *, actor, effective_from=None, decision_number=DECISION,
                   decision_date=None):
    """Issue an approved version by a decision dated the day it takes effect (today
    at the latest)."""
    today = timezone.localdate()
    decision_date = decision_date or min(effective_from or today, today)
    return services.version_make_effective(
        version=version,
        actor=actor,
        effective_from=effective_from,
        decision_number=decision_number,
        decision_date=decision_date,
        backdate=bool(effective_from and effective_from < today),
    )


def effective(*, author, approver, effective_from=None, reviewers=None, **kwargs):
    """A procedure whose revision 1 is effective (reviewed, approved, issued)."""
    version = draft(author=author, **kwargs)
    approve(version, approver=approver, reviewers=reviewers)
    return make_effective(version, actor=author, effective_from=effective_from)


def role_user(role, department, **kwargs):
    return UserFactory(role=role, department=department, **kwargs)


__all__ = ["DECISION", "PASSWORD", "OrgUnitFactory", "UserFactory", "approve", "default_reviewer",
           "draft", "edition", "effective", "make_effective", "role_user", "roles", "submit"]
