"""English is the second language: every message of the project has its translation.

The catalogue is extracted afresh from the sources (Django's makemessages, which
needs GNU gettext's xgettext) into a copy of locale/, so that a message added
without its English text fails here, not in front of a user.
"""

import os
import shutil
import subprocess

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgfmt") is None,
    reason="GNU gettext (xgettext, msgfmt) is not installed",
)


SOURCES = ("qms", "procedures", "edition_migration", "audits", "service_quality", "portal", "templates")


def test_every_message_has_its_english_translation(tmp_path, monkeypatch):
    # makemessages writes into the locale folder beside the sources it reads: it
    # runs on a copy, so that the real catalogues are never rewritten.
    for folder in SOURCES:
        if (settings.BASE_DIR / folder).is_dir():
            shutil.copytree(
                settings.BASE_DIR / folder,
                tmp_path / folder,
                ignore=shutil.ignore_patterns("__pycache__", "fonts", "*.json", "*.ttf"),
            )
    shutil.copytree(settings.BASE_DIR / "locale", tmp_path / "locale")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [str(tmp_path / "locale")])
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    missing = [
        f"{entry.occurrences[:1]} {entry.msgid!r}"
        for entry in polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
        if not entry.translated() or "fuzzy" in entry.flags
    ]
    assert missing == []


def test_the_catalogues_compile_without_error():
    for language in ("en", "vi"):
        catalogue = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
        result = subprocess.run(
            ["msgfmt", "--check-format", "--check-domain", "-o", os.devnull, str(catalogue)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
