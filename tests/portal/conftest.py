"""The audit fixtures, for the portal's pages that gather audits' work too."""

from tests.audits.conftest import audit, cast, procedure_a, programme, started  # noqa: F401
