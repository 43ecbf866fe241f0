"""Keyed hashes for tamper evidence (issue 11, point 9).

A signature stores an HMAC-SHA-256 of what was signed, keyed with
`settings.QMS_SIGNATURE_KEY` (by default derived from SECRET_KEY). Whoever can
write to the database but does not hold the key cannot make a changed text look
signed by rewriting the stored hash.
"""

import hashlib
import hmac

from django.conf import settings


def signature_key() -> bytes:
    key = getattr(settings, "QMS_SIGNATURE_KEY", "") or ""
    if key:
        return key.encode()
    return hashlib.sha256(b"qms-signature-key:" + settings.SECRET_KEY.encode()).digest()


def keyed_hash(*parts) -> str:
    """HMAC-SHA-256 (hex) of the parts joined with "|"."""
    message = "|".join(str(p) for p in parts).encode()
    return hmac.new(signature_key(), message, hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a or "", b or "")
