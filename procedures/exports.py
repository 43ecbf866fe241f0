"""CSV for officers and external auditors (UTF-8 with a BOM, so that Excel shows
Vietnamese; streamed); a cell never runs as a formula. Excel workbooks: qms/xlsx.py."""

import csv

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, header: list, rows) -> StreamingHttpResponse:
    """A streamed CSV download; `rows` is an iterable of lists of values."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([csv_cell(v) for v in header])
        for row in rows:
            yield writer.writerow([csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
