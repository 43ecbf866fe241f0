"""Issue 11, point 10: two writers of the same object do not fork its history chain
(PostgreSQL: the advisory lock taken before reading the newest row)."""

import threading

import pytest
from django.db import connection, transaction

from qms.history_check import check_chains
from qms.models import OrgUnit

# Transactional: each writer commits on its own connection. serialized_rollback puts
# back what the data migrations loaded (roles, clauses) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _writer(unit_pk, name, inserted, release, done, errors):
    try:
        with transaction.atomic():
            unit = OrgUnit.objects.get(pk=unit_pk)
            unit.name = name
            # A history row with no UPDATE of the unit's row (which would lock it):
            # only the chain's own lock keeps the two writers apart.
            OrgUnit.history.bulk_history_create([unit], update=True)
            inserted.set()
            release.wait(10)
        done.set()
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
        inserted.set()
        done.set()
    finally:
        connection.close()


def test_two_writers_of_one_object_do_not_fork_its_chain(on_postgres):
    unit = OrgUnit.objects.create(code="song-song", name="Đơn vị")
    events = {n: threading.Event() for n in ("a_in", "a_go", "a_done", "b_in", "b_go", "b_done")}
    errors = []
    first = threading.Thread(target=_writer, args=(
        unit.pk, "Tên A", events["a_in"], events["a_go"], events["a_done"], errors))
    second = threading.Thread(target=_writer, args=(
        unit.pk, "Tên B", events["b_in"], events["b_go"], events["b_done"], errors))
    events["b_go"].set()
    first.start()
    assert events["a_in"].wait(10)
    second.start()
    # B waits for A's lock: it has written nothing while A's transaction is open.
    assert not events["b_in"].wait(1.0)
    events["a_go"].set()
    first.join(10)
    second.join(10)
    assert errors == []
    rows = list(OrgUnit.history.filter(id=unit.pk).order_by("history_id"))
    assert [r.name for r in rows] == ["Đơn vị", "Tên A", "Tên B"]
    assert rows[2].prev_hash == rows[1].row_hash and rows[1].prev_hash == rows[0].row_hash
    assert list(check_chains(models=[OrgUnit.history.model])) == []
