"""Read a messy plan table as a person would, into a plan that can be previewed and saved.

Real plans are Word tables copied between years. The reader copes with what they contain:

- the header row (Prioriterad utgångspunkt, Område, Mål och nytta, Metoder och arbetssätt, Ansvarig,
  Tidsplan, Uppföljning) may repeat before each priority, and a priority may be a row of its own;
- continuation rows, whose first cells are empty (or repeat the cell above, as merged cells do), belong to
  the row above;
- cells hold several paragraphs, leftover HTML (``<p>``, ``<i>``), bullets and words hyphenated across
  lines ("Förenings-samordnare"), which become clean text;
- "Enhetschef fritid, föreningssamordnare och fältassistenter" is three responsible roles; "T1,T2 och VB"
  is the follow-up schedule; "2019-2022" is the timeframe.

Anything it cannot understand is a ``Problem`` located by table, row and column; one problem and nothing
is imported.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from stodkedjan.plans.models import Priority, RoundKind, Strategy
from stodkedjan.plans.tables import PlanRejected, Problem, RawTable, read_tables

# Column key → the Swedish header used in exports, then every other way plans write it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "priority": ("Prioriterad utgångspunkt", "prioriterade utgångspunkter", "utgångspunkt", "prioritering", "priority"),
    "focus_area": ("Område", "fokusområde", "insatsområde", "områden", "focus area"),
    "goals": ("Mål och nytta", "mål och förväntad nytta", "mål", "nytta", "goals", "goals and benefit"),
    "methods": (
        "Metoder och arbetssätt",
        "metod och arbetssätt",
        "metoder",
        "arbetssätt",
        "aktivitet",
        "aktiviteter",
        "insats",
        "insatser",
        "methods",
        "activity",
    ),
    "responsible": ("Ansvarig", "ansvariga", "ansvar", "responsible"),
    "timeframe": ("Tidsplan", "tidsram", "tid", "när", "timeframe"),
    "follow_up": ("Uppföljning", "follow-up", "follow up"),
}
HEADERS = {key: names[0] for key, names in COLUMNS.items()}
ITEM_COLUMNS = ("priority", "focus_area", "goals")


def _key(text: str) -> str:
    return re.sub(r"[\s:*.]+", " ", text.lower()).strip()


_HEADER_WORDS = {_key(name): key for key, names in COLUMNS.items() for name in names}


def column_for(header: str) -> str | None:
    """The column a header cell names, allowing additions such as "Uppföljning (T1, T2 och VB)"."""
    key = _key(clean(header))
    if key in _HEADER_WORDS:
        return _HEADER_WORDS[key]
    bare = _key(re.sub(r"\(.*?\)", "", key))
    return _HEADER_WORDS.get(bare) or next(
        (column for word, column in _HEADER_WORDS.items() if len(word) > 6 and bare.startswith(word)), None
    )


# --- cells -------------------------------------------------------------------------------------------
_BLOCK_TAG = re.compile(r"<\s*(br|/p|/li|/div|/h\d)\s*/?\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]{0,200}>")
# "Förenings-samordnare" or "Förenings-⏎samordnare" – but not "barn- och ungdom", where the hyphen is Swedish.
_BROKEN_WORD = re.compile(r"(\b[A-ZÅÄÖ]?[a-zåäöé]{4,})-(?:[ \t]*\n[ \t]*)?(?!(?:och|eller|samt)\b)([a-zåäöé]{3,})")
_BULLET = re.compile(r"^[•·▪◦●\-–*]\s*")


def clean(text: str) -> str:
    """Plain text of a cell: tags and entities gone, words joined, one clean line per paragraph."""
    text = text.replace("\u00ad", "").replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    if "<" in text and ">" in text:
        text = _ANY_TAG.sub("", _BLOCK_TAG.sub("\n", text))
    text = html.unescape(text)
    text = _BROKEN_WORD.sub(r"\1\2", text)
    lines = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            lines.append(_BULLET.sub("• ", line) if _BULLET.match(line) and len(line) > 2 else line)
    return "\n".join(lines)


_ROLE_SPLIT = re.compile(r"\s*(?:\n|;|,|/|\bsamt\b|\boch\b|&)\s*")


def responsible_roles(text: str) -> list[str]:
    """The roles named in a "responsible" cell, in order, without repeats."""
    roles: list[str] = []
    for part in _ROLE_SPLIT.split(text):
        role = part.strip(" •.-")
        if role and role.lower() not in {r.lower() for r in roles}:
            roles.append(role[0].upper() + role[1:])
    return roles


_FOLLOW_UP_WORDS = [
    (re.compile(r"\bT\s*-?\s*1\b|\btertial\s*1\b|\bdelår\s*1\b", re.IGNORECASE), RoundKind.T1),
    (re.compile(r"\bT\s*-?\s*2\b|\btertial\s*2\b|\bdelår\s*2\b|\bdelårsrapport\b", re.IGNORECASE), RoundKind.T2),
    (re.compile(r"\bVB\b|verksamhetsberättelse|årsrapport|årsredovisning|annual", re.IGNORECASE), RoundKind.VB),
]


def follow_up_schedule(text: str) -> list[str] | None:
    """``["T1", "T2", "VB"]`` from "T1,T2 och VB" and the like; ``None`` when nothing is understood."""
    kinds = [str(kind) for pattern, kind in _FOLLOW_UP_WORDS if pattern.search(text)]
    return kinds or None


_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")


def timeframe(text: str) -> tuple[int | None, int | None, str]:
    """(from year, to year, what else the cell says): "2019-2022" → (2019, 2022, "")."""
    years = [int(y) for y in _YEAR.findall(text)]
    rest = _YEAR.sub("", text)
    rest = re.sub(r"^[\s\-–—,.:]+|[\s\-–—,.:]+$", "", re.sub(r"\s*[-–—]\s*(?=[-–—\s]*$)", "", rest))
    rest = re.sub(r"\s*[-–—]\s*[-–—]\s*", " ", rest).strip()
    if not years:
        return None, None, text.strip()
    return min(years), max(years), rest


# --- the plan ----------------------------------------------------------------------------------------
@dataclass
class Reader:
    """Walks the tables row by row, keeping what the rows above said."""

    strategy: Strategy | None
    problems: list[Problem] = field(default_factory=list)
    priorities: list[dict[str, Any]] = field(default_factory=list)
    seen_header: bool = False
    choices: list[Priority] = field(default_factory=list)  # the strategy's priorities, read once

    def __post_init__(self) -> None:
        if self.strategy is not None:
            self.choices = list(self.strategy.priorities.all())

    def read(self, table: RawTable) -> None:
        header: dict[int, str] | None = None
        for row_number, raw_cells in table.rows:
            cells = [clean(c) for c in raw_cells]
            if not any(cells):
                continue
            found = self._header(table, row_number, cells)
            if found is not None:
                header = found
                self.seen_header = True
                continue
            if header is None:
                filled = [c for c in cells if c]
                if len(filled) == 1 and not table.title:
                    table.title = filled[0]  # the plan's title above its table
                continue
            if self._priority_heading(cells, header):
                self._start_priority(cells[0], table.name, row_number)
                continue
            self._row(table.name, row_number, {col: cells[i] for i, col in header.items() if i < len(cells)})

    def _header(self, table: RawTable, row_number: int, cells: list[str]) -> dict[int, str] | None:
        columns = {i: column_for(c) for i, c in enumerate(cells) if c}
        known = {i: col for i, col in columns.items() if col}
        if "methods" not in known.values() or len(known) < 3:
            return None
        for i, col in columns.items():
            if col is None:
                self.problems.append(
                    Problem(
                        table.name,
                        row_number,
                        cells[i][:60],
                        _("Unknown column. The columns of a plan are: %(columns)s.")
                        % {"columns": ", ".join(HEADERS.values())},
                    )
                )
        return dict(known.items())

    @staticmethod
    def _priority_heading(cells: list[str], header: dict[int, str]) -> bool:
        """A row of its own naming a priority: one cell merged across the row, or only the priority cell."""
        filled = [c for c in cells if c]
        if not cells[0] or len(cells) < 3 or any(c != cells[0] for c in filled):
            return False
        return len(filled) > 1 or header.get(0) == "priority"

    def _start_priority(self, label: str, table: str, row_number: int) -> dict[str, Any]:
        if self.priorities and self.priorities[-1]["label"] == label:
            return self.priorities[-1]
        priority: dict[str, Any] = {"label": label, "priority_id": None, "items": []}
        if self.strategy is not None:
            matched = match_priority(self.choices, label)
            if matched is None:
                self.problems.append(
                    Problem(
                        table,
                        row_number,
                        HEADERS["priority"],
                        _("“%(label)s” is not one of the priorities of %(strategy)s: %(choices)s.")
                        % {
                            "label": label[:80],
                            "strategy": self.strategy.title,
                            "choices": "; ".join(str(p) for p in self.choices),
                        },
                    )
                )
            else:
                priority["priority_id"] = matched.pk
                priority["label"] = matched.title
        self.priorities.append(priority)
        return priority

    def _row(self, table: str, row_number: int, row: dict[str, str]) -> None:
        where = f"{table}, {_('row')} {row_number}"
        if row.get("priority"):
            self._start_priority(row["priority"], table, row_number)
        if not self.priorities:
            self._start_priority("", table, row_number)
        items = self.priorities[-1]["items"]
        focus, goals = row.get("focus_area", ""), row.get("goals", "")
        current = items[-1] if items else None
        if (focus or goals) and (current is None or (focus, goals) != (current["focus_area"], current["goals"])):
            if current is not None and not focus and goals:
                focus = current["focus_area"]  # a second goal under the same focus area
            current = {"focus_area": focus, "goals": goals, "activities": [], "source": where}
            items.append(current)
        elif current is None:
            current = {"focus_area": "", "goals": "", "activities": [], "source": where}
            items.append(current)
        activity = self._activity(table, row_number, row, where)
        if activity is None:
            return
        previous = current["activities"][-1] if current["activities"] else None
        if previous is not None and activity["methods"] in ("", previous["methods"]):
            self._extend(previous, activity)  # a row that only adds to the one above, or a merged cell
        elif activity["methods"]:
            current["activities"].append(activity)
        elif any(activity[k] for k in ("responsible", "timeframe_note", "follow_up", "timeframe_start")):
            self.problems.append(
                Problem(table, row_number, HEADERS["methods"], _("The row has no methods or ways of working."))
            )

    def _activity(self, table: str, row_number: int, row: dict[str, str], where: str) -> dict[str, Any] | None:
        start, end, note = timeframe(row.get("timeframe", ""))
        if start and end and end - start > 20:
            self.problems.append(
                Problem(table, row_number, HEADERS["timeframe"], _("A timeframe of more than 20 years is unlikely."))
            )
        schedule: list[str] = []
        if text := row.get("follow_up", ""):
            understood = follow_up_schedule(text)
            if understood is None:
                self.problems.append(
                    Problem(
                        table,
                        row_number,
                        HEADERS["follow_up"],
                        _("“%(text)s” is not a follow-up schedule. Write T1, T2 and/or VB.") % {"text": text[:60]},
                    )
                )
            else:
                schedule = understood
        return {
            "methods": row.get("methods", ""),
            "responsible": responsible_roles(row.get("responsible", "")),
            "timeframe_start": start,
            "timeframe_end": end,
            "timeframe_note": note[:200],
            "follow_up": schedule,
            "source": where,
        }

    @staticmethod
    def _extend(activity: dict[str, Any], more: dict[str, Any]) -> None:
        activity["responsible"] += [r for r in more["responsible"] if r not in activity["responsible"]]
        activity["follow_up"] = sorted(set(activity["follow_up"]) | set(more["follow_up"]))
        activity["timeframe_start"] = activity["timeframe_start"] or more["timeframe_start"]
        activity["timeframe_end"] = activity["timeframe_end"] or more["timeframe_end"]
        activity["timeframe_note"] = activity["timeframe_note"] or more["timeframe_note"]


def match_priority(priorities: list[Priority], label: str) -> Priority | None:
    """The strategy's priority a plan's label means: same words, one inside the other, or its number."""
    key = _key(label)
    for priority in priorities:
        title = _key(priority.title)
        if key == title or (len(title) > 10 and title in key) or (len(key) > 10 and key in title):
            return priority
    number = re.match(r"^(?:prioriterad utgångspunkt\s*)?(\d+)\b", key)
    if number:
        return next((p for p in priorities if p.position == int(number.group(1))), None)
    return None


def parse_plan(filename: str, content: bytes, strategy: Strategy | None = None) -> dict[str, Any]:
    """The plan in ``content`` as plain data for preview and saving, or ``PlanRejected`` with every problem."""
    tables = read_tables(filename, content)
    reader = Reader(strategy)
    for table in tables:
        reader.read(table)
    if not reader.seen_header:
        raise PlanRejected(
            [
                Problem(
                    "",
                    None,
                    "",
                    _("This does not look like a plan: no table has the columns %(columns)s.")
                    % {"columns": ", ".join(HEADERS.values())},
                )
            ]
        )
    priorities = [p for p in reader.priorities if p["items"]]
    activities = [a for p in priorities for i in p["items"] for a in i["activities"]]
    if not activities and not reader.problems:
        reader.problems.append(Problem("", None, HEADERS["methods"], _("The plan table has no activities.")))
    if reader.problems:
        raise PlanRejected(reader.problems)
    title = next((t.title for t in tables if "handlingsplan" in t.title.lower()), "") or PurePath(filename).stem
    years = [y for a in activities for y in (a["timeframe_start"], a["timeframe_end"]) if y]
    title_years = [int(y) for y in _YEAR.findall(title)]
    span = title_years or years
    return {
        "title": title[:300],
        "period_start": min(span) if span else None,
        "period_end": max(span) if span else None,
        "priorities": priorities,
        "activity_count": len(activities),
    }
