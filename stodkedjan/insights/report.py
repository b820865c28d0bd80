"""The county board's report to the government on parenting support that prevents crime, made from the data:
coverage and gaps in vulnerable areas, plans and their follow-up, needs raised and answered, what parents said
(suppressed, DESIGN §6) and network and training activity. One list of sections, written as PDF and DOCX."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.vocabulary import Level
from stodkedjan.directory import freshness
from stodkedjan.geo.models import AreaKind
from stodkedjan.insights import charts, queries, tables
from stodkedjan.insights.models import AgeBand
from stodkedjan.plans import charts as plan_charts
from stodkedjan.plans import queries as plan_queries
from stodkedjan.plans.indicators import KOLADA_CREDIT
from stodkedjan.plans.models import IndicatorSource
from stodkedjan.surveys import analysis

CHOICE_KINDS = ("select_one", "select_multiple", "likert")
KINDS = ["T1", "T2", "VB"]


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    table_titles: list[str] = field(default_factory=list)  # one heading per table, in order
    chart: SafeString | str = ""
    chart_title: str = ""
    map: SafeString | str = ""
    map_caption: str = ""

    @property
    def titled_tables(self) -> list[tuple[str, list[list[str]]]]:
        titles = (self.table_titles + [""] * len(self.tables))[: len(self.tables)]
        return list(zip(titles, self.tables, strict=True))

    @property
    def figures(self) -> list[tuple[str, str]]:
        """Its chart and map as (SVG, caption), for Word, which draws them as pictures."""
        found = [(str(self.chart), self.chart_title)] if self.chart else []
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
            [_("Verified offerings and gaps in each vulnerable area")],
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
            [_("The county: verified offerings by age and level"), _("Each municipality: offerings by age")],
            charts.coverage_chart(page.parts, _("Verified offerings per municipality"), "report-parts")
            if page.parts
            else "",
            _("Verified offerings per municipality"),
        )
    )
    result.append(_freshness(board))
    result.append(_follow_up(board))
    result.append(_indicators(board))
    result.append(
        Section(
            _("Needs raised and answered"),
            [
                _(
                    "Needs are what municipal managers, providers and parents raised at dialogue meetings and "
                    "elsewhere; a need is answered when someone has said what will be done about it."
                )
            ]
            if board.needs
            else [_("No needs have been registered in the county yet.")],
            [tables.needs_rows(board.needs)] if board.needs else [],
            [_("Needs by theme")],
        )
    )
    result.append(_parents(board))
    result.append(
        Section(
            _("Network and training activity"),
            [_("The county's regional network and working groups, and the trainings held for their members.")],
            [tables.network_rows(board)],
            [_("Networks and trainings")],
        )
    )
    result.append(_change(board))
    return result


def _follow_up(board: queries.Dashboard) -> Section:
    """This year's T1, T2 and VB of every plan in the county, late ones said in words, then each organisation's
    latest round with its activities' statuses."""
    year = timezone.localdate().year
    rows = plan_queries.county_follow_up(board.organisation, year)
    totals = plan_queries.round_totals(rows, KINDS, timezone.localdate())
    section = Section(_("Local action plans and their follow-up"))
    section.paragraphs.append(
        ngettext(
            "The plans in the county call for %(total)s follow-up in %(year)s",
            "The plans in the county call for %(total)s follow-ups in %(year)s",
            totals.total,
        )
        % {"total": totals.total, "year": year}
        + ": "
        + _("submitted %(submitted)s, open %(open)s, late %(late)s, not opened %(not_opened)s.")
        % {"submitted": totals.submitted, "open": totals.open, "late": totals.late, "not_opened": totals.not_opened}
        + " "
        + _("A follow-up is late when its deadline has passed and it has not been submitted.")
    )
    unconnected = [row.name for row in rows if row.organisation is None]
    if unconnected:
        section.paragraphs.append(
            ngettext(
                "%(n)s municipality or district is not yet on the platform: %(names)s.",
                "%(n)s municipalities and districts are not yet on the platform: %(names)s.",
                len(unconnected),
            )
            % {"n": len(unconnected), "names": ", ".join(unconnected)}
        )
    table = [[_("Organisation"), _("Action plan"), *KINDS]]
    for row in rows:
        for plan in row.plans:
            found = plan.rounds_by_kind  # type: ignore[attr-defined]  # set by county_follow_up
            table.append([row.name, plan.title, *[_round_state(found.get(kind)) for kind in KINDS]])
    if len(table) > 1:
        section.tables.append(table)
        section.table_titles.append(_("The follow-ups of %(year)s, plan by plan") % {"year": year})
    if board.follow_up:
        section.tables.append(tables.follow_up_rows(board))
        section.table_titles.append(_("Each organisation's latest follow-up and its activities' status"))
    else:
        section.paragraphs.append(_("No organisation in the county has opened a follow-up round yet."))
    return section


