"""The coverage engine: which published offerings serve an area, counted by age band, level, arena and
language, and the gaps the county's rules find. Read only.

An offering serves an area when one of the areas it names contains the area (a county-wide offering serves
every municipality in it) or lies inside it (an offering in Alby counts for Botkyrka and Stockholms län).
Offerings not checked for ``stale_after_months`` are counted apart, never mixed into the main figures.

Everything is counted with set intersections: each area's offerings are one set, each (band, level,
checked) cell, language and arena another, so all of Sweden is counted in one pass over the areas.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from stodkedjan.core.vocabulary import Level
from stodkedjan.directory.models import Service, ServiceArea, Status, Taxonomy, TaxonomyTerm
from stodkedjan.geo.models import Area, AreaKind
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
    ``coverage(area)`` and ``services_behind(area, band, level)`` for any area in it."""

    scope: Area | None = None
    stale_after_months: int = 12
    today: date | None = None
    areas: dict[int, Area] = field(default_factory=dict)
    _down: dict[int, set[int]] = field(default_factory=dict)
    _up: dict[int, set[int]] = field(default_factory=dict)
    _sets: dict[Any, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        today = self.today or timezone.localdate()
        checked_since = today - timedelta(days=round(self.stale_after_months * 30.44))
        area_filter = Q()
        if self.scope is not None:
            area_filter = Q(county=self.scope) | Q(pk=self.scope.pk) | Q(kind=AreaKind.COUNTRY)
        self.areas = {
            a.pk: a for a in Area.objects.filter(area_filter).only("code", "name", "kind", "parent_id", "county_id")
        }
        links = ServiceArea.objects.filter(service__status=Status.ACTIVE, area_id__in=self.areas)
        direct: dict[int, set[int]] = defaultdict(set)
        for service_id, area_id in links.values_list("service_id", "area_id").iterator(chunk_size=20_000):
            direct[area_id].add(service_id)
        ids = set().union(*direct.values()) if direct else set()
        self._index_services(ids, checked_since)
        self._spread(direct)

    def _index_services(self, ids: set[int], checked_since: date) -> None:
        verified: set[int] = set()
        by_band_level: dict[tuple[str, str], set[int]] = defaultdict(set)
        rows = (
            Service.objects.filter(pk__in=ids)
            if self.scope is not None
            else Service.objects.filter(status=Status.ACTIVE)
        )
        for pk, level, low, high, assured in rows.values_list(
            "pk", "level", "minimum_age", "maximum_age", "assured_date"
        ).iterator(chunk_size=20_000):
            if pk not in ids:
                continue
            if assured is not None and assured >= checked_since:
                verified.add(pk)
            for band, (band_low, band_high) in BAND_AGES.items():
                if low <= band_high and high >= band_low:
                    by_band_level[(band, level)].add(pk)
        self._sets["verified"] = verified
        for key, members in by_band_level.items():
            self._sets[("cell", *key)] = members
        terms = {
            t.pk: (t.taxonomy, t.code)
            for t in TaxonomyTerm.objects.filter(taxonomy__in=[Taxonomy.ARENA, Taxonomy.LANGUAGE])
        }
        through = Service.terms.through.objects.filter(taxonomyterm_id__in=terms)
        if self.scope is not None:
            through = through.filter(service_id__in=ids)
        for service_id, term_id in through.values_list("service_id", "taxonomyterm_id").iterator(chunk_size=50_000):
            if service_id in verified:
                self._sets.setdefault(terms[term_id], set()).add(service_id)

    def _spread(self, direct: dict[int, set[int]]) -> None:
        """Each area's offerings: those named for it or anything inside it (down), and those named for
        any area it lies in (up)."""
        children: dict[int, list[int]] = defaultdict(list)
        for area in self.areas.values():
            parent = area.parent_id if area.parent_id in self.areas else None
            if parent is not None:
                children[parent].append(area.pk)

        def down(pk: int) -> set[int]:
            if pk not in self._down:
                found = set(direct.get(pk, ()))
                for child in children[pk]:
                    found |= down(child)
                self._down[pk] = found
            return self._down[pk]

        def up(pk: int) -> set[int]:
            if pk not in self._up:
                parent = self.areas[pk].parent_id
                self._up[pk] = (up(parent) | direct.get(parent, set())) if parent in self.areas else set()
            return self._up[pk]

        for pk in self.areas:
            down(pk)
            up(pk)

    def serving(self, area: Area) -> set[int]:
        return self._down.get(area.pk, set()) | self._up.get(area.pk, set())

    def coverage(self, area: Area) -> Coverage:
        serving = self.serving(area)
        verified = serving & self._sets["verified"]
        cells = {}
        for band in BANDS:
            for level in LEVELS:
                members = serving & self._sets.get(("cell", band, level), set())
                checked = len(members & verified)
                cells[(band, level)] = Cell(checked, len(members) - checked)

        def union(keys: list[tuple[str, ...]]) -> Cell:
            members = set().union(*(self._sets.get(k, set()) for k in keys)) & serving
            checked = len(members & verified)
            return Cell(checked, len(members) - checked)

        bands = {b: union([("cell", b, lv) for lv in LEVELS]) for b in BANDS}
        levels = {lv: union([("cell", b, lv) for b in BANDS]) for lv in LEVELS}
        arenas, languages = {}, {}
        for key, members in self._sets.items():
            if isinstance(key, tuple) and key[0] in (Taxonomy.ARENA, Taxonomy.LANGUAGE):
                count = len(members & verified)
                if count:
                    (arenas if key[0] == Taxonomy.ARENA else languages)[key[1]] = count
        return Coverage(area, len(verified), len(serving) - len(verified), cells, bands, levels, arenas, languages)

    def services_behind(
        self, area: Area, band: str | None, level: str | None, verified: bool | None = None
    ) -> set[int]:
        """The ids of the offerings behind one cell of the support chain (or a whole band or level)."""
        members = self.serving(area)
        if band or level:
            keys = [("cell", b, lv) for b in ([band] if band else BANDS) for lv in ([level] if level else LEVELS)]
            members = members & set().union(*(self._sets.get(k, set()) for k in keys))
        if verified is not None:
            members = members & self._sets["verified"] if verified else members - self._sets["verified"]
        return members

    def children_of(self, area: Area, kinds: tuple[str, ...]) -> list[Area]:
        """Areas of these kinds inside ``area`` (a county's municipalities, a municipality's districts…)."""
        found = [
            a
            for a in self.areas.values()
            if a.kind in kinds and a.pk != area.pk and (area.kind == AreaKind.COUNTRY or self.inside(a, area))
        ]
        return sorted(found, key=lambda a: a.name)

    def inside(self, area: Area, container: Area) -> bool:
        """True when ``area`` lies in ``container`` (not when it is ``container``)."""
        if container.kind == AreaKind.COUNTY:
            return area.county_id == container.pk
        node = self.areas.get(area.parent_id) if area.parent_id else None
        while node is not None:
            if node.pk == container.pk:
                return True
            node = self.areas.get(node.parent_id) if node.parent_id else None
        return False
