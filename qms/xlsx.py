"""Excel workbooks (openpyxl) for the lists an officer hands to someone: the register,
who has read a procedure, the access log, an audit's findings, the gap report, the
dossier figures.

Each sheet: optional heading lines (what, which filter, exported when and by whom),
a bold header row, frozen panes below it, an auto-filter, column widths fitted to
the content (Vietnamese included: widths count characters of NFC text), dates as
real Excel dates shown dd/mm/yyyy, moments in local time. A cell never runs as a
formula. Feed it plain values: the views build rows from selectors.
"""

import datetime
import io
import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
MOMENT_FORMAT = "DD/MM/YYYY HH:MM"
# Fitted widths stay between these (in characters); longer text wraps.
MIN_WIDTH, MAX_WIDTH = 8, 60
HEADER_WRAP = 14
FONT = "Calibri"  # openpyxl's default; LibreOffice shows it with the metric-compatible Carlito


@dataclass
class Sheet:
    title: str
    header: list
    rows: list
    # Lines written above the table (document, filter, date of the export…).
    heading: list = field(default_factory=list)
    # Explicit widths per column; the columns not given are fitted to their content.
    widths: list = field(default_factory=list)


def excel_value(value):
    """(value, number format): dates stay dates, moments become local naive times
    (Excel has no time zones); numbers stay numbers; everything else is NFC text."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0), MOMENT_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    if isinstance(value, Decimal):
        return float(value), None
    if value is None or isinstance(value, (int, float)):
        return value, None
    return unicodedata.normalize("NFC", str(value)), None


def _shown_length(value, number_format) -> int:
    if number_format == DATE_FORMAT:
        return 10
    if number_format == MOMENT_FORMAT:
        return 16
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def _set_text(cell, text: str) -> None:
    # openpyxl makes a formula of any text starting with "=": keep it text.
    cell.value = text
    cell.data_type = "s"


def _write_sheet(ws, sheet: Sheet) -> None:
    # A named font: without one, LibreOffice shows the styled cells in a serif face.
    bold = Font(name=FONT, size=11, bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    row_no = 1
    for line in sheet.heading:
        cell = ws.cell(row=row_no, column=1)
        _set_text(cell, unicodedata.normalize("NFC", str(line)))
        cell.font = bold if row_no == 1 else Font(name=FONT, size=11)
        row_no += 1
    if sheet.heading:
        row_no += 1
    header_row = row_no
    lengths = [0] * len(sheet.header)
    for col, title in enumerate(sheet.header, start=1):
        cell = ws.cell(row=header_row, column=col)
        _set_text(cell, unicodedata.normalize("NFC", str(title)))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # A long title wraps (the header row wraps) rather than widen a column of numbers;
        # +2: room for the filter's arrow.
        lengths[col - 1] = min(len(str(title)), HEADER_WRAP) + 2
    wrap = Alignment(wrap_text=True, vertical="top")
    for values in sheet.rows:
        row_no += 1
        for col, raw in enumerate(values, start=1):
            value, number_format = excel_value(raw)
            cell = ws.cell(row=row_no, column=col)
            if isinstance(value, str):
                _set_text(cell, value)
                if len(value) > MAX_WIDTH or "\n" in value:
                    cell.alignment = wrap
            else:
                cell.value = value
            if number_format:
                cell.number_format = number_format
            if col <= len(lengths):
                lengths[col - 1] = max(lengths[col - 1], _shown_length(value, number_format))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    # Printed: landscape, as wide as the page, the header repeated on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    if sheet.header:
        last = get_column_letter(len(sheet.header))
        ws.auto_filter.ref = f"A{header_row}:{last}{max(row_no, header_row)}"
    header_lines = 1
    for col, length in enumerate(lengths, start=1):
        given = sheet.widths[col - 1] if col <= len(sheet.widths) else None
        width = given or min(MAX_WIDTH, max(MIN_WIDTH, length + 2))
        ws.column_dimensions[get_column_letter(col)].width = width
        header_lines = max(header_lines, math.ceil(len(str(sheet.header[col - 1])) / (width - 3)))
    # Spreadsheets do not grow a row for wrapped text on their own (LibreOffice's
    # print does not): the header row is given the height of its longest title.
    ws.row_dimensions[header_row].height = 15 * header_lines


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        # Excel refuses sheet titles over 31 characters or with []:*?/\ in them.
        title = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(sheet.title))[:31]
        _write_sheet(book.create_sheet(title=title), sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, filename: str, sheets: list[Sheet]) -> HttpResponse:
    """The workbook as a download (ASCII file name: browsers differ on the others)."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_heading(*, title: str, user, lines=()) -> list:
    """The lines above a table: what it is, the filter, and who exported it when."""
    moment = date_format(timezone.localtime(timezone.now()), "d/m/Y H:i")
    who = user.get_full_name() or user.get_username()
    return [title, *lines, _("Xuất lúc %(at)s bởi %(who)s") % {"at": moment, "who": who}]
