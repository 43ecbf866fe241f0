"""What the migration's management commands share: the actor and the progress bar.
Their messages are Vietnamese by default, like the screens (gettext, source in Vietnamese)."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm


def add_actor_argument(parser):
    parser.add_argument(
        "--actor",
        metavar="USERNAME",
        help=gettext_lazy("người được ghi trong lịch sử là người thực hiện "
                          "(mặc định: quản trị viên đang hoạt động đầu tiên)"),
    )


def actor_from(username: str | None):
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("Không có người dùng đang hoạt động tên “%(name)s”.") % {"name": username})
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError(_("Không có quản trị viên đang hoạt động: hãy nêu người thực hiện bằng "
                             "--actor USERNAME."))
    return user


def progress_bar(total: int, description: str, stream=None):
    """A tqdm bar on stderr, shown only when stderr is a terminal (stdout stays clean)."""
    stream = stream or sys.stderr
    return tqdm(total=total, desc=description, file=stream, unit="tl",
                disable=not getattr(stream, "isatty", lambda: False)())


def day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def read_regular_file(path: str, *, limit: int) -> bytes:
    """A file's bytes, refused (ValueError with the reason) when it is not a regular file
    (a device such as /dev/zero, a FIFO, a folder) or is larger than `limit`: checked on
    the opened file, then read no further than the limit whatever it claims."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise ValueError(error.strerror) from None
    too_large = _("lớn hơn giới hạn %(limit)s MB") % {"limit": limit // (1024 * 1024)}
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(_("không phải tệp thông thường (thư mục, thiết bị hoặc ống dẫn)"))
        raise ValueError(too_large)
    try:
        with os.fdopen(fd, "rb") as handle:
            content = handle.read(limit + 1)  # /proc files state size 0: the limit holds anyway
    except OSError as error:
        raise ValueError(error.strerror) from None
    if len(content) > limit:
        raise ValueError(too_large)
    return content
