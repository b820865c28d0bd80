"""Charts and the county map for the insights pages: SVG made on the server, numbers always in a table."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext
from shapely.geometry import Point, box, mapping
from shapely.geometry import shape as as_shape

from stodkedjan.core.charts import bar_chart
from stodkedjan.core.suppression import Figure
from stodkedjan.insights.coverage import Coverage

MAP_SIZE = 520
SIMPLIFY_PIXELS = 0.6  # shapes are simplified to what shows at the map's size (keeps a map of Sweden small)
CHARACTER_WIDTH = 6.5  # about, at font-size 11
LABEL_HEIGHT = 11
LABEL_MIN_WIDTH = 60  # a municipality narrower than this (in map units) is not labelled on the map
VULNERABLE_FILL = "#b35900"
NEAR_SHARE = 0.25  # a place this share of the area's size outside its bounds counts as near it
NEAR_DEGREES = 0.01  # … and at least this far (about a kilometre north–south)


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


@dataclass
class Projection:
    """Longitude and latitude to map units, fitted to a box of points: east–west is scaled by the latitude so
    shapes keep their proportions, and shapes are simplified to what shows at the map's size."""

    min_x: float
    max_y: float
    stretch: float
    scale: float
    width: float
    height: float

    @classmethod
    def fitting(cls, points: list[list[float]]) -> Projection:
        min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
        min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
        stretch = math.cos(math.radians((min_y + max_y) / 2))
        scale = MAP_SIZE / max((max_x - min_x) * stretch, max_y - min_y, 1e-9)
        return cls(min_x, max_y, stretch, scale, (max_x - min_x) * stretch * scale, (max_y - min_y) * scale)

    def xy(self, point: list[float]) -> tuple[float, float]:
        return (point[0] - self.min_x) * self.stretch * self.scale, (self.max_y - point[1]) * self.scale

    def rings(self, shape: dict[str, Any]) -> list[list[list[float]]]:
        tolerance = SIMPLIFY_PIXELS / self.scale  # in degrees: no detail finer than the map can show
        return _rings(mapping(as_shape(shape).simplify(tolerance, preserve_topology=True)))

    def polygon(self, ring: list[list[float]], fill: str, stroke: str) -> str:
        coordinates = " ".join("{:.1f},{:.1f}".format(*self.xy(list(p))) for p in ring)
        return f'<polygon points="{coordinates}" fill="{fill}" stroke="{stroke}" stroke-width="1"/>'

    def opening(self, title: str, description: str = "") -> list[str]:
        """The svg element with its title (and description), and the hatching that marks gaps."""
        return [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-10 -10 {self.width + 20:.0f} {self.height + 20:.0f}" '
            f'role="group" class="chart map" aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" '
            'font-size="11">',
            f"<title>{escape(title)}</title>",
            f"<desc>{escape(description)}</desc>" if description else "",
            '<defs><pattern id="gap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)">'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#8a1c1c" stroke-width="2"/></pattern></defs>',
        ]

    def link(self, href: str, label: str, rings: list[list[list[float]]], fill: str, stroke: str) -> list[str]:
        """The shape as a link named by ``label`` (or, without ``href``, a named group: in a printed report)."""
        opening = f'<a href="{href}" aria-label="{escape(label)}">' if href else "<g>"
        return [
            f"{opening}<title>{escape(label)}</title>",
            *(self.polygon(ring, fill, stroke) for ring in rings),
            "</a>" if href else "</g>",
        ]


