"""The county board's report to the government on parenting support that prevents crime, made from the data:
coverage and gaps in vulnerable areas, plans and their follow-up, needs raised and answered, what parents said
(suppressed, DESIGN §6) and network and training activity. One list of sections, written as PDF and DOCX."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import override

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.vocabulary import Level
from stodkedjan.geo.models import AreaKind
from stodkedjan.insights import charts, queries, tables
from stodkedjan.insights.models import AgeBand
from stodkedjan.surveys import analysis

CHOICE_KINDS = ("select_one", "likert")


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    chart: SafeString | str = ""
    map: SafeString | str = ""
    map_caption: str = ""

    @property
    def figures(self) -> list[tuple[str, str]]:
        """Its chart and map as (SVG, caption), for Word, which draws them as pictures."""
        found = [(str(self.chart), "")] if self.chart else []
        return found + ([(str(self.map), self.map_caption)] if self.map else [])


def report_title(county_board: Organisation) -> str:
    return _("Parenting support that prevents crime – %(county)s %(year)s") % {
        "county": county_board.area.name,
        "year": timezone.localdate().year,
    }


def sections(county_board: Organisation) -> list[Section]:
    board = queries.county_dashboard(county_board)
    page = board.page
    vulnerable = page.engine.children_of(page.area, (AreaKind.VULNERABLE_AREA,))
    early = (AgeBand.EARLY, Level.INDICATED)
    result = [_summary(board, len(vulnerable))]
    area_rows = [[_("Vulnerable area"), _("Municipality"), _("Verified offerings"), _("Indicated, 8–12"), _("Gaps")]]
    for area in vulnerable:
        coverage = page.engine.coverage(area)
        municipality = next(
            (r["coverage"].area.name for r in board.rows if page.engine.inside(area, r["coverage"].area)), ""
        )
        gaps = "; ".join(g.what for g in page.gaps if g.area.pk == area.pk) or _("none")
        area_rows.append([area.name, municipality, str(coverage.verified), str(coverage.cells[early].verified), gaps])
    result.append(
        Section(
            _("Coverage and gaps in vulnerable areas"),
            [
                _(
                    "Offerings count as verified when their provider has checked them within %(months)s months; "
                    "the others are counted apart. The gaps follow the county board's rules."
                )
                % {"months": page.stale_after_months}
            ]
            if vulnerable
            else [_("The reference data name no vulnerable areas in this county.")],
            [area_rows] if vulnerable else [],
            map=_county_map(board),
            map_caption=_(
                "The municipalities with their number of verified offerings; hatched: gaps in the support chain; "
                "orange: the vulnerable areas on the police's newest list."
            ),
        )
    )
    result.append(
        Section(
            _("The support chain in the county"),
            [_("Verified offerings by the child's age and the level of support.")],
            [tables.chain_rows(page.coverage), tables.parts_rows(page.parts)],
            charts.coverage_chart(page.parts, _("Verified offerings per municipality"), "report-parts")
            if page.parts
            else "",
        )
    )
    result.append(
        Section(
            _("Local action plans and their follow-up"),
            [] if board.follow_up else [_("No organisation in the county has opened a follow-up round yet.")],
            [tables.follow_up_rows(board)] if board.follow_up else [],
        )
    )
    result.append(
        Section(
            _("Needs raised and answered"),
            [] if board.needs else [_("No needs have been registered in the county yet.")],
            [tables.needs_rows(board.needs)] if board.needs else [],
        )
    )
    result.append(_parents(board))
    result.append(Section(_("Network and training activity"), [], [tables.network_rows(board)]))
    return result


def _county_map(board: queries.Dashboard) -> SafeString | str:
    county = board.page.area
    title = _("Map of %(county)s: verified offerings and gaps per municipality") % {"county": county.name}
    return queries.overview_map(board.rows, county.pk, title, linked=False) or ""


def _summary(board: queries.Dashboard, vulnerable_areas: int) -> Section:
    c = board.page.coverage
    answered = sum(done for _t, _o, done in board.needs)
    still_open = sum(o for _t, o, _d in board.needs)
    lines = [
        _(
            "%(verified)s verified offerings of parenting support serve the county; %(stale)s more have not "
            "been checked recently."
        )
        % {"verified": c.verified, "stale": c.not_verified},
        _("%(gaps)s gaps in the support chain, in %(areas)s vulnerable areas and the municipalities.")
        % {"gaps": len(board.page.gaps), "areas": vulnerable_areas},
        _("%(n)s organisations have followed up their action plan.") % {"n": len(board.follow_up)},
        _("%(open)s needs are open and %(answered)s answered or closed.") % {"open": still_open, "answered": answered},
        _("%(events)s events and trainings in the last 12 months, with %(people)s participants.")
        % {"events": board.network.events_last_year, "people": board.network.participants_last_year},
    ]
    return Section(_("Summary"), lines)


def _parents(board: queries.Dashboard) -> Section:
    """Each survey round's number of respondents and its first choice question, suppressed as everywhere."""
    section = Section(
        _("What parents said"),
        [_("Figures for fewer respondents than the round's smallest group are not shown.")],
    )
    if not board.surveys:
        section.paragraphs = [_("No parent surveys have been run in the county yet.")]
        return section
    for item in board.surveys:
        survey_round = item.round
        section.paragraphs.append(
            _("%(title)s (%(organisation)s): %(responses)s responses.")
            % {"title": survey_round.title, "organisation": survey_round.organisation.name, "responses": item.responses}
        )
        if item.responses.hidden or not item.responses.value:
            continue
        data = analysis.load(survey_round, "sv")
        question = next((q for q in survey_round.version.questions if q.get("kind") in CHOICE_KINDS), None)
        if question is not None:
            section.tables.append(analysis.table_rows(analysis.frequencies(data, question)))
    return section


def to_pdf(county_board: Organisation) -> bytes:
    from weasyprint import CSS, HTML

    with override("sv"):
        context = {
            "title": report_title(county_board),
            "organisation": county_board,
            "sections": sections(county_board),
        }
        context["made_on"] = timezone.localdate()
        html = render_to_string("insights/report.html", context)
        css = render_to_string("insights/report.css", context)
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[CSS(string=css)])


def to_docx(county_board: Organisation) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    with override("sv"):
        document = Document()
        section = document.sections[0]
        for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, margin, Cm(2))
        document.styles["Normal"].font.name = "DejaVu Sans"
        document.styles["Normal"].font.size = Pt(10)
        document.add_heading(report_title(county_board), level=0)
        document.add_paragraph(
            _("%(organisation)s · made from Stödkedjan's data on %(date)s")
            % {"organisation": county_board.name, "date": timezone.localdate().isoformat()}
        )
        for part in sections(county_board):
            document.add_heading(part.title, level=1)
            for text in part.paragraphs:
                document.add_paragraph(text, style="List Bullet" if part.title == _("Summary") else None)
            for svg, caption in part.figures:
                document.add_picture(io.BytesIO(charts.as_png(svg)), width=Cm(16))
                if caption:
                    document.add_paragraph(caption, style="Caption")
            for rows in part.tables:
                _docx_table(document, rows)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _docx_table(document: Any, rows: list[list[str]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = text
            if index == 0:
                cell.paragraphs[0].runs[0].bold = True
    document.add_paragraph()
