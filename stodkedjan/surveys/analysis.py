"""Read models for a round's analysis: frequencies by area and language, cross-tabs, coded free text.

Every count passes through ``core.suppression`` before it is returned, so nothing here can hand a page,
a chart or an export a figure for a group under the round's minimum size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext as _

from stodkedjan.core.suppression import Figure, Table, suppress_count, suppress_table
from stodkedjan.surveys.definition import CHOICE_KINDS, text_in
from stodkedjan.surveys.models import Coding, Response, SurveyRound, Theme

GROUPINGS = ("area", "language")
OTHER = "other"
MAX_INTEGER_BINS = 8


@dataclass
class Group:
    key: str
    label: str


@dataclass
class Frequencies:
    """One question's answers: options (rows) × groups (columns), suppressed."""

    question: dict[str, Any]
    label: str
    options: list[str]
    groups: list[Group]
    table: Table

    @property
    def overall(self) -> list[tuple[str, Figure]]:
        """Each option with its count over all groups (the row totals)."""
        return list(zip(self.options, self.table.row_totals or [], strict=True))

    @property
    def rows(self) -> list[tuple[str, list[Figure], Figure]]:
        return [
            (option, cells, total)
            for option, cells, total in zip(self.options, self.table.cells, self.table.row_totals or [], strict=True)
        ]


@dataclass
class RoundData:
    round: SurveyRound
    responses: list[Response]
    language: str
    fallback: str
    areas: list[Any]

    def label(self, texts: dict[str, str] | None) -> str:
        return text_in(texts, self.language, self.fallback)


def load(survey_round: SurveyRound, language: str) -> RoundData:
    """All responses of a round, read once for every table on the page."""
    responses = list(
        survey_round.responses.only("id", "round_id", "area_id", "language", "answers").prefetch_related(
            Prefetch("codings", queryset=Coding.objects.only("response_id", "theme_id"))
        )
    )
    definition = survey_round.version.definition
    fallback = definition["languages"][0]
    language = language if language in definition["languages"] else fallback
    return RoundData(survey_round, responses, language, fallback, list(survey_round.areas.order_by("name")))


def respondents(data: RoundData) -> Figure:
    return suppress_count(len(data.responses), data.round.min_cell_size)


def _groups(data: RoundData, by: str | None) -> list[Group]:
    if by == "area":
        areas = [Group(a.code, a.name) for a in data.areas]
        return [*areas, Group(OTHER, _("somewhere else or not said"))]
    if by == "language":
        names = dict(settings.LANGUAGES)
        return [Group(code, str(names.get(code, code))) for code in data.round.languages]
    return [Group("all", _("all respondents"))]


def _group_of(response: Response, by: str | None, area_codes: dict[int, str]) -> str:
    if by == "area":
        return area_codes.get(response.area_id or 0, OTHER)
    if by == "language":
        return response.language
    return "all"


def _items(answer: Any) -> list[Any]:
    """An answer's values: one, the options of a multiple choice, or a repeated question's instances (each
    of which may be a multiple choice), without the empty ones."""
    if answer in (None, "", []):
        return []
    if not isinstance(answer, list):
        return [answer]
    return [v for item in answer for v in (item if isinstance(item, list) else [item]) if v not in (None, "")]


def _values(question: dict[str, Any], answer: Any) -> list[str]:
    return [str(v) for v in _items(answer)]


def _all(data: RoundData, name: str) -> list[Any]:
    return [v for r in data.responses for v in _items(r.answers.get(name))]