def freshness_rows(rows: list[tuple[Any, freshness.Freshness]], total: freshness.Freshness) -> list[list[str]]:
    def cells(f: freshness.Freshness) -> list[str]:
        return [
            str(f.published),
            f"{f.verified_6} ({f.share_6} %)" if f.published else "0",
            f"{f.verified_12} ({f.share_12} %)" if f.published else "0",
            str(f.never_checked),
            f.oldest_check.isoformat() if f.oldest_check else "–",
            str(f.drafts_waiting),
        ]

    head = [
        _("Area"),
        _("Published"),
        _("Checked, last 6 months"),
        _("Checked, last 12 months"),
        _("Never checked"),
        _("Oldest check"),
        _("Changes waiting for review"),
    ]
    return [head, *[[area.name, *cells(f)] for area, f in rows], [_("All"), *cells(total)]]


def _freshness(board: queries.Dashboard) -> Section:
    """How fresh the directory is in each municipality: what the parents' finder shows is only as true as this."""
    county = board.organisation.area
    rows, total = freshness.by_municipality(county)
    section = Section(_("How fresh the directory is"))
    if not total.published:
        section.paragraphs.append(_("No offering is published in the county yet."))
        return section
    section.paragraphs.append(
        _(
            "Of the %(published)s offerings published in the county, %(six)s %% were checked by their provider in "
            "the last 6 months and %(twelve)s %% in the last 12; %(drafts)s changes wait for review. Offerings are "
            "counted where the organisation that publishes them is."
        )
        % {"published": total.published, "six": total.share_6, "twelve": total.share_12, "drafts": total.drafts_waiting}
    )
    section.tables.append(freshness_rows([(a, f) for a, f in rows if f.published], total))
    section.table_titles.append(_("Offerings checked by their providers, by municipality"))
    return section


def _indicators(board: queries.Dashboard) -> Section:
    """The indicators linked to the county's plans (and Kolada KPIs with values for the county), each as a
    table of its newest years: every municipality with values, the county and Sweden side by side."""
    county = board.organisation.area
    section = Section(_("Indicators"))
    indicators = plan_queries.county_indicators(county)
    if not indicators:
        section.paragraphs.append(
            _(
                "No indicator is linked to the county's plans yet, and no Kolada values for the county "
                "have been imported."
            )
        )
        return section
    section.paragraphs.append(
        _(
            "The indicators the plans in the county follow, each for the municipalities with values, the county "
            "and Sweden side by side."
        )
    )
    for indicator in indicators:
        years, rows = plan_queries.side_by_side(indicator, county)
        if not rows:
            continue
        table = [[_("Area"), *[str(year) for year in years]]]
        for area, values in rows:
            table.append([area.name, *[plan_charts.number(values[y]) if y in values else "–" for y in years]])
        section.tables.append(table)
        source = (
            f"{KOLADA_CREDIT}, nyckeltal {indicator.code}"
            if indicator.source == IndicatorSource.KOLADA
            else _("Own indicator %(code)s") % {"code": indicator.code}
        )
        unit = f" ({indicator.unit})" if indicator.unit and indicator.unit not in indicator.title else ""
        section.table_titles.append(f"{indicator.title}{unit}. {source}")
    return section


