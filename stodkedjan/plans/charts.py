"""Indicator charts drawn on the server: one geometry, drawn as SVG for pages and PDF, and as PNG for DOCX.

Lines are told apart by dash pattern and marker shape as well as colour, so a chart reads in black and
white and for people who do not see colour; the numbers are always in a table beside it.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 170, 20, 40
COLOURS = ["#1d4f91", "#b5421c", "#2e7d32", "#6a1b9a", "#5d4037", "#00695c"]
DASHES = ["", "6 4", "2 3", "10 3 2 3", "1 5", "8 8"]


@dataclass
class Line:
    name: str
    points: list[tuple[float, float]]
    colour: str
    dash: str
    marker: int


@dataclass
class ChartGeometry:
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    empty: bool


def _nice_step(span: float) -> float:
    raw = span / 4 or 1
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def number(value: float) -> str:
    """A figure as the reader's language writes it: whole from 100 up, with a space between thousands, else one
    decimal with the language's decimal sign (7,2 in Swedish)."""
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}".replace(",", "\u00a0")
    return formats.number_format(value, 1)


def line_chart(series: dict[str, list[tuple[int, float]]]) -> ChartGeometry:
    """Place every (year, value) of every series in the plot area, with ticks on round numbers."""
    years = sorted({year for points in series.values() for year, _v in points})
    values = [v for points in series.values() for _y, v in points]
    if not years:
        return ChartGeometry([], [], [], True)
    low = min(0.0, min(values))
    step = _nice_step(max(values) - low)
    high = math.ceil(max(values) / step) * step or step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: int) -> float:
        return LEFT + (plot_w / 2 if len(years) == 1 else plot_w * years.index(year) / (len(years) - 1))

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    lines = [
        Line(name, [(x(year), y(v)) for year, v in points], COLOURS[i % 6], DASHES[i % 6], i % 3)
        for i, (name, points) in enumerate(series.items())
    ]
    ticks = [low + step * i for i in range(round((high - low) / step) + 1)]
    return ChartGeometry(lines, [(x(year), str(year)) for year in years], [(y(t), number(t)) for t in ticks], False)


def _marker_svg(marker: int, px: float, py: float, colour: str) -> str:
    if marker == 0:
        return f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>'
    if marker == 1:
        return f'<rect x="{px - 4:.1f}" y="{py - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return f'<path d="M{px:.1f} {py - 5:.1f}L{px + 5:.1f} {py + 4:.1f}L{px - 5:.1f} {py + 4:.1f}Z" fill="{colour}"/>'


def to_svg(chart: ChartGeometry, title: str, description: str) -> SafeString:
    """An accessible SVG: a title and description for screen readers, which also find the table after it."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="chart" font-family="DejaVu Sans, sans-serif" font-size="12">',
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(description)}</desc>',
    ]
    for ty, label in chart.y_ticks:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#ccc"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#333">{escape(label)}</text>')
    for tx, label in chart.x_ticks:
        parts.append(f'<text x="{tx:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="#333">{label}</text>')
    for i, line in enumerate(chart.lines):
        points = " ".join(f"{px:.1f},{py:.1f}" for px, py in line.points)
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{line.colour}" stroke-width="2.5"{dash}/>')
        parts.extend(_marker_svg(line.marker, px, py, line.colour) for px, py in line.points)
        ly = TOP + 10 + i * 20
        lx = WIDTH - RIGHT + 12
        parts.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{line.colour}" stroke-width="2.5"{dash}/>'
        )
        parts.append(_marker_svg(line.marker, lx + 12, ly, line.colour))
        parts.append(f'<text x="{lx + 30}" y="{ly + 4}" fill="#111">{escape(line.name[:18])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def to_png(chart: ChartGeometry, scale: int = 2) -> bytes:
    """The same chart as a PNG, for Word documents (which cannot show SVG everywhere)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH * scale, HEIGHT * scale), "white")
    draw = ImageDraw.Draw(image)
    font: Any
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 12 * scale)
    except OSError:
        font = ImageFont.load_default()

    def s(value: float) -> float:
        return value * scale

    for ty, label in chart.y_ticks:
        draw.line([(s(LEFT), s(ty)), (s(WIDTH - RIGHT), s(ty))], fill="#cccccc", width=scale)
        draw.text((s(LEFT - 6), s(ty)), label, fill="#333333", font=font, anchor="rm")
    for tx, label in chart.x_ticks:
        draw.text((s(tx), s(HEIGHT - BOTTOM + 14)), label, fill="#333333", font=font, anchor="mm")
    for i, line in enumerate(chart.lines):
        points = [(s(px), s(py)) for px, py in line.points]
        if len(points) > 1:
            draw.line(points, fill=line.colour, width=3 * scale // 2 + 1)
        for px, py in [*points, (s(WIDTH - RIGHT + 24), s(TOP + 10 + i * 20))]:
            r = 4 * scale
            shape = [(px - r, py - r), (px + r, py + r)]
            if line.marker == 0:
                draw.ellipse(shape, fill=line.colour)
            elif line.marker == 1:
                draw.rectangle(shape, fill=line.colour)
            else:
                draw.polygon([(px, py - r), (px + r, py + r), (px - r, py + r)], fill=line.colour)
        draw.text((s(WIDTH - RIGHT + 42), s(TOP + 10 + i * 20)), line.name[:18], fill="#111111", font=font, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
