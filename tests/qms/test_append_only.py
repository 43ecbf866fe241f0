"""Issue 11, points 10–11: the tamper attempts, each refused by the database itself
(run on SQLite and, with DATABASE_URL, on PostgreSQL)."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from procedures import services
from procedures.models import AccessLog, Attachment, ProcedureVersion, Signature, State
from tests.factories import effective

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(people):
    return effective(author=people["officer"], approver=people["approver"], code="QT-T-01",
                     body="Nội dung đã ban hành")


def refused(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def test_the_body_of_an_effective_version_cannot_be_updated(version):
    refused(lambda: ProcedureVersion.objects.filter(pk=version.pk).update(body="Tráo"))
    refused(lambda: ProcedureVersion.objects.filter(pk=version.pk).update(title="Tráo"))
    with connection.cursor() as cursor:
        refused(lambda: cursor.execute(
            "UPDATE procedures_procedureversion SET body = 'x' WHERE id = %s", [version.pk]))
    assert ProcedureVersion.objects.get(pk=version.pk).body == "Nội dung đã ban hành"


def test_an_effective_version_cannot_go_back_to_draft(version):
    version.state = State.DRAFT
    refused(lambda: ProcedureVersion.save(version))
    refused(lambda: ProcedureVersion.objects.filter(pk=version.pk).update(state=State.DRAFT))
    refused(lambda: ProcedureVersion.objects.filter(pk=version.pk)._raw_delete(connection.alias))
    assert ProcedureVersion.objects.get(pk=version.pk).state == State.EFFECTIVE


def test_the_state_moves_forward_and_the_services_still_work(people, version):
    draft2 = services.version_start_revision(procedure=version.procedure, actor=people["officer"])
    from tests.factories import approve, make_effective
    make_effective(approve(draft2, approver=people["approver"]), actor=people["officer"])
    assert ProcedureVersion.objects.get(pk=version.pk).state == State.SUPERSEDED
    refused(lambda: ProcedureVersion.objects.filter(pk=version.pk).update(state=State.EFFECTIVE))


def test_signatures_cannot_be_changed_or_deleted(version):
    signature = version.signatures.first()
    refused(lambda: Signature.objects.filter(pk=signature.pk).update(content_sha256="0" * 64))
    refused(lambda: Signature.objects.filter(pk=signature.pk)._raw_delete(connection.alias))
    signature.signer_name = "Người khác"
    refused(lambda: Signature.objects.bulk_update([signature], ["signer_name"]))


def test_an_access_log_row_cannot_be_edited(people, version):
    services.access_record(version=version, actor=people["staff"], action=AccessLog.Action.VIEW)
    row = AccessLog.objects.latest("pk")
    refused(lambda: AccessLog.objects.filter(pk=row.pk).update(action=AccessLog.Action.PRINT))
    refused(lambda: AccessLog.objects.filter(pk=row.pk)._raw_delete(connection.alias))


def test_an_attachment_cannot_be_added_to_an_effective_version(people, version):
    refused(lambda: Attachment.objects.create(
        version=version, original_name="them.pdf", sha256="0" * 64, size=1,
        content_type="application/pdf", uploaded_by=people["officer"],
        file="attachments/x.pdf"))
    assert not Attachment.objects.filter(version=version).exists()


def test_history_rows_cannot_be_deleted_or_changed(version):
    history = ProcedureVersion.history.model
    refused(lambda: history.objects.filter(id=version.pk)._raw_delete(connection.alias))
    refused(lambda: history.objects.filter(id=version.pk).update(body="Tráo"))
    with connection.cursor() as cursor:
        refused(lambda: cursor.execute(
            "DELETE FROM procedures_historicalprocedureversion WHERE id = %s", [version.pk]))
    assert history.objects.filter(id=version.pk).count() > 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_still_empties_the_tables(version):
    # Transactional tests are torn down by the same flush (PostgreSQL truncates,
    # which row triggers do not see; SQLite deletes, past the triggers by `bypassed`).
    call_command("flush", interactive=False, verbosity=0)
    assert not ProcedureVersion.objects.exists()
    assert not Signature.objects.exists()
    assert not ProcedureVersion.history.exists()
