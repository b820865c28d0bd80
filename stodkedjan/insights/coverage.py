"""The coverage engine: which published offerings serve an area, counted by age band, level, arena and
language, and the gaps the county's rules find. Read only.

An offering serves an area when one of the areas it names contains the area (a county-wide offering serves
every municipality in it) or lies inside it (an offering in Alby counts for Botkyrka and Stockholms län), or
when one of its places lies in the area (placed by its coordinates); those *in* the area are counted apart
from those that serve it from elsewhere (``Coverage.inside``).
Offerings not checked for ``stale_after_months`` are counted apart, never mixed into the main figures.

Each area's offerings are one set (spread down and up the tree of areas); its figures are counted over
small per-offering signatures, so all of Sweden is counted in one pass over the areas.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from stodkedjan.core.vocabulary import Level
from stodkedjan.directory.models import Service, ServiceArea, ServiceAtLocation, Status, Taxonomy, TaxonomyTerm
from stodkedjan.geo.models import Area, AreaKind, VulnerableAreaAssessment
from stodkedjan.insights.models import BAND_AGES, AgeBand

LEVELS = list(Level.values)
BANDS = list(AgeBand.values)
CHAIN_BANDS = [AgeBand.SMALL, AgeBand.SCHOOL, AgeBand.EARLY, AgeBand.TEEN]  # in the matrix, 8–12 after 6–12


@dataclass
class Cell:
    verified: int = 0
    not_verified: int = 0


@dataclass
class Coverage:
    """One area's figures. ``cells`` is keyed by (band, level); the rest by code."""

    area: Area
    verified: int
    not_verified: int
    cells: dict[tuple[str, str], Cell]
    bands: dict[str, Cell]
    levels: dict[str, Cell]
    arenas: dict[str, int]
    languages: dict[str, int]
    inside: int = 0  # of the offerings counted, those with a place in the area (the rest serve it from outside)

    @property
    def is_empty(self) -> bool:
        return self.verified == 0 and self.not_verified == 0

    def figures(self) -> dict[str, Any]:
        """As stored in a snapshot (JSON)."""
        return {
            "cells": {f"{b}|{lv}": [c.verified, c.not_verified] for (b, lv), c in self.cells.items()},
            "arenas": self.arenas,
            "languages": self.languages,
        }


