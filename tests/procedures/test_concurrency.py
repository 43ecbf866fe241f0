"""Two people make two versions of one procedure effective at the same moment."""

import threading

import pytest
from django.db import connection

from procedures import services
from procedures.exceptions import ProcedureError
from procedures.models import ProcedureVersion, State
from tests.factories import approve, effective, make_effective

# serialized_rollback: the flush after a transactional test would also empty the
# tables that the data migrations fill (clauses, roles); this restores them.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.postgres]


def _approved_revision(first, people, body):
    """Revision N+1 approved next to the effective one; the set-up goes through the
    services, then a second open revision is made by copying (the services allow
    only one open revision at a time, a state this race must survive anyway)."""
    version = services.version_start_revision(procedure=first.procedure, actor=people["officer"])
    services.version_update(version=version, actor=people["officer"], body=body)
    approve(version, approver=people["approver"])
    return version


def test_exactly_one_of_two_concurrent_activations_wins(on_postgres, people):
    first = effective(author=people["officer"], approver=people["approver"])
    second = _approved_revision(first, people, "Lần 2")
    # A third approved revision beside the second, as a slow second editor would leave it.
    third = ProcedureVersion.objects.get(pk=second.pk)
    third.pk = None
    third.revision = 3
    third.body = "Lần 3"
    ProcedureVersion.objects.bulk_create([third])

    barrier = threading.Barrier(2)
    outcomes = {}

    def activate(version):
        try:
            barrier.wait(timeout=10)
            make_effective(version, actor=people["officer2"])
            outcomes[version.revision] = "effective"
        except ProcedureError as error:
            outcomes[version.revision] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=activate, args=(v,)) for v in (second, third)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    effective_now = list(
        ProcedureVersion.objects.filter(procedure=first.procedure, state=State.EFFECTIVE)
    )
    assert len(effective_now) == 1
    winner = effective_now[0].revision
    loser = ({2, 3} - {winner}).pop()
    assert outcomes[winner] == "effective"
    assert outcomes[loser] == (
        "Một phiên bản khác của tài liệu này vừa được ban hành, nên phiên bản này "
        "không còn dựa trên bản hiện hành. Hãy tạo lần ban hành mới."
    )
    states = dict(ProcedureVersion.objects.filter(procedure=first.procedure).values_list("revision", "state"))
    assert states[1] == State.SUPERSEDED
    assert states[loser] == State.APPROVED  # nothing lost: it can be made effective later
