"""An optional read replica, for the reads that may lag the primary by a moment:
search and reports. Installed only when DATABASE_REPLICA_URL is set
(qms/settings/base.py).

Nothing is sent to the replica unless the code asks for it:

    with replica_reads():
        rows = list(selectors.search(...))

A person who has just saved a version must see it on the next page, and a replica
applies the primary's changes a little later; so every other read, every write and
every locked read (select_for_update) stays on the primary.
"""

import contextvars
from contextlib import contextmanager

from django.db import connections

REPLICA = "replica"
_on_replica = contextvars.ContextVar("qms_replica_reads", default=False)


@contextmanager
def replica_reads():
    """Within this block, plain reads go to the replica when one is configured."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and REPLICA in connections.settings:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica copies the primary's schema; migrations run on the primary only.
        return db != REPLICA
