"""Loading reference geography: counties, municipalities, Stockholm's districts, the police's lists.

Everything here is idempotent: running it again changes only what differs and creates no duplicates.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stodkedjan.geo import shapes
from stodkedjan.geo.models import Area, AreaKind, PoliceCategory, VulnerableAreaAssessment

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRY_CODE = "SE"
SCB_SOURCE = "SCB, kommun- och länskoder (se geo/data/SOURCE.md)"
STOCKHOLM_SOURCE = "Stockholms stad, stadsdelsnämnder (se geo/data/SOURCE.md)"

CATEGORY_WORDS = {
    "utsatt område": PoliceCategory.VULNERABLE,
    "riskområde": PoliceCategory.RISK,
    "särskilt utsatt område": PoliceCategory.PARTICULARLY_VULNERABLE,
}
VULNERABLE_AREA_COLUMNS = ("omrade", "kommunkod", "kategori", "lista_ar")
LIST_YEARS = range(2015, 2101)  # the years a police list can have


@dataclass
class LoadReport:
    """What a load changed, counted per area kind and outcome (created / updated / unchanged)."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def total(self, outcome: str) -> int:
        return sum(n for (_kind, out), n in self.counts.items() if out == outcome)

    def lines(self) -> list[str]:
        kinds = sorted({kind for kind, _outcome in self.counts})
        return [
            f"{kind}: {self.counts[(kind, 'created')]} created, {self.counts[(kind, 'updated')]} updated, "
            f"{self.counts[(kind, 'unchanged')]} unchanged"
            for kind in kinds
        ]


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRejected(Exception):
    """The file had errors; nothing was imported. ``errors`` lists every one with its row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


class _AreaWriter:
    """Upserts areas by code, holding every existing area in memory so a re-run costs few queries."""

    def __init__(self, report: LoadReport) -> None:
        self.report = report
        self.by_code: dict[str, Area] = {a.code: a for a in Area.objects.all()}

    def upsert(self, code: str, kind: str, **values: Any) -> Area:
        area = self.by_code.get(code)
        if area is None:
            area = Area.objects.create(code=code, kind=kind, **values)
            if kind == AreaKind.COUNTY and area.county_id is None:
                area.county = area
                area.save(update_fields=["county"])
            self.by_code[code] = area
            self.report.add(kind, "created")
            return area
        if area.kind != kind:
            raise ValueError(f"Area code {code} is already used by a {area.kind}, not a {kind}")
        if kind == AreaKind.COUNTY:
            values["county"] = area
        changed = [name for name, value in values.items() if _stored(area, name) != _stored_value(value)]
        if changed:
            for name in changed:
                setattr(area, name, values[name])
            area.save(update_fields=changed)
            self.report.add(kind, "updated")
        else:
            self.report.add(kind, "unchanged")
        return area


CURRENT_POLICE_LIST = ("utsatta_omraden_2025.geojson", 2025)
COUNTY_SIMPLIFY_DEGREES = 0.002  # a county's outline, made from its municipalities' (about 150 m)


def _shape_values(geometry: shapes.BaseGeometry | None) -> dict[str, Any]:
    """An area's stored boundary and the point inside it that stands for it (its centre when that lies inside)."""
    if geometry is None:
        return {}
    point = geometry.centroid if geometry.contains(geometry.centroid) else geometry.representative_point()
    return {
        "shape": shapes.as_geojson(geometry),
        "centroid_latitude": round(point.y, shapes.COORDINATE_DECIMALS),
        "centroid_longitude": round(point.x, shapes.COORDINATE_DECIMALS),
    }


def _stored(area: Area, name: str) -> Any:
    """A field's stored value; for a related area its key (no query for the related row)."""
    field = Area._meta.get_field(name)
    return getattr(area, f"{name}_id") if field.many_to_one else getattr(area, name)