def _round_state(found: Any) -> str:
    if found is None:
        return _("not opened")
    if found.submitted_at:
        return _("submitted %(date)s") % {"date": date_format(timezone.localtime(found.submitted_at).date())}
    deadline = date_format(found.deadline)
    if found.deadline < timezone.localdate():
        return _("late: deadline %(date)s") % {"date": deadline}
    return _("open until %(date)s") % {"date": deadline}


def _change(board: queries.Dashboard) -> Section:
    """The county's and each municipality's verified offerings now and at the newest snapshot of an earlier
    month."""
    section = Section(_("Change since the previous snapshot"))
    areas = [board.page.area, *[row["coverage"].area for row in board.rows]]
    earlier = queries.previous_snapshot(areas)
    if earlier is None:
        section.paragraphs.append(
            _("No coverage snapshot of an earlier month has been taken yet; the comparison starts next month.")
        )
        return section
    month, by_area = earlier
    section.paragraphs.append(
        _(
            "Verified offerings now and on %(month)s, when the coverage was last stored in an earlier month. "
            "A fall often means that offerings have not been checked, not that they have closed."
        )
        % {"month": date_format(month, "F Y")}
    )
    now = {board.page.area.pk: board.page.coverage, **{row["coverage"].area.pk: row["coverage"] for row in board.rows}}
    table = [[_("Area"), date_format(month, "F Y"), _("Now"), _("Difference")]]
    for area in areas:
        then = by_area.get(area.pk)
        current = now[area.pk].verified
        table.append(
            [
                area.name,
                "–" if then is None else str(then),
                str(current),
                "–" if then is None else f"{current - then:+d}",
            ]
        )
    section.tables.append(table)
    section.table_titles.append(_("Verified offerings then and now"))
    return section


def _county_map(board: queries.Dashboard) -> SafeString | str:
    county = board.page.area
    title = _("Map of %(county)s: verified offerings and gaps per municipality") % {"county": county.name}
    return queries.overview_map(board.rows, county.pk, title, linked=False) or ""


def _summary(board: queries.Dashboard, vulnerable_areas: int) -> Section:
    c = board.page.coverage
    answered = sum(done for _t, _o, done in board.needs)
    still_open = sum(o for _t, o, _d in board.needs)
    in_areas = sum(1 for g in board.page.gaps if g.area.kind == AreaKind.VULNERABLE_AREA)
    submitted = sum(1 for s in board.follow_up if s.round and s.round.submitted_at)
    lines = [
        ngettext(
            "%(verified)s verified offering of parenting support serves the county",
            "%(verified)s verified offerings of parenting support serve the county",
            c.verified,
        )
        % {"verified": c.verified}
        + (
            ngettext(
                "; %(stale)s more has not been checked recently.",
                "; %(stale)s more have not been checked recently.",
                c.not_verified,
            )
            % {"stale": c.not_verified}
            if c.not_verified
            else "."
        ),
        ngettext(
            "%(gaps)s gap in the support chain of the county's %(areas)s vulnerable areas",
            "%(gaps)s gaps in the support chain of the county's %(areas)s vulnerable areas",
            in_areas,
        )
        % {"gaps": in_areas, "areas": vulnerable_areas}
        + ngettext(
            "; %(other)s more in the municipalities as a whole.",
            "; %(other)s more in the municipalities as a whole.",
            len(board.page.gaps) - in_areas,
        )
        % {"other": len(board.page.gaps) - in_areas},
        ngettext(
            "%(n)s organisation has opened a follow-up of its action plan",
            "%(n)s organisations have opened a follow-up of their action plans",
            len(board.follow_up),
        )
        % {"n": len(board.follow_up)}
        + ngettext("; %(submitted)s has submitted it.", "; %(submitted)s have submitted it.", submitted)
        % {"submitted": submitted},
        ngettext("%(open)s need is open", "%(open)s needs are open", still_open) % {"open": still_open}
        + ngettext("; %(answered)s answered or closed.", "; %(answered)s answered or closed.", answered)
        % {"answered": answered},
        ngettext(
            "%(events)s event or training in the last 12 months",
            "%(events)s events and trainings in the last 12 months",
            board.network.events_last_year,
        )
        % {"events": board.network.events_last_year}
        + ngettext(
            ", with %(people)s participant.",
            ", with %(people)s participants.",
            board.network.participants_last_year,
        )
        % {"people": board.network.participants_last_year},
    ]
    return Section(_("Summary"), lines)


