"""Files that pages hand out: one way to send them, and the content types they have."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A response the browser saves as ``filename`` instead of showing."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def rows_to_csv(rows: list[list[str]]) -> bytes:
    """CSV as Swedish Excel opens it by double-click: semicolons, UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def tables_to_xlsx(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    """A workbook with one sheet per (title, rows); each table's first row is its header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for title, rows in sheets:
        name = _sheet_name(title, used)
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1] if rows else []:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 40
        sheet.freeze_panes = "B2"
    if not sheets:
        workbook.create_sheet("-")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:28] or "-"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:25]} ({n})"
    used.add(name.lower())
    return name
