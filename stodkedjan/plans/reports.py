"""Reports that write themselves: the tertial reports and the annual report (VB) as DOCX and PDF, and the
plan as a spreadsheet in the column layout plans are imported from."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override

from stodkedjan.plans import charts, queries
from stodkedjan.plans.importer import HEADERS
from stodkedjan.plans.indicators import KOLADA_CREDIT
from stodkedjan.plans.models import ActionPlan, ActivityStatus, FollowUpRound, Indicator, IndicatorSource


@dataclass
class IndicatorFigure:
    indicator: Indicator
    series: dict[str, list[tuple[int, float]]]
    chart: charts.ChartGeometry
    years: list[int] = field(default_factory=list)

    @property
    def svg(self) -> Any:
        return charts.to_svg(self.chart, self.indicator.title, _("Values per year; the numbers are in the table."))

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        return [
            (name, [next((charts.number(v) for y, v in points if y == year), "–") for year in self.years])
            for name, points in self.series.items()
        ]

    @property
    def credit(self) -> str:
        if self.indicator.source != IndicatorSource.KOLADA:
            return ""
        return f"{KOLADA_CREDIT}, nyckeltal {self.indicator.code}"


def indicator_figure(indicator: Indicator, area_ids: list[int] | None = None) -> IndicatorFigure:
    series = queries.indicator_series(indicator, area_ids)
    years = sorted({y for points in series.values() for y, _v in points})
    return IndicatorFigure(indicator, series, charts.line_chart(series), years)


def report_context(round_: FollowUpRound) -> dict[str, Any]:
    """Everything a follow-up report says, computed once for both DOCX and PDF."""
    plan = round_.plan
    groups = queries.plan_table(plan, round_)
    counts = queries.status_counts(round_)
    reported = [a for g in groups for i in g.items for a in i.activities if a.follow_up_row is not None]
    indicators = {ind.pk: ind for g in groups for i in g.items for a in i.activities for ind in a.indicators.all()}
    area = plan.organisation.area
    area_ids = queries.comparison_area_ids(area)
    figures = [indicator_figure(ind, area_ids) for ind in indicators.values()]
    done = sum(n for status, _label, n in counts if status == ActivityStatus.DONE)
    on_track = sum(n for status, _label, n in counts if status == ActivityStatus.ON_TRACK)
    return {
        "plan": plan,
        "round": round_,
        "groups": groups,
        "counts": [c for c in counts if c[0]],
        "unreported": counts[-1][2],
        "total": len(reported),
        "done": done,
        "on_track": on_track,
        "effects": [a for a in reported if a.follow_up_row and a.follow_up_row.comment],
        "figures": [f for f in figures if f.series],
        "generated": timezone.localdate(),
    }


def report_title(round_: FollowUpRound) -> str:
    kind = _("Annual report") if round_.kind == "VB" else _("Tertial report %(n)s") % {"n": round_.kind[1]}
    return f"{kind} {round_.year} – {round_.plan.title}"


def to_pdf(round_: FollowUpRound) -> bytes:
    """The report as PDF, in Swedish (it goes to the council), A4 landscape with page numbers."""
    from weasyprint import CSS, HTML

    with override("sv"):
        context = report_context(round_)
        context |= {"title": report_title(round_), "summary": summary_lines(context)}
        html = render_to_string("plans/report.html", context)
        css = render_to_string("plans/report.css", context)
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[CSS(string=css)])


def to_docx(round_: FollowUpRound) -> bytes:
    """The same report as a Word document that the district can edit before it goes to the council."""
    with override("sv"):
        return _docx(round_)


def _docx(round_: FollowUpRound) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    context = report_context(round_)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.8))
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(9.5)
    _page_numbers(section.footer.paragraphs[0], OxmlElement, qn)

    document.add_heading(report_title(round_), level=0)
    plan = context["plan"]
    document.add_paragraph(f"{plan.organisation.name} · {plan.period_start}–{plan.period_end}")
    document.add_heading(_("Summary"), level=1)
    for line in summary_lines(context):
        document.add_paragraph(line, style="List Bullet")
    document.add_heading(_("Status per activity"), level=1)
    for group in context["groups"]:
        document.add_heading(group.title or _("Without priority"), level=2)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            [HEADERS["focus_area"], HEADERS["methods"], HEADERS["responsible"], _("Status"), _("Comment")],
            strict=True,
        ):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        _repeat_header(table.rows[0], OxmlElement, qn)
        for rows in group.items:
            for activity in rows.activities:
                row = activity.follow_up_row
                cells = table.add_row().cells
                cells[0].text = rows.item.focus_area
                cells[1].text = activity.methods
                cells[2].text = ", ".join(activity.responsible)
                cells[3].text = capfirst(row.get_status_display() if row and row.status else _("not reported"))
                cells[4].text = (row.comment if row else "") + "".join(
                    f"\n{link}" for link in (row.evidence if row else [])
                )
    if context["figures"]:
        document.add_heading(_("Indicators"), level=1)
        for figure in context["figures"]:
            document.add_heading(f"{figure.indicator.code} {figure.indicator.title}", level=2)
            document.add_picture(io.BytesIO(charts.to_png(figure.chart)), width=Cm(16))
            table = document.add_table(rows=1, cols=1 + len(figure.years))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, [_("Area"), *map(str, figure.years)], strict=True):
                cell.text = text
            for name, values in figure.rows:
                for cell, text in zip(table.add_row().cells, [name, *values], strict=True):
                    cell.text = text
            if figure.credit:
                document.add_paragraph(figure.credit)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def summary_lines(context: dict[str, Any]) -> list[str]:
    """What was done and with what effect, in sentences a council reads."""
    lines = [
        _("%(total)d activities were followed up: %(done)d done and %(on_track)d on track.")
        % {"total": context["total"], "done": context["done"], "on_track": context["on_track"]}
    ]
    for status, label, count in context["counts"]:
        if status not in (ActivityStatus.DONE, ActivityStatus.ON_TRACK) and count:
            lines.append(_("%(label)s: %(count)d.") % {"label": label.capitalize(), "count": count})
    if context["unreported"]:
        lines.append(_("%(count)d activities have not been reported.") % {"count": context["unreported"]})
    lines.extend(f"{a.methods.splitlines()[0][:120]}: {a.follow_up_row.comment}" for a in context["effects"][:8])
    return lines


def _page_numbers(paragraph: Any, element: Any, qn: Any) -> None:
    """ "Sida N av M" in the footer, as Word fields so Word counts the pages."""
    paragraph.add_run(_("Page") + " ")
    for index, instruction in enumerate(("PAGE", "NUMPAGES")):
        if index:
            paragraph.add_run(" " + _("of") + " ")
        run = paragraph.add_run()
        begin, text, end = element("w:fldChar"), element("w:instrText"), element("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        text.set(qn("xml:space"), "preserve")
        text.text = instruction
        end.set(qn("w:fldCharType"), "end")
        run._r.extend([begin, text, end])


def _repeat_header(row: Any, element: Any, qn: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = element("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def plan_rows(plan: ActionPlan) -> list[list[str]]:
    """The plan as the rows of its familiar table: header, then one row per activity."""
    rows = [list(HEADERS.values())]
    for group in queries.plan_table(plan):
        for rows_of_item in group.items:
            for index, activity in enumerate(rows_of_item.activities or [None]):
                first = index == 0
                rows.append(
                    [
                        group.title if first else "",
                        rows_of_item.item.focus_area if first else "",
                        rows_of_item.item.goals if first else "",
                        activity.methods if activity else "",
                        "\n".join(activity.responsible) if activity else "",
                        activity.timeframe if activity else "",
                        activity.follow_up_text if activity else "",
                    ]
                )
    return rows


def plan_to_xlsx(plan: ActionPlan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Plan")[:31]
    for row in plan_rows(plan):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (28, 28, 36, 48, 24, 12, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
