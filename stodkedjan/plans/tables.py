"""Read the tables out of an uploaded plan: DOCX tables, XLSX sheets, or one CSV/TSV table.

Everything is turned into ``RawTable``s of plain cell strings with the row numbers a person sees in the
file, so the interpreter (``importer.py``) never cares which format a plan came in. Files that cannot be
plans (too large, empty, damaged, of another kind, or with tables nested inside cells) are refused here
with a message that says what to do.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ROWS = 5000


@dataclass
class Problem:
    """One thing wrong with an uploaded plan, located as a person would find it in the file."""

    table: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"table": self.table, "row": self.row, "column": self.column, "message": self.message}


class PlanRejected(Exception):
    """Nothing was imported; ``problems`` says why, every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class RawTable:
    name: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    title: str = ""


def _reject(message: str, table: str = "", row: int | None = None, column: str = "") -> PlanRejected:
    return PlanRejected([Problem(table, row, column, message)])


def read_tables(filename: str, content: bytes) -> list[RawTable]:
    """The tables in a DOCX, XLSX, CSV or TSV file, or ``PlanRejected`` saying why it cannot be read."""
    limit = settings.PLAN_IMPORT_MAX_BYTES
    if not content.strip():
        raise _reject(_("The file is empty."))
    if len(content) > limit:
        raise _reject(
            _("The file is %(size).1f MB; the largest plan that can be imported is %(limit).0f MB.")
            % {"size": len(content) / 1e6, "limit": limit / 1e6}
        )
    suffix = PurePath(filename).suffix.lower()
    if suffix in {".docx", ".xlsx"}:
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise _reject(_("The file is not a %(kind)s file, or it is damaged.") % {"kind": suffix[1:].upper()})
        return _docx_tables(content) if suffix == ".docx" else _xlsx_tables(content)
    if suffix in {".csv", ".tsv", ".txt"}:
        return [_text_table(content, tab=suffix == ".tsv")]
    raise _reject(
        _("A plan can be imported from a Word table (DOCX), a spreadsheet (XLSX) or CSV/TSV, not from %(name)s.")
        % {"name": PurePath(filename).name}
    )


def _docx_tables(content: bytes) -> list[RawTable]:
    from docx import Document

    try:
        document = Document(io.BytesIO(content))
    except Exception as error:  # python-docx raises several kinds for a damaged package
        raise _reject(_("The file is not a Word document (DOCX), or it is damaged.")) from error
    title = next((p.text.strip() for p in document.paragraphs if p.text.strip()), "")
    problems: list[Problem] = []
    tables: list[RawTable] = []
    for number, table in enumerate(document.tables, start=1):
        raw = RawTable(_("Table %(number)d") % {"number": number}, title=title)
        for row_number, row in enumerate(table.rows, start=1):
            cells = []
            for cell in row.cells:
                if cell.tables:
                    problems.append(
                        Problem(
                            raw.name,
                            row_number,
                            "",
                            _("A table sits inside a cell. Move the inner table out of the cell and import again."),
                        )
                    )
                cells.append("\n".join(p.text for p in cell.paragraphs))
            raw.rows.append((row_number, cells))
        tables.append(raw)
    if problems:
        raise PlanRejected(problems)
    if not tables:
        raise _reject(_("The document has no table. A plan is a table with a row for each activity."))
    return tables


def _xlsx_tables(content: bytes) -> list[RawTable]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a damaged package
        raise _reject(_("The file is not a spreadsheet (XLSX), or it is damaged.")) from error
    tables = []
    for sheet in workbook.worksheets:
        raw = RawTable(sheet.title)
        for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if row_number > MAX_ROWS:
                raise _reject(_("The sheet has more than %(max)d rows.") % {"max": MAX_ROWS}, raw.name)
            raw.rows.append((row_number, [_text(v) for v in values]))
        tables.append(raw)
    workbook.close()
    return tables


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text_table(content: bytes, tab: bool) -> RawTable:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if tab or "\t" in first else (";" if first.count(";") > first.count(",") else ",")
    raw = RawTable(_("Table 1"))
    # newline="": the csv module reads \r, \r\n and \n line ends itself (a lone \r broke it before).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row_number, cells in enumerate(reader, start=1):
            if row_number > MAX_ROWS:
                raise _reject(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS}, raw.name)
            raw.rows.append((row_number, cells))
    except csv.Error as error:
        raise _reject(_("The file could not be read as CSV (%(reason)s).") % {"reason": error}, raw.name) from None
    return raw
