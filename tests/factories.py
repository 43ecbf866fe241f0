"""Test data, built through the services as the application builds it."""

import datetime
import itertools

import factory
from django.contrib.auth.models import Group

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


def effective(*, author, approver, effective_from=None, **kwargs):
    """A procedure whose revision 1 is effective."""
    version = draft(author=author, **kwargs)
    services.version_submit(version=version, actor=author)
    services.version_approve(version=version, actor=approver, password=PASSWORD)
    return services.version_make_effective(
        version=version,
        actor=author,
        effective_from=effective_from,
        backdate=bool(effective_from and effective_from < datetime.date.today()),
    )


def role_user(role, department, **kwargs):
    return UserFactory(role=role, department=department, **kwargs)


__all__ = ["PASSWORD", "OrgUnitFactory", "UserFactory", "draft", "effective", "edition",
           "role_user", "roles"]