def county_map(
    coverages: list[Coverage],
    gap_counts: dict[int, int],
    title: str,
    shapes: dict[int, dict[str, Any]],
    vulnerable: list[tuple[str, str, dict[str, Any]]] | None = None,
    linked: bool = True,
) -> SafeString | None:
    """The municipalities drawn from their boundaries (``shapes`` by area key, where every one has a shape),
    each a link to its support chain with its name and count, hatched where there are gaps, and the county's
    vulnerable areas (name, code, shape) drawn over them as links (not ``linked``: for print). None when
    shapes are missing: the page then shows the grid of municipalities instead."""
    if not coverages or any(not shapes.get(c.area.pk) for c in coverages):
        return None
    points = [p for c in coverages for ring in _rings(shapes[c.area.pk]) for p in ring]
    if not points:
        return None
    projection = Projection.fitting(points)
    parts = projection.opening(title)
    candidates: list[tuple[float, list[float], str]] = []
    for coverage in coverages:
        area = coverage.area
        gaps = gap_counts.get(area.pk, 0)
        label = f"{area.name}: " + ngettext(
            "%(counter)s verified offering", "%(counter)s verified offerings", coverage.verified
        ) % {"counter": coverage.verified}
        if gaps:
            label += ", " + ngettext("%(counter)s gap", "%(counter)s gaps", gaps) % {"counter": gaps}
        href = reverse("insights:area", kwargs={"area_code": area.code}) if linked else ""
        fill = "url(#gap-hatch)" if gaps else "#dce6f2"
        rings = projection.rings(shapes[area.pk])
        parts.extend(projection.link(href, label, rings, fill, "#1d4f91"))
        largest = max(rings, key=len)
        xs = [projection.xy(p)[0] for p in largest]
        if max(xs) - min(xs) < LABEL_MIN_WIDTH:
            continue  # too small to label without overlapping its neighbours: its link and the table name it
        centre = [sum(p[0] for p in largest) / len(largest), sum(p[1] for p in largest) / len(largest)]
        candidates.append((max(xs) - min(xs), centre, f"{area.name} {coverage.verified}"))
    for name, code, shape in vulnerable or []:
        href = reverse("insights:area", kwargs={"area_code": code}) if linked else ""
        parts.extend(projection.link(href, name, projection.rings(shape), VULNERABLE_FILL, "#5c2e00"))
    parts.extend(_without_overlaps(projection, candidates))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def as_png(svg: str, width: int = 1200) -> bytes:
    """A chart or map as PNG (for Word, which shows no SVG), drawn by CairoSVG from the very same SVG."""
    import cairosvg

    png: bytes = cairosvg.svg2png(bytestring=svg.encode(), output_width=width)
    return png


def _without_overlaps(projection: Projection, candidates: list[tuple[float, list[float], str]]) -> list[str]:
    """The labels of the widest areas first; a label that would overlap one already placed is left out (its
    area's link and the table beside the map name it)."""
    placed: list[tuple[float, float, float, float]] = []
    labels = []
    for _width, point, text in sorted(candidates, key=lambda c: -c[0]):
        cx, cy, half = _label_position(projection, point, text)
        box = (cx - half, cy - LABEL_HEIGHT, cx + half, cy + 3)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        labels.append(_text(cx, cy, text))
    return labels


def _label_position(projection: Projection, point: list[float], text: str) -> tuple[float, float, float]:
    """Where a label's middle goes — inside the drawing, not cut at its edge — and half its width."""
    cx, cy = projection.xy(point)
    half = len(text) * CHARACTER_WIDTH / 2
    return min(max(cx, half - 10), projection.width + 10 - half), cy, half


def _label(projection: Projection, point: list[float], text: str, colour: str = "#111") -> str:
    cx, cy, _half = _label_position(projection, point, text)
    return _text(cx, cy, text, colour)


def _text(cx: float, cy: float, text: str, colour: str = "#111") -> str:
    return (
        f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" fill="{colour}" aria-hidden="true">{escape(text)}</text>'
    )


def _shape_label(projection: Projection, geometry: Any, text: str) -> str:
    """A name at a point inside the shape, where the shape is wide enough on the map to hold it."""
    min_x, _min_y, max_x, _max_y = geometry.bounds
    if not text or (max_x - min_x) * projection.stretch * projection.scale < max(LABEL_MIN_WIDTH, len(text) * 7):
        return ""
    point = geometry.representative_point()
    return _label(projection, [point.x, point.y], text, "#fff")  # on the vulnerable areas' fill: 5:1


