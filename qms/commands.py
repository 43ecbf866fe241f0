"""What every management command shares: checking an output path before any work."""

import os
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def output_path(value: str) -> Path:
    """The file a command will write, checked before the command changes anything:
    not a folder, its folder exists and may be written, the file itself (when it
    exists) may be overwritten. Refuses with a CommandError that names the path."""
    target = Path(value)
    if not value or value.endswith(("/", os.sep)) or target.is_dir():
        raise CommandError(_("%(path)s là một thư mục: hãy nêu tên tệp cần ghi.") % {"path": value})
    folder = target.parent
    if not folder.is_dir():
        raise CommandError(_("Thư mục %(dir)s không tồn tại.") % {"dir": folder})
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise CommandError(_("Không ghi được vào %(path)s (không có quyền ghi).") % {"path": value})
    return target


def write_output(target: Path, content: bytes) -> None:
    try:
        target.write_bytes(content)
    except OSError as error:
        raise CommandError(_("Không ghi được tệp %(path)s: %(reason)s") % {
            "path": target, "reason": error.strerror}) from None
