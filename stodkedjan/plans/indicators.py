"""Indicators: Kolada KPIs read from files in the shape of Kolada's open API, and organisations' own.

Kolada (RKA's database of municipal key figures) answers ``/v3/data/kpi/…`` with
``{"values": [{"kpi": "N00945", "municipality": "0180", "period": 2023,
"values": [{"gender": "T", "value": 12.3, "count": 1, "status": ""}]}]}``, and ``/v3/kpi`` with
``{"values": [{"id": "N00945", "title": "…", "description": "…"}]}``. Both are read here; the data are
fetched by people (or a scheduled job) outside the app, never at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stodkedjan.geo.models import Area
from stodkedjan.plans.models import Indicator, IndicatorSource, IndicatorValue

KOLADA_CREDIT = "Källa: Kolada (RKA)"


@dataclass
class KoladaProblem:
    file: str
    position: str
    message: str


class KoladaRejected(Exception):
    def __init__(self, problems: list[KoladaProblem]) -> None:
        super().__init__("; ".join(f"{p.file} {p.position}: {p.message}" for p in problems))
        self.problems = problems


@dataclass
class KoladaResult:
    indicators: int
    values: int


def _entries(name: str, text: str, problems: list[KoladaProblem]) -> list[dict[str, Any]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(KoladaProblem(name, f"line {error.lineno}", _("not JSON: %(error)s") % {"error": error.msg}))
        return []
    entries = document.get("values") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        problems.append(KoladaProblem(name, "", _("not a Kolada answer: it has no list called “values”.")))
        return []
    return entries


def import_kolada(files: list[tuple[str, str]]) -> KoladaResult:
    """Read KPI descriptions and values from Kolada JSON files; all or nothing, every problem reported."""
    problems: list[KoladaProblem] = []
    titles: dict[str, dict[str, str]] = {}
    values: list[tuple[str, str, int, str, float]] = []
    for name, text in files:
        for index, entry in enumerate(_entries(name, text, problems)):
            where = f"values[{index}]"
            if not isinstance(entry, dict):
                problems.append(KoladaProblem(name, where, _("each entry must be an object.")))
            elif "id" in entry and "title" in entry:
                titles[str(entry["id"])] = {
                    "title": str(entry["title"]),
                    "description": str(entry.get("description", "")),
                }
            else:
                values.extend(_values(name, where, entry, problems))
    areas = dict(Area.objects.filter(code__in={v[1] for v in values}).values_list("code", "pk"))
    for code in sorted({v[1] for v in values} - set(areas)):
        problems.append(KoladaProblem("", "", _("unknown municipality or county code %(code)s.") % {"code": code}))
    if problems:
        raise KoladaRejected(problems)
    with transaction.atomic():
        indicators: dict[str, Indicator] = {}
        for code in sorted(set(titles) | {v[0] for v in values}):
            defaults: dict[str, Any] = {"source": IndicatorSource.KOLADA, "organisation": None, "unit": ""}
            if code in titles:
                defaults.update(titles[code])
            indicator, created = Indicator.objects.update_or_create(code=code, defaults=defaults)
            if created and not indicator.title:
                indicator.title = code
                indicator.save(update_fields=["title"])
            indicators[code] = indicator
        for kpi, area_code, year, gender, value in values:
            IndicatorValue.objects.update_or_create(
                indicator=indicators[kpi], area_id=areas[area_code], year=year, gender=gender, defaults={"value": value}
            )
    return KoladaResult(len(indicators), len(values))


def _values(
    name: str, where: str, entry: dict[str, Any], problems: list[KoladaProblem]
) -> list[tuple[str, str, int, str, float]]:
    kpi, area, period = entry.get("kpi"), entry.get("municipality") or entry.get("ou"), entry.get("period")
    if not kpi or not area or not isinstance(period, int | str) or not str(period).isdigit():
        problems.append(KoladaProblem(name, where, _("needs “kpi”, “municipality” and a year in “period”.")))
        return []
    rows = []
    for number, item in enumerate(entry.get("values") or []):
        value = item.get("value") if isinstance(item, dict) else None
        if value is None:
            continue  # Kolada marks missing values with a status and no value
        if not isinstance(value, int | float):
            problems.append(KoladaProblem(name, f"{where}.values[{number}]", _("the value is not a number.")))
            continue
        rows.append((str(kpi), str(area), int(period), str(item.get("gender") or "T")[:1], float(value)))
    return rows