# --- one area and the places of the offerings that serve it -------------------------------------------------
@dataclass(frozen=True)
class Place:
    name: str
    town: str
    latitude: float
    longitude: float
    offerings: int  # of those that serve the area, how many are given here


@dataclass
class PlacesNear:
    inside: list[Place]
    nearby: list[Place]
    further: int  # places further away (a county-wide offering's office…), counted, not drawn

    @property
    def drawn(self) -> int:
        return len(self.inside) + len(self.nearby)


def places_near(shape: dict[str, Any], places: list[Place]) -> PlacesNear:
    """The places in the area, those near it (within its bounding box widened by a quarter of its size, at
    least about a kilometre) and how many lie further away."""
    geometry = as_shape(shape)
    min_x, min_y, max_x, max_y = geometry.bounds
    margin_x = max((max_x - min_x) * NEAR_SHARE, NEAR_DEGREES * 2)
    margin_y = max((max_y - min_y) * NEAR_SHARE, NEAR_DEGREES)
    near = box(min_x - margin_x, min_y - margin_y, max_x + margin_x, max_y + margin_y)
    result = PlacesNear([], [], 0)
    for place in places:
        point = Point(place.longitude, place.latitude)
        if geometry.covers(point):
            result.inside.append(place)
        elif near.covers(point):
            result.nearby.append(place)
        else:
            result.further += 1
    return result


def area_map(
    shape: dict[str, Any],
    vulnerable: list[tuple[str, str, dict[str, Any]]],
    near: PlacesNear,
    title: str,
) -> SafeString | None:
    """The area drawn from its boundary, the vulnerable areas in or beside it as links (cut to the drawing),
    and the places of the offerings that serve it: filled dots in the area, rings near it (shape as well as
    colour tells them apart)."""
    if not _rings(shape):
        return None
    drawn = near.inside + near.nearby
    points = [p for ring in _rings(shape) for p in ring] + [[p.longitude, p.latitude] for p in drawn]
    projection = Projection.fitting(points)
    edge = 10 / projection.scale  # the drawing's margin, in degrees
    min_x, max_y = projection.min_x, projection.max_y
    max_x = min_x + projection.width / projection.scale / projection.stretch
    frame = box(
        min_x - edge / projection.stretch,
        max_y - projection.height / projection.scale - edge,
        max_x + edge / projection.stretch,
        max_y + edge,
    )
    description = ngettext("%(counter)s place in the area", "%(counter)s places in the area", len(near.inside)) % {
        "counter": len(near.inside)
    }
    description += ", " + ngettext("%(counter)s near it", "%(counter)s near it", len(near.nearby)) % {
        "counter": len(near.nearby)
    }
    parts = projection.opening(title, description + ".")
    parts.extend(projection.polygon(ring, "#dce6f2", "#1d4f91") for ring in projection.rings(shape))
    labels: list[str] = []
    for va_name, code, va_shape in vulnerable:
        seen = as_shape(va_shape).intersection(frame)
        if seen.is_empty:
            continue
        href = reverse("insights:area", kwargs={"area_code": code})
        parts.extend(projection.link(href, va_name, projection.rings(mapping(seen)), VULNERABLE_FILL, "#5c2e00"))
        labels.append(_shape_label(projection, seen, va_name))
    for place, inside in [(p, True) for p in near.inside] + [(p, False) for p in near.nearby]:
        x, y = projection.xy([place.longitude, place.latitude])
        label = f"{place.name}: " + ngettext("%(counter)s offering", "%(counter)s offerings", place.offerings) % {
            "counter": place.offerings
        }
        paint = 'fill="#111" stroke="#fff"' if inside else 'fill="#fff" stroke="#111" stroke-width="2"'
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" {paint}><title>{escape(label)}</title></circle>')
    parts.extend(label for label in labels if label)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
