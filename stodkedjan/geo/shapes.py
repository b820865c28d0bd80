"""Shapes: the police's published boundaries of vulnerable areas and the municipalities' boundaries, read with
shapely and reprojected with pyproj, and the placing of a point in them.

The police publish their list as GeoJSON in SWEREF 99 TM (EPSG:3006); we keep every shape in WGS 84 (GeoJSON's
own system) in ``Area.shape``. The municipal boundaries we ship are simplified (about 2 % of the vertices), so
a point is only said to lie *outside* the municipality it names when it is more than ``MARGIN_METRES`` away;
the police's boundaries are exact.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import shapely
from pyproj import Transformer
from shapely import STRtree
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

WGS84 = 4326
SWEREF99TM = 3006
MARGIN_METRES = 500
COORDINATE_DECIMALS = 6  # about 0.1 m


@dataclass
class PoliceArea:
    """One feature of a police list: its name and category as published, its shape in WGS 84."""

    number: int  # the feature's place in the file, from 1
    name: str
    category: str
    geometry: BaseGeometry
    properties: dict[str, Any]


@dataclass
class ShapeProblem:
    number: int
    field: str
    message: str


def crs_of(document: dict[str, Any]) -> int:
    """The EPSG code a GeoJSON document names (``EPSG:3006``, ``urn:ogc:def:crs:EPSG::3006``); WGS 84 if none."""
    name = str(((document.get("crs") or {}).get("properties") or {}).get("name") or "")
    found = re.search(r"EPSG:+(\d+)", name)
    return int(found.group(1)) if found else WGS84


@cache
def _to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, WGS84, always_xy=True)


@cache
def _to_metres() -> Transformer:
    return Transformer.from_crs(WGS84, SWEREF99TM, always_xy=True)


def _reprojected(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    return shapely.transform(geometry, transformer.transform, interleaved=False)  # type: ignore[arg-type]


def name_of(text: str) -> str:
    """A police area's name as one spelling: "Hallunda / Norsborg" and "Hallunda/Norsborg" are the same area."""
    return re.sub(r"\s*/\s*", "/", " ".join(text.split()))


def read_police_geojson(content: bytes) -> tuple[list[PoliceArea], list[ShapeProblem]]:
    """The features of a police list, reprojected to WGS 84, and every problem with one (by feature number)."""
    try:
        document = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return [], [ShapeProblem(0, "(file)", f"not GeoJSON: {error}")]
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        return [], [ShapeProblem(0, "(file)", "not a GeoJSON FeatureCollection (no list called “features”)")]
    try:
        reproject = _to_wgs84(crs_of(document))
    except Exception as error:  # pyproj's CRSError for a code it does not know
        return [], [ShapeProblem(0, "crs", f"unknown coordinate system: {error}")]
    areas, problems = [], []
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        name = name_of(str(properties.get("NAMN") or properties.get("name") or ""))
        category = " ".join(str(properties.get("KATEGORI") or properties.get("category") or "").lower().split())
        if not name:
            problems.append(ShapeProblem(number, "NAMN", "the area has no name"))
        try:
            geometry = shape((feature or {}).get("geometry") or {})
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            problems.append(ShapeProblem(number, "geometry", f"not a GeoJSON geometry ({error})"))
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
            problems.append(ShapeProblem(number, "geometry", f"a {geometry.geom_type}, not a polygon"))
            continue
        if not geometry.is_valid:
            problems.append(ShapeProblem(number, "geometry", f"not a valid polygon: {explain_validity(geometry)}"))
            continue
        areas.append(PoliceArea(number, name, category, _reprojected(geometry, reproject), properties))
    return areas, problems


def read_municipality_shapes(content: bytes) -> dict[str, BaseGeometry]:
    """Municipality code → its (simplified) boundary, from a WGS 84 GeoJSON keyed by ``id`` (SCB's code)."""
    document = json.loads(content)
    return {str(f["properties"]["id"]): shape(f["geometry"]) for f in document["features"]}


def as_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """A geometry as a GeoJSON dict with coordinates rounded to ``COORDINATE_DECIMALS``."""

    def rounded(node: Any) -> Any:
        if isinstance(node, list | tuple):
            if node and isinstance(node[0], float | int):
                return [round(float(v), COORDINATE_DECIMALS) for v in node]
            return [rounded(item) for item in node]
        return node

    data = mapping(geometry)
    return {"type": data["type"], "coordinates": rounded(data["coordinates"])}


def union(parts: list[BaseGeometry], tolerance: float) -> BaseGeometry:
    """One outline of several shapes (a county of its municipalities), simplified by ``tolerance`` degrees."""
    merged = shapely.union_all([shapely.make_valid(p) for p in parts]).buffer(0)
    return merged.simplify(tolerance, preserve_topology=True)


def in_metres(geometry: BaseGeometry) -> BaseGeometry:
    """A WGS 84 geometry in SWEREF 99 TM, where distances are metres."""
    return _reprojected(geometry, _to_metres())


def metres_from(metric: BaseGeometry, latitude: float, longitude: float) -> float:
    """The distance in metres from a point to a geometry already in SWEREF 99 TM (0 inside it)."""
    return float(metric.distance(Point(_to_metres().transform(longitude, latitude))))


def points(latitude_longitude: list[tuple[float, float]]) -> Any:
    """Shapely points (an array) for (latitude, longitude) pairs."""
    return shapely.points([(lon, lat) for lat, lon in latitude_longitude])


class Index:
    """Shapes by key, for point-in-polygon at many points (an STR tree of their bounding boxes)."""

    def __init__(self, shapes: dict[str, BaseGeometry]) -> None:
        self.by_key = dict(shapes)
        self.keys = list(shapes)
        self.geometries = [shapes[k] for k in self.keys]
        self.tree = STRtree(self.geometries)

    def containing(self, latitude: float, longitude: float) -> str | None:
        point = Point(longitude, latitude)
        for index in self.tree.query(point, predicate="intersects"):
            return self.keys[int(index)]
        return None

    def nearest(self, geometry: BaseGeometry) -> str | None:
        if not self.keys:
            return None
        index = self.tree.nearest(geometry)
        return self.keys[int(index)] if index is not None else None
