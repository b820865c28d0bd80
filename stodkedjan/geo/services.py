"""Loading reference geography: counties, municipalities, Stockholm's districts, the police's lists.

Everything here is idempotent: running it again changes only what differs and creates no duplicates.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

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
        changed = [name for name, value in values.items() if getattr(area, name) != value]
        if changed:
            for name in changed:
                setattr(area, name, values[name])
            area.save(update_fields=changed)
            self.report.add(kind, "updated")
        else:
            self.report.add(kind, "unchanged")
        return area


@transaction.atomic
def load_reference_data(data_dir: Path = DATA_DIR) -> LoadReport:
    """Load Sweden, its 21 counties, 290 municipalities, Stockholm's districts and the shipped police list."""
    report = LoadReport()
    writer = _AreaWriter(report)
    country = writer.upsert(COUNTRY_CODE, AreaKind.COUNTRY, name="Sverige", parent=None, county=None, source=SCB_SOURCE)
    counties = {
        row["lanskod"]: writer.upsert(
            row["lanskod"], AreaKind.COUNTY, name=row["namn"], parent=country, source=SCB_SOURCE
        )
        for row in read_csv(data_dir / "lan.csv")
    }
    for row in read_csv(data_dir / "kommuner.csv"):
        county = counties[row["lanskod"]]
        writer.upsert(
            row["kommunkod"], AreaKind.MUNICIPALITY, name=row["namn"], parent=county, county=county, source=SCB_SOURCE
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
    return report


def vulnerable_area_code(municipality_code: str, name: str) -> str:
    """Stable code for a vulnerable area: ``0127-uo-alby`` (uo: utsatt område, apart from district slugs)."""
    return f"{municipality_code}-uo-{slugify(name.replace('/', ' '))}"


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
            errors.append(
                RowError(
                    number,
                    "kategori",
                    _("%(value)r is not a police category (%(choices)s)")
                    % {"value": row.get("kategori"), "choices": ", ".join(CATEGORY_WORDS)},
                )
            )
        year = row.get("lista_ar", "")
        if not (year.isdigit() and 2015 <= int(year) <= 2100):
            errors.append(RowError(number, "lista_ar", _("%(value)r is not a year") % {"value": year}))
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
