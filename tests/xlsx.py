"""Opening an exported workbook in tests, as an officer's Excel would."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return load_workbook(io.BytesIO(response.content))


def header_row(sheet) -> int:
    """The row of the header: the one the panes are frozen under."""
    return int("".join(ch for ch in sheet.freeze_panes if ch.isdigit())) - 1


def table(sheet) -> tuple[list, list[list]]:
    """(header, rows) of a sheet written by qms.xlsx."""
    first = header_row(sheet)
    rows = [list(r) for r in sheet.iter_rows(min_row=first)]
    return [c.value for c in rows[0]], rows[1:]


def query_count(client, url) -> int:
    """Queries of one download, after a first one has filled the process-wide caches
    (content types, permissions) that only the first request of a test pays for."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