def _integer_bins(data: RoundData, question: dict[str, Any]) -> tuple[list[str], Any]:
    """Whole-number answers as ranges (exact values when there are few), so single values cannot stand out."""
    values = sorted({int(v) for v in _all(data, question["name"])})
    if len(values) <= MAX_INTEGER_BINS:
        return [str(v) for v in values], lambda v: str(v)
    low, high = values[0], values[-1]
    width = max(1, -(-(high - low + 1) // MAX_INTEGER_BINS))
    labels = [f"{low + i * width}–{low + (i + 1) * width - 1}" for i in range(MAX_INTEGER_BINS)]
    return labels, lambda v: labels[min((int(v) - low) // width, MAX_INTEGER_BINS - 1)]


def _number_bins(data: RoundData, question: dict[str, Any]) -> tuple[list[str], Any]:
    """Decimal answers (and ranges) as numbers: whole ones as whole-number bins, others as eight equal
    ranges written with the page's decimal sign."""
    name = question["name"]
    values = sorted({float(v) for v in _all(data, name) if isinstance(v, int | float)})
    if all(v.is_integer() for v in values):
        whole = {**question, "kind": "integer"}
        labels, to_key = _integer_bins(data, whole)
        return labels, lambda v: to_key(int(float(v)))
    low, high = values[0], values[-1]
    width = (high - low) / MAX_INTEGER_BINS or 1.0
    labels = [
        f"{formats.number_format(low + i * width, 1)}–{formats.number_format(low + (i + 1) * width, 1)}"
        for i in range(MAX_INTEGER_BINS)
    ]
    return labels, lambda v: labels[min(int((float(v) - low) // width), MAX_INTEGER_BINS - 1)]


def _month_bins(data: RoundData, question: dict[str, Any]) -> tuple[list[str], Any]:
    """Dates (and dates with a time) by month, "mars 2026": a single day could point to a person."""
    months = sorted({str(v)[:7] for v in _all(data, question["name"])})
    labels = {m: formats.date_format(date.fromisoformat(f"{m}-01"), "F Y") for m in months if len(m) == 7}
    return [labels[m] for m in months if m in labels], lambda v: labels.get(str(v)[:7], "")


def _hour_bins(data: RoundData, question: dict[str, Any]) -> tuple[list[str], Any]:
    """Times of day by the hour: "09–10"."""
    hours = sorted({str(v)[:2] for v in _all(data, question["name"])})
    labels = {h: f"{h}–{int(h) + 1:02d}" for h in hours if h.isdigit()}
    return [labels[h] for h in hours if h in labels], lambda v: labels.get(str(v)[:2], "")


_BINS = {"integer": _integer_bins, "decimal": _number_bins, "range": _number_bins}
_BINS |= {"date": _month_bins, "datetime": _month_bins, "time": _hour_bins}


def frequencies(data: RoundData, question: dict[str, Any], by: str | None = None) -> Frequencies:
    """Counts of each answer option per group; group totals are those who answered the question."""
    groups = _groups(data, by)
    area_codes = {a.pk: a.code for a in data.areas} if by == "area" else {}
    column = {g.key: j for j, g in enumerate(groups)}
    kind = question["kind"]
    if kind in CHOICE_KINDS:
        option_keys = [c["name"] for c in question["choices"]]
        labels = [data.label(c["label"]) for c in question["choices"]]
        to_key = str
    elif kind in _BINS:
        labels, to_key = _BINS[kind](data, question)
        option_keys = labels
    elif kind == "acknowledge":
        labels = option_keys = ["OK"]
        to_key = str
    else:
        themes = list(Theme.objects.filter(round=data.round, question=question["name"]))
        option_keys = [str(t.pk) for t in themes]
        labels = [t.name for t in themes]
        to_key = str
    row = {key: i for i, key in enumerate(option_keys)}
    counts = [[0] * len(groups) for _k in option_keys]
    answered = [0] * len(groups)
    for response in data.responses:
        j = column.get(_group_of(response, by, area_codes))
        if j is None:
            continue
        if kind == "text":
            chosen = [str(c.theme_id) for c in response.codings.all()]
            if question["name"] not in response.answers:
                continue
        else:
            given = _values(question, response.answers.get(question["name"]))
            if kind == "rank":
                given = given[:1]  # a ranking counts its first place
            chosen = [to_key(v) for v in given]
            if not chosen:
                continue
        answered[j] += 1
        for key in set(chosen):
            if key in row:
                counts[row[key]][j] += 1
    row_totals = [sum(r) for r in counts]
    table = suppress_table(
        counts, data.round.min_cell_size, row_totals=row_totals, column_totals=answered, total=sum(answered)
    )
    label = data.label(question["label"])
    if kind == "rank":
        label = _("%(question)s (put first)") % {"question": label}
    return Frequencies(question, label, labels, groups, table)


def crosstab(data: RoundData, rows: dict[str, Any], columns: dict[str, Any]) -> Frequencies:
    """Respondents by their answers to two questions with answer options (rows × columns)."""
    row_keys = [c["name"] for c in rows["choices"]]
    column_keys = [c["name"] for c in columns["choices"]]
    counts = [[0] * len(column_keys) for _k in row_keys]
    row_totals, column_totals, both = [0] * len(row_keys), [0] * len(column_keys), 0
    for response in data.responses:
        a = [row_keys.index(v) for v in _values(rows, response.answers.get(rows["name"])) if v in row_keys]
        b = [column_keys.index(v) for v in _values(columns, response.answers.get(columns["name"])) if v in column_keys]
        if not a or not b:
            continue
        both += 1
        for i in set(a):
            row_totals[i] += 1
            for j in set(b):
                counts[i][j] += 1
        for j in set(b):
            column_totals[j] += 1
    table = suppress_table(
        counts, data.round.min_cell_size, row_totals=row_totals, column_totals=column_totals, total=both
    )
    groups = [Group(c["name"], data.label(c["label"])) for c in columns["choices"]]
    labels = [data.label(c["label"]) for c in rows["choices"]]
    return Frequencies(rows, data.label(rows["label"]), labels, groups, table)


@dataclass
class TextAnswer:
    response_id: str
    text: str
    theme_ids: set[int]


def text_answers(data: RoundData, question: str) -> list[TextAnswer]:
    """The free-text answers to one question (already scrubbed when they were stored), with their themes."""
    themes = set(Theme.objects.filter(round=data.round, question=question).values_list("pk", flat=True))
    answers = [
        TextAnswer(
            str(r.pk),
            " · ".join(str(v) for v in _items(r.answers[question])),
            {c.theme_id for c in r.codings.all()} & themes,
        )
        for r in data.responses
        if r.answers.get(question)
    ]
    answers.sort(key=lambda a: a.text.casefold())  # an order that says nothing about when or who
    return answers


def question_by_name(survey_round: SurveyRound, name: str | None) -> dict[str, Any] | None:
    return next((q for q in survey_round.version.questions if q["name"] == name), None)


def table_rows(frequencies: Frequencies) -> list[list[str]]:
    """A suppressed table as text rows for CSV and XLSX: header, one row per option, totals."""
    table = frequencies.table
    rows = [[frequencies.label, *[g.label for g in frequencies.groups], _("Total")]]
    for label, cells, total in zip(frequencies.options, table.cells, table.row_totals or [], strict=True):
        rows.append([label, *[str(c) for c in cells], str(total)])
    rows.append([_("Answered"), *[str(c) for c in table.column_totals or []], str(table.total) if table.total else ""])
    return rows


def count_by_group(data: RoundData, by: str) -> list[tuple[Group, Figure]]:
    """Respondents per area or language, suppressed, for the round's overview."""
    groups = _groups(data, by)
    area_codes = {a.pk: a.code for a in data.areas}
    counted = Counter(_group_of(r, by, area_codes) for r in data.responses)
    table = suppress_table(
        [[counted.get(g.key, 0) for g in groups]], data.round.min_cell_size, row_totals=[len(data.responses)]
    )
    return list(zip(groups, table.cells[0], strict=True))
