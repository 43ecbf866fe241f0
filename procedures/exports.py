"""Spreadsheets for officers and external auditors: CSV (UTF-8 with a BOM, so that
Excel shows Vietnamese; streamed) and Excel workbooks (openpyxl). In both, a cell
never runs as a formula."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


@dataclass
class Sheet:
    title: str
    header: list
    rows: list
    # Lines written above the table (document, revision, date of the export…).
    heading: list = field(default_factory=list)
    widths: list = field(default_factory=list)


def _excel_value(value):
    """Dates stay dates (shown dd/mm/yyyy), moments become local naive times (Excel
    has no time zones); everything else is text or a number."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0), "DD/MM/YYYY HH:MM"
    if isinstance(value, datetime.date):
        return value, "DD/MM/YYYY"
    if value is None or isinstance(value, (int, float)):
        return value, None
    return str(value), None


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.title[:31])
        row_no = 1
        for line in sheet.heading:
            cell = ws.cell(row=row_no, column=1)
            _set_text(cell, line)
            cell.font = bold if row_no == 1 else Font()
            row_no += 1
        if sheet.heading:
            row_no += 1
        header_row = row_no
        for col, title in enumerate(sheet.header, start=1):
            cell = ws.cell(row=header_row, column=col)
            _set_text(cell, title)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for values in sheet.rows:
            row_no += 1
            for col, raw in enumerate(values, start=1):
                value, number_format = _excel_value(raw)
                cell = ws.cell(row=row_no, column=col)
                if isinstance(value, str):
                    _set_text(cell, value)
                else:
                    cell.value = value
                if number_format:
                    cell.number_format = number_format
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        if sheet.rows:
            ws.auto_filter.ref = (
                f"A{header_row}:{get_column_letter(len(sheet.header))}{row_no}"
            )
        for col, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _set_text(cell, text: str) -> None:
    # openpyxl makes a formula of any text starting with "=": keep it text.
    cell.value = text
    cell.data_type = "s"


def xlsx_response(*, filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