def _parents(board: queries.Dashboard) -> Section:
    """Each survey round's number of respondents and every choice question, suppressed as everywhere."""
    section = Section(
        _("What parents said"),
        [
            _(
                "Parents answered anonymously. Figures for fewer respondents than the round's smallest group are "
                "not shown; where one figure could be worked out from the others, it is hidden too."
            )
        ],
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
        for question in survey_round.version.questions:
            if question.get("kind") in CHOICE_KINDS:
                section.tables.append(_answer_rows(analysis.frequencies(data, question)))
                section.table_titles.append(f"{survey_round.title}: {data.label(question['label'])}")
    return section


def _answer_rows(frequencies: analysis.Frequencies) -> list[list[str]]:
    """One question over all respondents: each answer with its count, and the number who answered."""
    rows = [[_("Answer"), _("Number of parents")]]
    rows += [[label, str(figure)] for label, figure in frequencies.overall]
    total = frequencies.table.total
    rows.append([_("Answered the question"), str(total) if total is not None else ""])
    return rows


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
    """The report as Word: A4, the title and the county board in the header, "Sida x av y" in the footer, the
    same charts as pictures, every table headed, and the document's own properties filled in."""
    from docx import Document
    from docx.shared import Cm, Pt

    with override("sv"):
        title = report_title(county_board)
        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, margin, Cm(2))
        section.header.paragraphs[0].text = f"{title} · {county_board.name}"
        _page_numbers(section.footer.paragraphs[0])
        properties = document.core_properties
        properties.title = title
        properties.author = properties.last_modified_by = county_board.name
        properties.created = properties.modified = timezone.now()
        properties.language = "sv-SE"
        properties.subject = _("Parenting support that prevents crime")
        properties.revision = 1
        document.styles["Normal"].font.name = "DejaVu Sans"
        document.styles["Normal"].font.size = Pt(10)
        document.add_heading(title, level=0)
        document.add_paragraph(
            _("%(organisation)s · made from Stödkedjan's data on %(date)s")
            % {"organisation": county_board.name, "date": date_format(timezone.localdate(), "j F Y")}
        )
        for part in sections(county_board):
            document.add_heading(part.title, level=1)
            for text in part.paragraphs:
                document.add_paragraph(text, style="List Bullet" if part.title == _("Summary") else None)
            for svg, caption in part.figures:
                document.add_picture(io.BytesIO(charts.as_png(svg)), width=Cm(16))
                if caption:
                    document.add_paragraph(caption, style="Caption")
            for caption, rows in part.titled_tables:
                if caption:
                    document.add_heading(caption, level=2)
                _docx_table(document, rows)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _page_numbers(paragraph: Any) -> None:
    """ "Sida 3 av 7", with Word's own PAGE and NUMPAGES fields, so it stays right as the text moves."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field(code: str) -> None:
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == code:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {code} "
            else:
                element = OxmlElement("w:t")
                element.text = text
            run._r.append(element)

    paragraph.add_run(_("Page") + " ")
    field("PAGE")
    paragraph.add_run(" " + _("of") + " ")
    field("NUMPAGES")


def _docx_table(document: Any, rows: list[list[str]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for index, row in enumerate(rows):
        added = table.add_row()
        if index == 0:  # the heading row repeats on every page the table runs over
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            added._tr.get_or_add_trPr().append(repeat)
        cells = added.cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = text
            if index == 0:
                cell.paragraphs[0].runs[0].bold = True
    document.add_paragraph()
