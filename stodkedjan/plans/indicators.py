"""Indicators: Kolada KPIs read from files saved from Kolada's open API, and organisations' own.

Kolada (RKA's database of municipal key figures) answers in a few shapes, all read here:

- KPI metadata, ``/v2/kpi`` or ``/v3/kpi``: ``{"count": …, "values": [{"id": "N00945", "title": "…, andel (%)",
  "description": "…", "municipality_type": "K", …}], "next_page" | "next_url": …}``, or the bare list of
  ``values`` as people often save it;
- data, ``/v2/data/kpi/…`` or ``/v3/data/kpi/…``: ``{"values": [{"kpi": "N00945", "municipality": "0180",
  "period": 2023, "values": [{"gender": "T", "value": 12.3, "count": 1, "status": null}]}]}``.

Kolada's ids: municipalities are SCB's four digits (``0180``), regions ``0001``–``0025`` (our counties
``01``–``25``) and ``0000`` the whole country. Municipality groups (``G…``) and organisational units
(``/oudata``, ``V15E…``) are refused with a reason, as are files that are not KPI metadata or data (a list of
municipalities, of units, of groups), naming the endpoint we want. A paged answer (``next_page`` in v2,
``next_url`` in v3) must come with all its pages: a missing page is refused, a page given twice counts once.
The files are fetched outside the app (``fetch_kolada``, or by hand), never at run time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

from django.db import transaction
from django.utils.translation import gettext as _

from stodkedjan.geo.models import Area
from stodkedjan.plans.models import Indicator, IndicatorSource, IndicatorValue

KOLADA_CREDIT = "Källa: Kolada (RKA)"
COUNTRY = "0000"
GENDERS = {"T", "K", "M"}  # all, women and girls, men and boys
DATA_WANTED = "/v3/kpi (KPI descriptions) or /v3/data/kpi/<id>/municipality/<ids>/year/<years> (values)"
UNIT = re.compile(r",\s*([^,]{1,40})$")  # Kolada titles end in their unit: "…, andel (%)", "…, kr/inv"


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
    unchanged: int = 0


@dataclass
class _Page:
    """One file: its entries and where it sits in a paged answer."""

    name: str
    entries: list[Any]
    version: str = ""  # "v2", "v3" or "" (no paging keys)
    series: str = ""  # the paged address without its page number
    number: int = 1
    next_number: int | None = None


@dataclass
class _Read:
    titles: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[tuple[str, str, int, str], tuple[float, str, int | None]] = field(default_factory=dict)


def kolada_area_code(kolada_id: str) -> str:
    """Our area code for a Kolada municipality id: ``0180`` → ``0180``, region ``0001`` → county ``01``,
    ``0000`` → ``SE``. Anything else is returned as it is (and then not found)."""
    if kolada_id == COUNTRY:
        return "SE"
    if kolada_id.isdigit() and len(kolada_id) == 4 and kolada_id.startswith("00"):
        return kolada_id[2:]
    return kolada_id


def unit_of(title: str) -> str:
    found = UNIT.search(title)
    return found.group(1).strip() if found else ""


# --- files and pages ------------------------------------------------------------------------------------------
def _page_of(link: Any) -> tuple[str, int] | None:
    """A paging link as (the address without its page, the page number)."""
    if not isinstance(link, str) or not link:
        return None
    parts = urlparse(link)
    query = parse_qs(parts.query)
    number = int((query.pop("page", ["1"]) or ["1"])[0] or 1)
    series = urlunparse(parts._replace(query=urlencode(sorted(query.items()), doseq=True)))
    return series, number


def _read_page(name: str, text: str, problems: list[KoladaProblem]) -> _Page | None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(KoladaProblem(name, f"line {error.lineno}", _("not JSON: %(error)s") % {"error": error.msg}))
        return None
    if isinstance(document, list):  # the values list saved without its envelope
        return _Page(name, document)
    entries = document.get("values") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        problems.append(
            KoladaProblem(
                name,
                "",
                _("not a Kolada answer: it has no list called “values”. Save the answer of %(wanted)s as it comes.")
                % {"wanted": DATA_WANTED},
            )
        )
        return None
    page = _Page(name, entries)
    for version, previous_key, next_key in (("v3", "previous_url", "next_url"), ("v2", "previous_page", "next_page")):
        if previous_key in document or next_key in document:
            page.version = version
            try:
                previous, following = _page_of(document.get(previous_key)), _page_of(document.get(next_key))
            except ValueError:
                problems.append(
                    KoladaProblem(
                        name, "", _("its paging links have no page number to read; save the answer as it came.")
                    )
                )
                return None
            if previous:
                page.series, page.number = previous[0], previous[1] + 1
            if following:
                page.series, page.next_number = following[0], following[1]
                page.number = following[1] - 1
    return page


def _missing_pages(pages: list[_Page]) -> list[KoladaProblem]:
    have = {(p.series, p.number) for p in pages if p.series}
    problems = []
    for page in pages:
        if page.next_number is not None and (page.series, page.next_number) not in have:
            problems.append(
                KoladaProblem(
                    page.name,
                    "",
                    _(
                        "page %(page)s of this answer is missing (its %(key)s points to it): fetch every page "
                        "and import them together."
                    )
                    % {"page": page.next_number, "key": "next_url" if page.version == "v3" else "next_page"},
                )
            )
    return problems


def _unique_pages(pages: list[_Page]) -> list[_Page]:
    seen: set[tuple[str, int]] = set()
    out = []
    for page in pages:
        key = (page.series, page.number)
        if page.series and key in seen:
            continue  # the same page saved twice
        seen.add(key)
        out.append(page)
    return out


# --- entries -----------------------------------------------------------------------------------------------
def _what_else(entry: dict[str, Any]) -> str | None:
    """Why an entry is not KPI metadata or data, naming the Kolada list it comes from; None when it is."""
    ident = str(entry.get("id", ""))
    if "kpi" in entry and "ou" in entry:
        return _(
            "values for the organisational unit %(id)s (/oudata). Stödkedjan keeps values per municipality, "
            "region and Sweden: fetch /v3/data/kpi/<id>/municipality/<ids> instead."
        ) % {"id": entry.get("ou")}
    if "kpi" in entry:
        return None
    if "members" in entry:
        return _("a municipality group (%(id)s, /municipality_groups), not %(wanted)s.") % {
            "id": ident,
            "wanted": DATA_WANTED,
        }
    if ident.startswith("V") and "municipality" in entry:
        return _("an organisational unit (%(id)s, /ou), not %(wanted)s.") % {"id": ident, "wanted": DATA_WANTED}
    if ident.isdigit() and "type" in entry:
        return _("a municipality or region (%(id)s, /municipality), not %(wanted)s.") % {
            "id": ident,
            "wanted": DATA_WANTED,
        }
    if "id" in entry and "title" in entry:
        return None  # a KPI: the other lists with id and title were told apart above
    return _("neither a KPI description (id, title) nor KPI values (kpi, municipality, period): %(wanted)s.") % {
        "wanted": DATA_WANTED
    }


def _read_entry(page: _Page, index: int, entry: Any, read: _Read, problems: list[KoladaProblem]) -> None:
    where = f"values[{index}]"
    if not isinstance(entry, dict):
        problems.append(KoladaProblem(page.name, where, _("each entry must be an object.")))
        return
    reason = _what_else(entry)
    if reason is not None:
        problems.append(KoladaProblem(page.name, where, _("This is %(reason)s") % {"reason": reason}))
        return
    if "kpi" not in entry:
        title = str(entry["title"])
        read.titles[str(entry["id"])] = {
            "title": title[:300],
            "description": str(entry.get("description") or ""),
            "unit": unit_of(title),
        }
        return
    kpi, area, period = entry.get("kpi"), str(entry.get("municipality") or ""), entry.get("period")
    if not kpi or not area or not isinstance(period, int | str) or not str(period).isdigit():
        problems.append(KoladaProblem(page.name, where, _("needs “kpi”, “municipality” and a year in “period”.")))
        return
    if area.startswith("G"):
        problems.append(
            KoladaProblem(
                page.name,
                where,
                _(
                    "%(id)s is a municipality group. Stödkedjan keeps values per municipality, region (0001–0025) "
                    "and Sweden (0000): fetch the members' values instead."
                )
                % {"id": area},
            )
        )
        return
    for number, item in enumerate(entry.get("values") or []):
        at = f"{where}.values[{number}]"
        if not isinstance(item, dict):
            problems.append(KoladaProblem(page.name, at, _("each value must be an object.")))
            continue
        gender = str(item.get("gender") or "T")
        if gender not in GENDERS:
            problems.append(
                KoladaProblem(page.name, at, _("gender %(value)r is not T, K or M.") % {"value": item.get("gender")})
            )
            continue
        value, count = item.get("value"), item.get("count")
        if value is None:
            continue  # Kolada marks missing values with a status and no value
        if not isinstance(value, int | float) or isinstance(value, bool):
            problems.append(KoladaProblem(page.name, at, _("the value is not a number.")))
            continue
        if count is not None and not (isinstance(count, int) and count >= 0):
            problems.append(KoladaProblem(page.name, at, _("count is not a whole number.")))
            continue
        status = str(item.get("status") or "")[:40]
        read.values[(str(kpi), kolada_area_code(area), int(period), gender)] = (float(value), status, count)


def read_kolada(files: list[tuple[str, str]]) -> _Read:
    """Everything the files say, checked; raises ``KoladaRejected`` with every problem."""
    problems: list[KoladaProblem] = []
    pages = [page for name, text in files if (page := _read_page(name, text, problems)) is not None]
    problems += _missing_pages(pages)
    read = _Read()
    for page in _unique_pages(pages):
        for index, entry in enumerate(page.entries):
            _read_entry(page, index, entry, read, problems)
    codes = {key[1] for key in read.values}
    known = set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in sorted(codes - known):
        problems.append(KoladaProblem("", "", _("unknown municipality or county code %(code)s.") % {"code": code}))
    if problems:
        raise KoladaRejected(problems)
    return read


def import_kolada(files: list[tuple[str, str]]) -> KoladaResult:
    """Read KPI descriptions and values from Kolada JSON files; all or nothing, every problem reported.

    Importing the same files again writes nothing (``unchanged`` counts what was already there)."""
    read = read_kolada(files)
    areas = dict(Area.objects.filter(code__in={key[1] for key in read.values}).values_list("code", "pk"))
    result = KoladaResult(0, 0)
    with transaction.atomic():
        indicators: dict[str, Indicator] = {}
        for code in sorted(set(read.titles) | {key[0] for key in read.values}):
            indicators[code] = _upsert_indicator(code, read.titles.get(code))
        result.indicators = len(indicators)
        existing = {
            (v.indicator_id, v.area_id, v.year, v.gender): v
            for v in IndicatorValue.objects.filter(indicator__in=indicators.values())
        }
        for (kpi, area_code, year, gender), (value, status, count) in read.values.items():
            indicator, area = indicators[kpi], areas[area_code]
            found = existing.get((indicator.pk, area, year, gender))
            if found is not None and (found.value, found.status, found.count) == (value, status, count):
                result.unchanged += 1
                continue
            IndicatorValue.objects.update_or_create(
                indicator=indicator,
                area_id=area,
                year=year,
                gender=gender,
                defaults={"value": value, "status": status, "count": count},
            )
            result.values += 1
    return result


def _upsert_indicator(code: str, described: dict[str, str] | None) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        fields = described or {"title": code, "description": "", "unit": ""}
        return Indicator.objects.create(code=code, source=IndicatorSource.KOLADA, organisation=None, **fields)
    if described and any(getattr(indicator, k) != v for k, v in described.items()):
        for key, value in described.items():
            setattr(indicator, key, value)
        indicator.save(update_fields=list(described))
    return indicator
