"""Every table of the insights pages as rows, for CSV and XLSX (and the report), and the needs chart."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from stodkedjan.core.charts import bar_chart
from stodkedjan.core.suppression import Figure
from stodkedjan.core.vocabulary import Level, language_name
from stodkedjan.directory.models import Arena
from stodkedjan.insights import queries
from stodkedjan.insights.coverage import CHAIN_BANDS, LEVELS, Coverage
from stodkedjan.insights.models import AgeBand
from stodkedjan.insights.queries import AreaPage, Dashboard


def level_label(level: str) -> str:
    """A level's short name ("universal"), in the language of the request: made when asked, never at import."""
    return str(Level(level).label).split(" –")[0]


def chain_rows(coverage: Coverage) -> list[list[str]]:
    header = [_("Age band"), *[level_label(lv) for lv in LEVELS]]
    rows = [header]
    for band in CHAIN_BANDS:
        cells = [coverage.cells[(band, lv)] for lv in LEVELS]
        rows.append([str(AgeBand(band).label), *[_cell_text(c.verified, c.not_verified) for c in cells]])
    return rows


def _cell_text(verified: int, not_verified: int) -> str:
    if not not_verified:
        return str(verified)
    return _("%(verified)s (+%(not_verified)s not verified)") % {"verified": verified, "not_verified": not_verified}


def parts_rows(parts: list[Coverage]) -> list[list[str]]:
    rows = [[_("Area"), _("Verified offerings"), _("Not verified"), *[str(AgeBand(b).label) for b in CHAIN_BANDS]]]
    for c in parts:
        rows.append(
            [c.area.name, str(c.verified), str(c.not_verified), *[str(c.bands[b].verified) for b in CHAIN_BANDS]]
        )
    return rows


def gap_rows(page: AreaPage) -> list[list[str]]:
    rows = [[_("Area"), _("Gap"), _("Verified"), _("Not verified")]]
    rows += [[g.area.name, g.what, str(g.verified), str(g.not_verified)] for g in page.gaps]
    return rows


def language_rows(coverage: Coverage) -> list[list[str]]:
    rows = [[_("Language"), _("Verified offerings")]]
    for code, count in sorted(coverage.languages.items(), key=lambda item: -item[1]):
        rows.append([language_name(code), str(count)])
    return rows


def arena_rows(coverage: Coverage) -> list[list[str]]:
    labels = dict(Arena.choices)
    rows = [[_("Arena"), _("Verified offerings")]]
    for code, count in sorted(coverage.arenas.items(), key=lambda item: -item[1]):
        rows.append([str(labels.get(code, code)), str(count)])
    return rows


def trend_rows(page: AreaPage) -> list[list[str]]:
    rows = [[_("Month"), _("Verified offerings"), _("Not verified")]]
    rows += [[s.month.strftime("%Y-%m"), str(s.verified), str(s.not_verified)] for s in page.trend]
    return rows


def area_tables(page: AreaPage) -> list[tuple[str, list[list[str]]]]:
    sheets = [
        (_("Support chain"), chain_rows(page.coverage)),
        (_("Gaps"), gap_rows(page)),
        (_("Languages"), language_rows(page.coverage)),
        (_("Arenas"), arena_rows(page.coverage)),
        (_("Over time"), trend_rows(page)),
    ]
    if page.parts:
        sheets.insert(1, (_("Areas within"), parts_rows(page.parts)))
    return sheets


def needs_rows(needs: list[tuple[str, int, int]]) -> list[list[str]]:
    return [[_("Theme"), _("Open"), _("Answered or closed")], *[[t, str(o), str(a)] for t, o, a in needs]]


def needs_chart(needs: list[tuple[str, int, int]]) -> SafeString | str:
    if not needs:
        return ""
    return bar_chart([(theme, Figure(open_)) for theme, open_, _done in needs], _("Open needs by theme"), "", "needs")


def follow_up_rows(board: Dashboard) -> list[list[str]]:
    rows = [[_("Organisation"), _("Round"), _("Submitted"), _("Done"), _("On track"), _("At risk"), _("Not started")]]
    for state in board.follow_up:
        s = state.statuses
        submitted = (
            date_format(timezone.localtime(state.round.submitted_at).date())
            if state.round and state.round.submitted_at
            else _("no")
        )
        rows.append(
            [state.organisation.name, state.label, submitted]
            + [str(s.get(k, 0)) for k in ("done", "on_track", "at_risk", "not_started")]
        )
    return rows


def survey_rows(board: Dashboard) -> list[list[str]]:
    rows = [[_("Survey round"), _("Organisation"), _("Period"), _("Responses")]]
    for item in board.surveys:
        r = item.round
        rows.append([r.title, r.organisation.name, f"{r.opens_on} – {r.closes_on}", str(item.responses)])
    return rows


def network_rows(board: Dashboard) -> list[list[str]]:
    n = board.network
    return [
        [_("Network and training activity"), _("Number")],
        [_("Networks and working groups"), str(n.networks)],
        [_("Network meetings in the last 12 months"), str(n.meetings_last_year)],
        [_("Events and trainings in the last 12 months"), str(n.events_last_year)],
        [_("Participants in them"), str(n.participants_last_year)],
        [_("Coming events and trainings"), str(n.events_coming)],
    ]


def county_tables(board: Dashboard) -> list[tuple[str, list[list[str]]]]:
    municipalities = [
        [_("Municipality"), _("Verified offerings"), _("Not verified"), _("Gaps"), _("Latest follow-up")],
        *[
            [
                row["coverage"].area.name,
                str(row["coverage"].verified),
                str(row["coverage"].not_verified),
                str(row["gaps"]),
                "; ".join(f"{s.organisation.name}: {s.label}" for s in row["follow_up"]),
            ]
            for row in board.rows
        ],
    ]
    return [
        (_("Municipalities"), municipalities),
        (_("Gaps"), gap_rows(board.page)),
        (_("Support chain"), chain_rows(board.page.coverage)),
        (_("Follow-up"), follow_up_rows(board)),
        (_("Needs"), needs_rows(board.needs)),
        (_("Surveys"), survey_rows(board)),
        (_("Network"), network_rows(board)),
    ]


def national_tables(board: Dashboard) -> list[tuple[str, list[list[str]]]]:
    counties = [
        [_("County"), _("Verified offerings"), _("Not verified"), _("Organisations with a plan"), _("Open needs")],
        *[
            [
                row["coverage"].area.name,
                str(row["coverage"].verified),
                str(row["coverage"].not_verified),
                str(row["plans"]),
                str(row["open_needs"]),
            ]
            for row in board.rows
        ],
    ]
    return [
        (_("Counties"), counties),
        (_("Support chain"), chain_rows(board.page.coverage)),
        (_("Needs"), needs_rows(board.needs)),
        (_("Network"), network_rows(board)),
    ]


def vulnerable_area_language_rows(page: AreaPage, band: str = "", level: str = "") -> list[list[str]]:
    """Each vulnerable area's languages for the chosen age band and level, as the page's second table."""
    rows = [
        [
            _("Vulnerable area"),
            _("Age band"),
            _("Level"),
            _("Verified offerings"),
            _("Languages (offerings)"),
            _("Expected, but no offering"),
        ]
    ]
    for item in queries.languages_in_vulnerable_areas(page, band, level):
        rows.append(
            [
                item.area.name,
                str(AgeBand(band).label) if band else _("all ages"),
                level_label(level) if level else _("all levels"),
                str(item.offerings),
                ", ".join(f"{name} ({n})" for name, n in item.named) or _("none"),
                ", ".join(item.named_missing),
            ]
        )
    return rows
