"""What the migration's management commands share: the actor and the progress bar."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from tqdm import tqdm


def add_actor_argument(parser):
    parser.add_argument(
        "--actor",
        metavar="USERNAME",
        help="the person recorded in history as having made the change "
        "(default: the first active superuser)",
    )


def actor_from(username: str | None):
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("No active superuser: name the actor with --actor USERNAME.")
    return user


def progress_bar(total: int, description: str, stream=None):
    """A tqdm bar on stderr, shown only when stderr is a terminal (stdout stays clean)."""
    stream = stream or sys.stderr
    return tqdm(total=total, desc=description, file=stream, unit="tl",
                disable=not getattr(stream, "isatty", lambda: False)())