@dataclass
class Engine:
    """Loads the offerings that serve ``scope`` (a county, or all of Sweden when None) once, then answers
    ``coverage(area)`` and ``services_behind(area, band, level)`` for any area in it.

    Each offering is reduced to a small signature (level, the bands its ages touch, verified or not) and the
    codes of its languages and arenas; an area's figures are counts of those over its offerings, which
    Python's ``Counter`` makes in C, so all of Sweden is counted without a query per area.
    """

    scope: Area | None = None
    stale_after_months: int = 12
    today: date | None = None
    areas: dict[int, Area] = field(default_factory=dict)
    _down: dict[int, set[int]] = field(default_factory=dict)
    _up: dict[int, set[int]] = field(default_factory=dict)
    _signature: dict[int, int] = field(default_factory=dict)
    _terms: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    _located: dict[int, set[int]] = field(default_factory=dict)
    _inside: dict[int, set[int]] = field(default_factory=dict)
    _newest_list: int = 0

    def __post_init__(self) -> None:
        today = self.today or timezone.localdate()
        checked_since = today - timedelta(days=round(self.stale_after_months * 30.44))
        area_filter = Q()
        if self.scope is not None:
            area_filter = Q(county=self.scope) | Q(pk=self.scope.pk) | Q(kind=AreaKind.COUNTRY)
        areas = Area.objects.filter(area_filter).only("code", "name", "kind", "parent_id", "county_id", "list_year")
        self.areas = {a.pk: a for a in areas}
        self._newest_list = VulnerableAreaAssessment.objects.aggregate(newest=Max("list_year"))["newest"] or 0
        counted = Q(service__status=Status.ACTIVE, service__duplicate_of__isnull=True)  # a likely duplicate: once
        links = ServiceArea.objects.filter(counted, area_id__in=self.areas).order_by()
        places = ServiceAtLocation.objects.filter(counted).order_by()
        places = places.filter(
            Q(location__vulnerable_area_id__in=self.areas) | Q(location__municipality_id__in=self.areas)
        )
        direct: dict[int, set[int]] = defaultdict(set)
        located: dict[int, set[int]] = defaultdict(set)
        level_index = {level: index for index, level in enumerate(LEVELS)}
        band_ranges = [(1 << i, *BAND_AGES[AgeBand(band)]) for i, band in enumerate(BANDS)]

        def remember(service_id: int, level: str, low: int, high: int, assured: date | None) -> None:
            if service_id in self._signature:
                return
            mask = 0
            for bit, band_low, band_high in band_ranges:
                if low <= band_high and high >= band_low:
                    mask |= bit
            verified = assured is not None and assured >= checked_since
            self._signature[service_id] = (level_index[level] << 5) | (mask << 1) | int(verified)

        facts = ("service__level", "service__minimum_age", "service__maximum_age", "service__assured_date")
        # One query for the links and the offerings' facts (an offering named for two areas comes twice)…
        for service_id, area_id, *rest in links.values_list("service_id", "area_id", *facts):
            direct[area_id].add(service_id)
            remember(service_id, *rest)
        # … and one for where their places lie: an offering with a place in an area counts for it, named or not.
        for service_id, vulnerable_id, municipality_id, *rest in places.values_list(
            "service_id", "location__vulnerable_area_id", "location__municipality_id", *facts
        ):
            for area_id in (vulnerable_id, municipality_id):
                if area_id in self.areas:
                    located[area_id].add(service_id)
            remember(service_id, *rest)
        self._located = located
        self._index_terms(links.values("service_id"), places.values("service_id"))
        self._spread(direct, located)

    def _index_terms(self, linked: Any, placed: Any) -> None:
        terms = {
            t.pk: (t.taxonomy, t.code)
            for t in TaxonomyTerm.objects.filter(taxonomy__in=[Taxonomy.ARENA, Taxonomy.LANGUAGE])
        }
        through = Service.terms.through.objects.filter(taxonomyterm_id__in=terms)
        if self.scope is not None:
            # subqueries: a county's ids stay in the database
            through = through.filter(Q(service_id__in=linked) | Q(service_id__in=placed))
        found: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for service_id, term_id in through.order_by().values_list("service_id", "taxonomyterm_id"):
            if self._signature.get(service_id, 0) & 1:  # languages and arenas count verified offerings only
                found[service_id].append(terms[term_id])
        self._terms = {pk: tuple(found.get(pk, ())) for pk in self._signature}

    def _spread(self, named: dict[int, set[int]], located: dict[int, set[int]]) -> None:
        """Each area's offerings: those named for it or anything inside it or with a place in it (down), and
        those named for any area it lies in (up). A place counts only upwards: an offering given in Fittja
        serves Botkyrka, not Alby beside it."""
        direct = {pk: named.get(pk, set()) | located.get(pk, set()) for pk in {*named, *located}}
        known = self._signature
        children: dict[int, list[int]] = defaultdict(list)
        for area in self.areas.values():
            if area.parent_id in self.areas:
                children[area.parent_id].append(area.pk)

        def down(pk: int, direct: dict[int, set[int]] = direct, into: dict[int, set[int]] = self._down) -> set[int]:
            if pk not in into:
                found = {s for s in direct.get(pk, ()) if s in known}
                for child in children[pk]:
                    found |= down(child, direct, into)
                into[pk] = found
            return into[pk]

        def up(pk: int) -> set[int]:
            if pk not in self._up:
                parent = self.areas[pk].parent_id
                above = up(parent) | {s for s in named.get(parent, ()) if s in known} if parent in self.areas else set()
                self._up[pk] = above
            return self._up[pk]

        for pk in self.areas:
            down(pk)
            down(pk, self._located, self._inside)
            up(pk)

    def serving(self, area: Area) -> set[int]:
        return self._down.get(area.pk, set()) | self._up.get(area.pk, set())

    def coverage(self, area: Area) -> Coverage:
        serving = self.serving(area)
        signatures = Counter(map(self._signature.__getitem__, serving))
        cells = {(band, level): Cell() for band in BANDS for level in LEVELS}
        bands = {band: Cell() for band in BANDS}
        levels = {level: Cell() for level in LEVELS}
        verified = 0
        for signature, count in signatures.items():
            level = LEVELS[signature >> 5]
            checked = bool(signature & 1)
            verified += count if checked else 0
            _add(levels[level], checked, count)
            for i, band in enumerate(BANDS):
                if signature >> (i + 1) & 1:
                    _add(cells[(band, level)], checked, count)
                    _add(bands[band], checked, count)
        terms = Counter(chain.from_iterable(map(self._terms.__getitem__, serving)))
        arenas = {code: n for (taxonomy, code), n in terms.items() if taxonomy == Taxonomy.ARENA}
        languages = {code: n for (taxonomy, code), n in terms.items() if taxonomy == Taxonomy.LANGUAGE}
        inside = len(self._inside.get(area.pk, set()))
        return Coverage(area, verified, len(serving) - verified, cells, bands, levels, arenas, languages, inside)

    def services_behind(
        self, area: Area, band: str | None, level: str | None, verified: bool | None = None
    ) -> set[int]:
        """The ids of the offerings behind one cell of the support chain (or a whole band or level)."""
        band_bit = 1 << (BANDS.index(band) + 1) if band else 0
        level_index = LEVELS.index(level) if level else None

        def wanted(signature: int) -> bool:
            return (
                (not band_bit or bool(signature & band_bit))
                and (level_index is None or signature >> 5 == level_index)
                and (verified is None or bool(signature & 1) == verified)
            )

        return {pk for pk in self.serving(area) if wanted(self._signature[pk])}

    def languages(self, area: Area, band: str | None = None, level: str | None = None) -> dict[str, int]:
        """The languages of the verified offerings serving an area, in one cell of the chain (or a whole band,
        level or all), with how many offerings are given in each."""
        found = Counter(
            code
            for pk in self.services_behind(area, band, level, verified=True)
            for taxonomy, code in self._terms[pk]
            if taxonomy == Taxonomy.LANGUAGE
        )
        return dict(found.most_common())

    def languages_by_cell(self, area: Area) -> dict[tuple[str, str], dict[str, int]]:
        """The languages of every cell of an area's support chain (verified offerings), in one pass."""
        cells: dict[tuple[str, str], Counter[str]] = {(b, lv): Counter() for b in BANDS for lv in LEVELS}
        for pk in self.serving(area):
            signature = self._signature[pk]
            if not signature & 1:
                continue
            level = LEVELS[signature >> 5]
            codes = [code for taxonomy, code in self._terms[pk] if taxonomy == Taxonomy.LANGUAGE]
            for i, band in enumerate(BANDS):
                if signature >> (i + 1) & 1:
                    cells[(band, level)].update(codes)
        return {key: dict(counter.most_common()) for key, counter in cells.items()}

    def children_of(self, area: Area, kinds: tuple[str, ...]) -> list[Area]:
        """Areas of these kinds inside ``area`` (a county's municipalities, a municipality's districts…); of the
        vulnerable areas, those on the newest police list."""
        found = [
            a
            for a in self.areas.values()
            if a.kind in kinds
            and a.pk != area.pk
            and not (a.kind == AreaKind.VULNERABLE_AREA and (a.list_year or 0) < self._newest_list)
            and (area.kind == AreaKind.COUNTRY or self.inside(a, area))
        ]
        return sorted(found, key=lambda a: a.name)

    def inside(self, area: Area, container: Area) -> bool:
        """True when ``area`` lies in ``container`` (not when it is ``container``)."""
        if container.kind == AreaKind.COUNTRY:
            return area.pk != container.pk
        if container.kind == AreaKind.COUNTY:
            return area.county_id == container.pk and area.pk != container.pk
        node = self.areas.get(area.parent_id) if area.parent_id else None
        while node is not None:
            if node.pk == container.pk:
                return True
            node = self.areas.get(node.parent_id) if node.parent_id else None
        return False


def _add(cell: Cell, verified: bool, count: int) -> None:
    if verified:
        cell.verified += count
    else:
        cell.not_verified += count