def _stored_value(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


@transaction.atomic
def load_reference_data(data_dir: Path = DATA_DIR) -> LoadReport:
    """Load Sweden, its 21 counties and 290 municipalities with their boundaries, Stockholm's districts, the
    police's 2023 list for Stockholm county (history) and the current list with its boundaries."""
    report = LoadReport()
    writer = _AreaWriter(report)
    country = writer.upsert(COUNTRY_CODE, AreaKind.COUNTRY, name="Sverige", parent=None, county=None, source=SCB_SOURCE)
    boundaries = shapes.read_municipality_shapes((data_dir / MUNICIPALITY_SHAPES.name).read_bytes())
    municipality_rows = read_csv(data_dir / "kommuner.csv")
    counties = {}
    for row in read_csv(data_dir / "lan.csv"):
        parts = [boundaries[m["kommunkod"]] for m in municipality_rows if m["lanskod"] == row["lanskod"]]
        outline = shapes.union(parts, COUNTY_SIMPLIFY_DEGREES) if parts else None
        counties[row["lanskod"]] = writer.upsert(
            row["lanskod"],
            AreaKind.COUNTY,
            name=row["namn"],
            parent=country,
            source=SCB_SOURCE,
            **_shape_values(outline),
        )
    for row in municipality_rows:
        county = counties[row["lanskod"]]
        writer.upsert(
            row["kommunkod"],
            AreaKind.MUNICIPALITY,
            name=row["namn"],
            parent=county,
            county=county,
            source=SCB_SOURCE,
            **_shape_values(boundaries.get(row["kommunkod"])),
        )
    for row in read_csv(data_dir / "stockholm_stadsdelsomraden.csv"):
        municipality = writer.by_code[row["kommunkod"]]
        writer.upsert(
            row["kod"],
            AreaKind.DISTRICT,
            name=row["namn"],
            parent=municipality,
            county=municipality.county,
            source=STOCKHOLM_SOURCE,
        )
    districts = {
        (row["omrade"], row["kommunkod"]): row["stadsdel"]
        for row in read_csv(data_dir / "utsatta_omraden_stadsdelar.csv")
    }
    rows = read_csv(data_dir / "utsatta_omraden_stockholms_lan_2023.csv")
    _import_vulnerable_rows(rows, writer, districts)
    name, year = CURRENT_POLICE_LIST
    _import_police_list(data_dir / name, year, writer)
    return report


def vulnerable_area_code(municipality_code: str, name: str) -> str:
    """Stable code for a vulnerable area: ``0127-uo-alby`` (uo: utsatt område, apart from district slugs)."""
    return f"{municipality_code}-uo-{slugify(name.replace('/', ' '))}"


def _not_a_category(row: int, column: str, value: Any) -> RowError:
    return RowError(
        row,
        column,
        _("%(value)r is not a police category (%(choices)s)") % {"value": value, "choices": ", ".join(CATEGORY_WORDS)},
    )


def _not_a_year(row: int, column: str, value: Any) -> RowError:
    return RowError(row, column, _("%(value)r is not a year") % {"value": value})


def _validate_vulnerable_rows(rows: list[dict[str, str]], known_codes: set[str]) -> list[RowError]:
    errors: list[RowError] = []
    if rows:
        missing = [c for c in VULNERABLE_AREA_COLUMNS if c not in rows[0]]
        if missing:
            return [RowError(1, c, _("the column is missing")) for c in missing]
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        if not row.get("omrade"):
            errors.append(RowError(number, "omrade", _("the area has no name")))
        if row.get("kommunkod") not in known_codes:
            errors.append(
                RowError(number, "kommunkod", _("%(code)r is not a municipality code") % {"code": row.get("kommunkod")})
            )
        if row.get("kategori", "").lower() not in CATEGORY_WORDS:
            errors.append(_not_a_category(number, "kategori", row.get("kategori")))
        year = row.get("lista_ar", "")
        if not (year.isdigit() and int(year) in LIST_YEARS):
            errors.append(_not_a_year(number, "lista_ar", year))
        key = (row.get("omrade", ""), row.get("kommunkod", ""), year)
        if key in seen:
            errors.append(
                RowError(number, "omrade", _("the same area and year are already on row %(row)s") % {"row": seen[key]})
            )
        seen.setdefault(key, number)
    return errors


def _import_vulnerable_rows(
    rows: list[dict[str, str]], writer: _AreaWriter, districts: dict[tuple[str, str], str] | None = None
) -> int:
    municipality_codes = {code for code, a in writer.by_code.items() if a.kind == AreaKind.MUNICIPALITY}
    errors = _validate_vulnerable_rows(rows, municipality_codes)
    if errors:
        raise ImportRejected(errors)
    districts = districts or {}
    touched: dict[int, Area] = {}
    for row in rows:
        municipality = writer.by_code[row["kommunkod"]]
        district_code = districts.get((row["omrade"], row["kommunkod"]), "")
        area = writer.upsert(
            vulnerable_area_code(row["kommunkod"], row["omrade"]),
            AreaKind.VULNERABLE_AREA,
            name=row["omrade"],
            parent=writer.by_code.get(district_code, municipality),
            county=municipality.county,
        )
        VulnerableAreaAssessment.objects.update_or_create(
            area=area,
            list_year=int(row["lista_ar"]),
            defaults={"category": CATEGORY_WORDS[row["kategori"].lower()], "source": row.get("kalla", "")},
        )
        touched[area.pk] = area
    _mirror_latest_assessment(touched.values())
    return len(rows)


def _mirror_latest_assessment(areas: Iterable[Area]) -> None:
    """Copy each area's most recent assessment onto the area itself."""
    for area in areas:
        latest = area.police_assessments.order_by("-list_year").first()
        if latest is None:
            continue
        values = {"police_category": latest.category, "list_year": latest.list_year, "source": latest.source}
        changed = [name for name, value in values.items() if getattr(area, name) != value]
        if changed:
            for name in changed:
                setattr(area, name, values[name])
            area.save(update_fields=changed)


@transaction.atomic
def import_vulnerable_areas(path: Path) -> int:
    """Import one police list (CSV: omrade, kommun, kommunkod, kategori, lista_ar, kalla). All or nothing.

    Returns the number of rows imported; raises :class:`ImportRejected` listing every bad row.
    """
    writer = _AreaWriter(LoadReport())
    return _import_vulnerable_rows(read_csv(path), writer)


# --- the police's lists as GeoJSON, with their boundaries --------------------------------------------------
MUNICIPALITY_SHAPES = DATA_DIR / "kommuner.geojson"
POLICE_SOURCE = "Polismyndigheten, {file}"


@cache
def municipality_index() -> shapes.Index:
    """The shipped (simplified) municipal boundaries, by SCB code."""
    return shapes.Index(shapes.read_municipality_shapes(MUNICIPALITY_SHAPES.read_bytes()))


def list_year_of(path: Path) -> int | None:
    """The list year a file's name gives (``utsatta_omraden_2025.geojson`` → 2025)."""
    found = re.search(r"(20\d\d)", path.name)
    return int(found.group(1)) if found else None


@transaction.atomic
def import_police_geojson(path: Path, year: int) -> int:
    """Import one police list as published (GeoJSON, any coordinate system it names): each area with its
    boundary in WGS 84, placed in the municipality its boundary lies in, its category for ``year``. Areas of
    earlier lists stay, with their years; an earlier area in the same municipality that is not on this list
    is linked to the areas of this list that carry a part of its name (the 2025 list split several areas).
    All or nothing; raises :class:`ImportRejected` listing every bad feature (its number in the file)."""
    return _import_police_list(path, year, _AreaWriter(LoadReport()))


def _import_police_list(path: Path, year: int, writer: _AreaWriter) -> int:
    listed, problems = shapes.read_police_geojson(path.read_bytes())
    errors = [RowError(p.number, p.field, p.message) for p in problems]
    if year not in LIST_YEARS:
        errors.append(_not_a_year(0, "year", year))
    errors += [
        _not_a_category(f.number, "KATEGORI", f.properties.get("KATEGORI"))
        for f in listed
        if f.category not in CATEGORY_WORDS
    ]
    if errors:
        raise ImportRejected(errors)
    districts = {
        (shapes.name_of(row["omrade"]), row["kommunkod"]): row["stadsdel"]
        for row in read_csv(DATA_DIR / "utsatta_omraden_stadsdelar.csv")
    }
    source = POLICE_SOURCE.format(file=path.name)
    touched: dict[int, Area] = {}
    for police_area in listed:
        point = police_area.geometry.representative_point()
        municipality_code = municipality_index().containing(point.y, point.x) or municipality_index().nearest(point)
        municipality = writer.by_code[str(municipality_code)]
        code = vulnerable_area_code(municipality.code, police_area.name)
        existing = writer.by_code.get(code)
        district = districts.get((police_area.name, municipality.code), "")
        parent = writer.by_code.get(district) or (existing.parent if existing else None) or municipality
        area = writer.upsert(
            code,
            AreaKind.VULNERABLE_AREA,
            name=police_area.name,
            parent=parent,
            county=municipality.county,
            shape=shapes.as_geojson(police_area.geometry),
            centroid_latitude=round(point.y, 6),
            centroid_longitude=round(point.x, 6),
        )
        VulnerableAreaAssessment.objects.update_or_create(
            area=area, list_year=year, defaults={"category": CATEGORY_WORDS[police_area.category], "source": source}
        )
        touched[area.pk] = area
    _link_replacements(list(touched.values()), year)
    _mirror_latest_assessment(touched.values())
    return len(listed)


def _name_parts(name: str) -> set[str]:
    parts = {p.strip().casefold() for p in name.split("/") if p.strip()}
    return parts | {p.split()[0] for p in parts if p.split()}


def _link_replacements(current: list[Area], year: int) -> None:
    """Earlier areas not on the list of ``year`` → the areas of that list in the same municipality whose names
    share a part with theirs ("Rinkeby/Tensta" → Rinkeby, Tensta; "Hässelby/Vällingby" → Hässelby gård)."""
    by_municipality: dict[str, list[Area]] = {}
    for area in current:
        by_municipality.setdefault(area.code.split("-")[0], []).append(area)
    on_list = {a.pk for a in current}
    earlier = (
        Area.objects.filter(kind=AreaKind.VULNERABLE_AREA, police_assessments__list_year__lt=year)
        .exclude(pk__in=on_list)
        .exclude(police_assessments__list_year=year)
        .distinct()
    )
    for old in earlier:
        parts = _name_parts(old.name)
        successors = [a for a in by_municipality.get(old.code.split("-")[0], []) if _name_parts(a.name) & parts]
        if successors:
            old.replaced_by.set(successors)


# --- placing a point ------------------------------------------------------------------------------------------
@dataclass
class Placement:
    vulnerable_area_id: int | None
    outside_municipality: bool  # more than shapes.MARGIN_METRES outside the municipality the place names


_vulnerable_index: dict[tuple[Any, ...], shapes.Index] = {}


def current_vulnerable_areas() -> shapes.Index:
    """The areas of the newest police list that has boundaries, rebuilt when the areas change."""
    shaped = Area.objects.filter(kind=AreaKind.VULNERABLE_AREA, shape__isnull=False)
    version = tuple(
        shaped.aggregate(n=models.Count("pk"), last=models.Max("pk"), year=models.Max("list_year")).values()
    )
    if version not in _vulnerable_index:
        rows = [(pk, data) for pk, data in shaped.filter(list_year=version[2]).values_list("pk", "shape") if data]
        _vulnerable_index.clear()
        _vulnerable_index[version] = shapes.Index({str(pk): shapes.shape(data) for pk, data in rows})
    return _vulnerable_index[version]


def municipality_of(area: Area) -> Area | None:
    """The municipality an area is or lies in (walking up from a district or a vulnerable area)."""
    node: Area | None = area
    while node is not None and node.kind not in (AreaKind.MUNICIPALITY, AreaKind.COUNTY, AreaKind.COUNTRY):
        node = node.parent
    return node if node is not None and node.kind == AreaKind.MUNICIPALITY else None


def place(latitude: float, longitude: float, named: Area) -> Placement:
    """Which vulnerable area a point lies in (the police's exact boundaries), and whether it lies clearly
    outside the municipality its place names (the shipped boundaries are simplified: a margin applies)."""
    found = current_vulnerable_areas().containing(latitude, longitude)
    municipality = municipality_of(named)
    away = metres_from_municipality(municipality.code, latitude, longitude) if municipality else None
    return Placement(int(found) if found else None, away is not None and away > shapes.MARGIN_METRES)


def metres_from_municipality(code: str, latitude: float, longitude: float) -> float | None:
    """How far a point lies outside a municipality's shipped boundary (0 inside; None: no boundary)."""
    boundary = _boundary_in_metres(code)
    return None if boundary is None else shapes.metres_from(boundary, latitude, longitude)


@cache
def _boundary_in_metres(code: str) -> shapes.BaseGeometry | None:
    """A municipality's boundary in SWEREF 99 TM, reprojected once per process (every saved place asks)."""
    boundary = municipality_index().by_key.get(code)
    return None if boundary is None else shapes.in_metres(boundary)


def place_many(points: list[tuple[float, float]]) -> list[int | None]:
    """The vulnerable area (pk) each (latitude, longitude) lies in, for many points at once (one tree query)."""
    index = current_vulnerable_areas()
    found: list[int | None] = [None] * len(points)
    if not points or not index.keys:
        return found
    geometries = shapes.points(points)
    point_at, shape_at = index.tree.query(geometries, predicate="intersects")
    for point, area in zip(point_at.tolist(), shape_at.tolist(), strict=True):
        if found[point] is None:
            found[point] = int(index.keys[area])
    return found
