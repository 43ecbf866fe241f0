"""The longest texts the system accepts, in characters, with the message that says so.

Stated once here and used by the models (enforced by full_clean in the services)
and the forms, so that every page and PDF stays bounded:

- a procedure body: 200,000 characters (about 60 printed pages);
- a finding statement or its evidence: 10,000;
- a checklist note, a verification note, a comment: 5,000.
"""

from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

BODY_CHARS = 200_000
STATEMENT_CHARS = 10_000
NOTE_CHARS = 5_000

MESSAGE = _("Nội dung dài %(show_value)s ký tự, vượt giới hạn %(limit_value)s ký tự.")


def max_chars(limit: int) -> MaxLengthValidator:
    return MaxLengthValidator(limit, message=MESSAGE)
