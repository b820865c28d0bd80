"""Charts and the county map for the insights pages: SVG made on the server, numbers always in a table."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from stodkedjan.core.charts import bar_chart
from stodkedjan.core.suppression import Figure
from stodkedjan.insights.coverage import Coverage

MAP_SIZE = 520


def coverage_chart(coverages: list[Coverage], title: str, chart_id: str) -> SafeString:
    bars = [(c.area.name, Figure(c.verified)) for c in coverages]
    return bar_chart(bars, title, title, chart_id)


def trend_chart(points: list[tuple[str, int]], title: str, chart_id: str) -> SafeString:
    return bar_chart([(label, Figure(value)) for label, value in points], title, title, chart_id)


def _rings(shape: dict) -> list[list[list[float]]]:
    if shape.get("type") == "Polygon":
        return [shape["coordinates"][0]]
    if shape.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in shape["coordinates"]]
    return []


def county_map(coverages: list[Coverage], gap_counts: dict[int, int], title: str) -> SafeString | None:
    """The municipalities drawn from their GeoJSON shapes (where every one has a shape), each labelled with
    its count and marked with a hatch where there are gaps. None when shapes are missing: the page then
    shows the grid of municipalities instead."""
    if not coverages or any(not c.area.shape for c in coverages):
        return None
    points = [p for c in coverages for ring in _rings(c.area.shape or {}) for p in ring]
    if not points:
        return None
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    scale = MAP_SIZE / max(max_x - min_x, max_y - min_y, 1e-9)

    def xy(point: list[float]) -> str:
        return f"{(point[0] - min_x) * scale:.1f},{(max_y - point[1]) * scale:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-10 -10 {MAP_SIZE + 20} {MAP_SIZE + 20}" role="img" '
        f'class="chart map" aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" font-size="11">',
        '<defs><pattern id="gap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#8a1c1c" stroke-width="2"/></pattern></defs>',
    ]
    for coverage in coverages:
        fill = "url(#gap-hatch)" if gap_counts.get(coverage.area.pk) else "#dce6f2"
        for ring in _rings(coverage.area.shape or {}):
            parts.append(
                f'<polygon points="{" ".join(xy(p) for p in ring)}" fill="{fill}" stroke="#1d4f91" stroke-width="1">'
                f"<title>{escape(coverage.area.name)}: {coverage.verified}</title></polygon>"
            )
        ring = _rings(coverage.area.shape or {})[0]
        cx = sum(p[0] for p in ring) / len(ring)
        cy = sum(p[1] for p in ring) / len(ring)
        parts.append(
            f'<text x="{(cx - min_x) * scale:.1f}" y="{(max_y - cy) * scale:.1f}" text-anchor="middle" fill="#111">'
            f"{escape(coverage.area.name)} {coverage.verified}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
