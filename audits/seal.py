"""The keyed seal of an audit report signature (qms.integrity, QMS_SIGNATURE_KEY)."""

import datetime

from qms.integrity import keyed_hash


def seal_of(signature) -> str:
    """HMAC of report, signer, meaning, time (UTC), signed PDF and shown content hashes.
    Takes the model or its historical form (migration 0009 seals the older rows)."""
    return keyed_hash(
        "audit-report", signature.report_id, signature.signer_id, signature.meaning,
        signature.signed_at.astimezone(datetime.UTC).isoformat(),
        signature.pdf_sha256, signature.content_sha256,
    )
