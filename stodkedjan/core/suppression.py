"""Small-cell suppression: the one function every aggregate passes through before anyone sees it (DESIGN §6).

A count under the minimum size (default 5) is never shown: it reads "fewer than 5". Zero is shown (no one
can be picked out of nobody), except inside a group that is itself small. That alone is not
enough where a table shows totals, because a hidden cell could be worked out by subtraction (the total
minus the cells beside it). So wherever a row or column with a shown total has exactly one hidden figure,
a second figure in that line is hidden too ("hidden so that a small group cannot be worked out"), and this
repeats until no line gives a hidden figure away. Totals count as members of their lines, both ways.

The check is conservative: a line is treated as adding up even where it does not (answers to a question
with several choices), which may hide a little more than needed but never less.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

DEFAULT_MIN_SIZE = 5

Reason = Literal["", "small", "secondary"]


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: ``value`` is None when it is hidden, and ``reason`` says why."""

    value: int | None
    reason: Reason = ""
    min_size: int = DEFAULT_MIN_SIZE

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.reason == "small":
            return _("fewer than %(n)s") % {"n": self.min_size}
        if self.reason == "secondary":
            return _("hidden")
        return str(self.value)


def suppress_count(value: int, min_size: int = DEFAULT_MIN_SIZE) -> Figure:
    """One count on its own (a group's size, a number of answers)."""
    if 0 < value < min_size:
        return Figure(None, "small", min_size)
    return Figure(value, "", min_size)


@dataclass
class Table:
    """A table of counts after suppression; margins that were not given are empty (``total`` None)."""

    cells: list[list[Figure]]
    row_totals: list[Figure]
    column_totals: list[Figure]
    total: Figure | None


Position = tuple[str, int, int]  # ("cell", row, column), ("row", row, 0), ("column", 0, column), ("total", 0, 0)


def suppress_table(
    counts: list[list[int]],
    min_size: int = DEFAULT_MIN_SIZE,
    *,
    row_totals: list[int] | None = None,
    column_totals: list[int] | None = None,
    total: int | None = None,
) -> Table:
    """Suppress a table of counts (rows × columns) with optional margins, so no hidden count can be recovered.

    A column whose total is under ``min_size`` (a small group, such as an area with four respondents) is
    hidden whole; so is a row whose total is.
    """
    values: dict[Position, int] = {}
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            values[("cell", i, j)] = value
    for i, value in enumerate(row_totals or []):
        values[("row", i, 0)] = value
    for j, value in enumerate(column_totals or []):
        values[("column", 0, j)] = value
    if total is not None:
        values[("total", 0, 0)] = total
    reasons: dict[Position, Reason] = {}
    for position, value in values.items():
        if 0 < value < min_size:
            reasons[position] = "small"
    n_rows = len(counts)
    n_columns = len(counts[0]) if counts else len(column_totals or [])
    for j, value in enumerate(column_totals or []):
        if 0 < value < min_size:
            for i in range(n_rows):
                reasons[("cell", i, j)] = "small"
    for i, value in enumerate(row_totals or []):
        if 0 < value < min_size:
            for j in range(n_columns):
                reasons[("cell", i, j)] = "small"
    _protect_lines(values, reasons, _lines(n_rows, n_columns, row_totals, column_totals, total))

    def figure(position: Position) -> Figure:
        reason = reasons.get(position, "")
        return Figure(None if reason else values[position], reason, min_size)

    return Table(
        cells=[[figure(("cell", i, j)) for j in range(len(row))] for i, row in enumerate(counts)],
        row_totals=[figure(("row", i, 0)) for i in range(len(row_totals or []))],
        column_totals=[figure(("column", 0, j)) for j in range(len(column_totals or []))],
        total=None if total is None else figure(("total", 0, 0)),
    )


def _lines(
    n_rows: int,
    n_columns: int,
    row_totals: list[int] | None,
    column_totals: list[int] | None,
    total: int | None,
) -> list[list[Position]]:
    """Every set of figures where one hidden member could be worked out from the others: lines with a total."""
    lines: list[list[Position]] = []
    if row_totals is not None:
        for i in range(n_rows):
            lines.append([("cell", i, j) for j in range(n_columns)] + [("row", i, 0)])
    if column_totals is not None:
        for j in range(n_columns):
            lines.append([("cell", i, j) for i in range(n_rows)] + [("column", 0, j)])
    if total is not None:
        if column_totals is not None:
            lines.append([("column", 0, j) for j in range(n_columns)] + [("total", 0, 0)])
        if row_totals is not None:
            lines.append([("row", i, 0) for i in range(n_rows)] + [("total", 0, 0)])
    return lines


def _protect_lines(values: dict[Position, int], reasons: dict[Position, Reason], lines: list[list[Position]]) -> None:
    """Hide a second figure in every line that has exactly one hidden figure, until none has."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [p for p in line if p in reasons]
            if len(hidden) != 1:
                continue
            shown = [p for p in line if p not in reasons]
            if not shown:
                continue
            # Hide the smallest non-zero cell (least information lost); else a total; a zero cell last, since
            # a hidden zero protects little and would spread the hiding into its other line.
            shown.sort(key=lambda p: (values[p] == 0, p[0] != "cell", values[p]))
            reasons[shown[0]] = "secondary"
            changed = True
