"""Backup and restore of a whole installation (issue 11, point 14): the database as
one consistent snapshot and every stored file with its SHA-256, in one zip archive
(layout: qms/backup/archive.py; writing: write.py; restoring: restore.py; what is in
it: tables.py).

Entry points: `backup_write(path=…)` and `restore_read(path=…)`, used by the
`backup` and `restore` management commands.
"""

from .restore import RestoreResult, restore_read
from .write import BackupResult, backup_write

__all__ = ["BackupResult", "RestoreResult", "backup_write", "restore_read"]
