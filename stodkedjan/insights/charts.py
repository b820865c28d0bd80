"""Charts and the county map for the insights pages: SVG made on the server, numbers always in a table."""

from __future__ import annotations

import math
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext
from shapely.geometry import mapping
from shapely.geometry import shape as as_shape

from stodkedjan.core.charts import bar_chart
from stodkedjan.core.suppression import Figure
from stodkedjan.insights.coverage import Coverage

MAP_SIZE = 520
SIMPLIFY_PIXELS = 0.6  # shapes are simplified to what shows at the map's size (keeps a map of Sweden small)
CHARACTER_WIDTH = 6.5  # about, at font-size 11
LABEL_MIN_WIDTH = 60  # a municipality narrower than this (in map units) is not labelled on the map


def coverage_chart(coverages: list[Coverage], title: str, chart_id: str) -> SafeString:
    bars = [(c.area.name, Figure(c.verified)) for c in coverages]
    return bar_chart(bars, title, title, chart_id)


def trend_chart(points: list[tuple[str, int]], title: str, chart_id: str) -> SafeString:
    return bar_chart([(label, Figure(value)) for label, value in points], title, title, chart_id)


def _rings(shape: Any) -> list[list[list[float]]]:
    if shape.get("type") == "Polygon":
        return [shape["coordinates"][0]]
    if shape.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in shape["coordinates"]]
    if shape.get("type") == "GeometryCollection":
        return [ring for part in shape["geometries"] for ring in _rings(part)]
    return []


def county_map(
    coverages: list[Coverage],
    gap_counts: dict[int, int],
    title: str,
    shapes: dict[int, dict[str, Any]],
    vulnerable: list[tuple[str, str, dict[str, Any]]] | None = None,
) -> SafeString | None:
    """The municipalities drawn from their boundaries (``shapes`` by area key, where every one has a shape),
    each a link to its support chain with its name and count, hatched where there are gaps, and the county's
    vulnerable areas (name, code, shape) drawn over them as links. None when shapes are missing: the page
    then shows the grid of municipalities instead. East–west is scaled by the latitude, so shapes keep their
    proportions."""
    if not coverages or any(not shapes.get(c.area.pk) for c in coverages):
        return None
    points = [p for c in coverages for ring in _rings(shapes[c.area.pk]) for p in ring]
    if not points:
        return None
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    stretch = math.cos(math.radians((min_y + max_y) / 2))
    scale = MAP_SIZE / max((max_x - min_x) * stretch, max_y - min_y, 1e-9)
    width, height = (max_x - min_x) * stretch * scale, (max_y - min_y) * scale
    tolerance = SIMPLIFY_PIXELS / scale  # in degrees: no detail finer than the map can show

    def _rings_of(shape: dict[str, Any]) -> list[list[list[float]]]:
        return _rings(mapping(as_shape(shape).simplify(tolerance, preserve_topology=True)))

    def xy(point: list[float]) -> tuple[float, float]:
        return (point[0] - min_x) * stretch * scale, (max_y - point[1]) * scale

    def polygon(ring: list[list[float]], fill: str, stroke: str) -> str:
        coordinates = " ".join("{:.1f},{:.1f}".format(*xy(list(p))) for p in ring)
        return f'<polygon points="{coordinates}" fill="{fill}" stroke="{stroke}" stroke-width="1"/>'

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-10 -10 {width + 20:.0f} {height + 20:.0f}" '
        f'role="group" class="chart map" aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" '
        'font-size="11">',
        f"<title>{escape(title)}</title>",
        '<defs><pattern id="gap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#8a1c1c" stroke-width="2"/></pattern></defs>',
    ]
    labels = []
    for coverage in coverages:
        area = coverage.area
        gaps = gap_counts.get(area.pk, 0)
        fill = "url(#gap-hatch)" if gaps else "#dce6f2"
        rings = _rings_of(shapes[area.pk])
        label = f"{area.name}: " + ngettext(
            "%(counter)s verified offering", "%(counter)s verified offerings", coverage.verified
        ) % {"counter": coverage.verified}
        if gaps:
            label += ", " + ngettext("%(counter)s gap", "%(counter)s gaps", gaps) % {"counter": gaps}
        href = reverse("insights:area", kwargs={"area_code": area.code})
        parts.append(f'<a href="{href}" aria-label="{escape(label)}"><title>{escape(label)}</title>')
        parts.extend(polygon(ring, fill, "#1d4f91") for ring in rings)
        parts.append("</a>")
        largest = max(rings, key=len)
        xs = [xy(p)[0] for p in largest]
        if max(xs) - min(xs) < LABEL_MIN_WIDTH:
            continue  # too small to label without overlapping its neighbours: its link and the table name it
        cx, cy = xy([sum(p[0] for p in largest) / len(largest), sum(p[1] for p in largest) / len(largest)])
        text = f"{area.name} {coverage.verified}"
        half = len(text) * CHARACTER_WIDTH / 2
        cx = min(max(cx, half - 10), width + 10 - half)  # inside the drawing, not cut at its edge
        labels.append(
            f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" fill="#111" aria-hidden="true">{escape(text)}</text>'
        )
    for name, code, shape in vulnerable or []:
        href = reverse("insights:area", kwargs={"area_code": code})
        parts.append(f'<a href="{href}" aria-label="{escape(name)}"><title>{escape(name)}</title>')
        parts.extend(polygon(ring, "#b35900", "#5c2e00") for ring in _rings_of(shape))
        parts.append("</a>")
    parts.extend(labels)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
