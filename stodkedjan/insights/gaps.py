"""Gaps in the support chain, found by the county board's rules (or the defaults until it sets its own)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.vocabulary import Level, language_name
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.insights.coverage import Coverage, Engine
from stodkedjan.insights.models import AgeBand, CountySettings, ExpectedLanguage, GapRule

# Said per level, so that each language can bend the words as it must.
GAP_NONE = {
    Level.UNIVERSAL: gettext_lazy("no universal offering for %(band)s"),
    Level.SELECTIVE: gettext_lazy("no selective offering for %(band)s"),
    Level.INDICATED: gettext_lazy("no indicated offering for %(band)s"),
}
GAP_FEWER = {
    Level.UNIVERSAL: gettext_lazy("fewer than %(n)s universal offerings for %(band)s"),
    Level.SELECTIVE: gettext_lazy("fewer than %(n)s selective offerings for %(band)s"),
    Level.INDICATED: gettext_lazy("fewer than %(n)s indicated offerings for %(band)s"),
}

# Until a county board sets its own rules, these apply (the assignment's own examples).
DEFAULT_RULES = [
    GapRule(band=AgeBand.EARLY, level=Level.INDICATED, area_kind=AreaKind.VULNERABLE_AREA, minimum=1),
    GapRule(band=AgeBand.TEEN, level=Level.INDICATED, area_kind=AreaKind.VULNERABLE_AREA, minimum=1),
    GapRule(band=AgeBand.SMALL, level=Level.UNIVERSAL, area_kind=AreaKind.MUNICIPALITY, minimum=1),
    GapRule(band=AgeBand.SCHOOL, level=Level.SELECTIVE, area_kind=AreaKind.MUNICIPALITY, minimum=1),
    GapRule(band=AgeBand.EARLY, level=Level.INDICATED, area_kind=AreaKind.MUNICIPALITY, minimum=1),
]


@dataclass
class Gap:
    area: Area
    what: str
    verified: int
    not_verified: int
    band: str = ""
    level: str = ""
    language: str = ""


def rules_for(county_board: Organisation | None) -> list[GapRule]:
    if county_board is None:
        return list(DEFAULT_RULES)
    own = list(GapRule.objects.filter(organisation=county_board))
    return [r for r in own if r.is_active] if own else list(DEFAULT_RULES)


def stale_after_months(county_board: Organisation | None) -> int:
    if county_board is None:
        return 12
    settings = CountySettings.objects.filter(organisation=county_board).first()
    return settings.stale_after_months if settings else 12


def find_gaps(
    engine: Engine, within: Area, rules: list[GapRule], expected: list[ExpectedLanguage], coverages: dict[int, Coverage]
) -> list[Gap]:
    """Every rule checked against every area of its kind inside ``within`` (and ``within`` itself)."""
    gaps: list[Gap] = []
    candidates = [
        within,
        *engine.children_of(within, (AreaKind.MUNICIPALITY, AreaKind.DISTRICT, AreaKind.VULNERABLE_AREA)),
    ]

    def coverage(area: Area) -> Coverage:
        if area.pk not in coverages:
            coverages[area.pk] = engine.coverage(area)
        return coverages[area.pk]

    for rule in rules:
        for area in candidates:
            if area.kind != rule.area_kind:
                continue
            cell = coverage(area).cells[(rule.band, rule.level)]
            if cell.verified < rule.minimum:
                words = (GAP_FEWER if rule.minimum > 1 else GAP_NONE)[Level(rule.level)]
                text = str(words) % {"n": rule.minimum, "band": AgeBand(rule.band).label}
                gaps.append(Gap(area, text, cell.verified, cell.not_verified, band=rule.band, level=rule.level))
    inside = {a.pk for a in candidates}
    for wanted in expected:
        if wanted.area_id not in inside or wanted.area_id not in engine.areas:
            continue
        area = engine.areas[wanted.area_id]
        if not coverage(area).languages.get(wanted.language):
            name = language_name(wanted.language)
            gaps.append(
                Gap(
                    area, _("no verified offering in %(language)s") % {"language": name}, 0, 0, language=wanted.language
                )
            )
    return sorted(gaps, key=lambda g: (g.area.name, g.what))


GAP_AREA_KINDS = [AreaKind.VULNERABLE_AREA, AreaKind.MUNICIPALITY, AreaKind.DISTRICT]


@dataclass
class GapFilter:
    """Which gaps a reader asks for (from the page's address: ``kind``, ``band``, ``level``); values that are
    not ours are dropped, not refused."""

    kind: str = ""
    band: str = ""
    level: str = ""

    @classmethod
    def from_query(cls, query: Any) -> GapFilter:
        def pick(name: str, allowed: list[str]) -> str:
            value = str(query.get(name, ""))
            return value if value in allowed else ""

        return cls(
            kind=pick("kind", [str(k) for k in GAP_AREA_KINDS]),
            band=pick("band", list(AgeBand.values)),
            level=pick("level", list(Level.values)),
        )

    @property
    def is_set(self) -> bool:
        return bool(self.kind or self.band or self.level)

    @property
    def band_label(self) -> str:
        return str(AgeBand(self.band).label) if self.band else _("all ages")

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else _("all levels")

    def query(self) -> str:
        return urlencode({k: v for k, v in (("kind", self.kind), ("band", self.band), ("level", self.level)) if v})

    def apply(self, gaps: list[Gap]) -> list[Gap]:
        """The gaps asked for, vulnerable areas first, then municipalities and districts, each by name. A
        language gap has no age band or level: it stays unless one is asked for."""
        order = {str(kind): i for i, kind in enumerate(GAP_AREA_KINDS)}
        chosen = [
            g
            for g in gaps
            if (not self.kind or g.area.kind == self.kind)
            and (not self.band or g.band == self.band)
            and (not self.level or g.level == self.level)
        ]
        return sorted(chosen, key=lambda g: (order.get(g.area.kind, -1), g.area.name, g.what))
