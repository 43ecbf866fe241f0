"""Document codes: they appear in URLs, so they hold letters, digits, "-", "_" and "." only."""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# The database check constraint uses the same pattern (PostgreSQL `~`, SQLite REGEXP).
# A first character that is a letter or digit keeps "." and ".." out of the URLs.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
CODE_HELP = _("Chỉ gồm chữ cái không dấu, chữ số và các dấu “-”, “_”, “.”; bắt đầu bằng chữ "
              "hoặc số, ví dụ: QT-TNMT-01.")
CODE_MESSAGE = _("Mã số chỉ được gồm chữ cái không dấu, chữ số và các dấu “-”, “_”, “.”, bắt "
                 "đầu bằng chữ hoặc số (ví dụ: QT-TNMT-01).")

# \Z, not $: "$" accepts a trailing newline in Python.
validate_code = RegexValidator(r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z", CODE_MESSAGE, code="code_pattern")


def code_repair(code: str, *, max_length: int = 40) -> str:
    """A code that follows the pattern, made from one that may not: every run of other
    characters becomes "-", leading punctuation goes ("QT/01" → "QT-01"); "" when nothing
    is left."""
    repaired = re.sub(r"[^A-Za-z0-9._-]+", "-", code or "").lstrip("._-")
    return repaired[:max_length].rstrip("-")
