"""What document control freezes: no path edits an approved version or deletes a record."""

import pytest
from django.db import IntegrityError, transaction

from procedures import services
from procedures.exceptions import ControlledRecordError
from procedures.models import Acknowledgement, Procedure, ProcedureVersion, State
from qms.models import Clause
from tests.factories import approve, draft, effective

pytestmark = pytest.mark.django_db


def test_database_holds_one_effective_version_per_procedure(people):
    first = effective(author=people["officer"], approver=people["approver"])
    second = services.version_start_revision(procedure=first.procedure, actor=people["officer"])
    # Bypass the services: the partial unique index still refuses.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureVersion.objects.filter(pk=second.pk).update(state=State.EFFECTIVE)


@pytest.mark.parametrize("field,value", [("body", "sửa lén"), ("change_summary", "x"), ("revision", 9)])
def test_model_save_refuses_to_change_an_effective_version(people, field, value):
    version = effective(author=people["officer"], approver=people["approver"])
    setattr(version, field, value)
    with pytest.raises(ControlledRecordError) as excinfo:
        version.save()
    assert excinfo.value.messages == ["Phiên bản đã phê duyệt không được sửa; hãy tạo lần ban hành mới."]
    assert ProcedureVersion.objects.get(pk=version.pk).body == "Nội dung quy trình."


def test_clause_references_of_an_approved_version_are_frozen(people):
    version = draft(author=people["officer"])
    approve(version, approver=people["approver"])
    with pytest.raises(ControlledRecordError), transaction.atomic():
        version.clauses.add(Clause.objects.get(edition__year=2008, number="8.2.2"))
    assert [c.number for c in version.clauses.all()] == ["4.2.3"]


def test_state_changes_of_a_frozen_version_are_allowed(people):
    version = effective(author=people["officer"], approver=people["approver"])
    services.version_withdraw(version=version, actor=people["officer"], reason="Bãi bỏ")
    assert ProcedureVersion.objects.get(pk=version.pk).state == State.OBSOLETE


def test_nothing_controlled_is_deleted(people):
    version = effective(author=people["officer"], approver=people["approver"])
    for action in (
        version.delete,
        version.procedure.delete,
        ProcedureVersion.objects.all().delete,
        Procedure.objects.all().delete,
        version.signatures.first().delete,
        Acknowledgement.objects.create(version=version, user=people["staff"]).delete,
    ):
        with pytest.raises(ControlledRecordError):
            action()
    assert ProcedureVersion.objects.filter(pk=version.pk).exists()
