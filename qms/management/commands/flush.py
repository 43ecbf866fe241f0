"""Django's `flush`, allowed past the append-only triggers (issue 11).

On SQLite, flushing deletes rows one table at a time, which the triggers refuse;
this command (and `restore`) alone turns them off, inside its own transaction.
PostgreSQL's flush truncates, which row triggers do not see.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from qms.append_only import bypassed


class Command(FlushCommand):
    def handle(self, **options):
        database = options.get("database") or DEFAULT_DB_ALIAS
        with transaction.atomic(using=database), bypassed(connections[database]):
            return super().handle(**options)
