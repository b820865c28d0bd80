"""The insights app's own writes: the county boards' rules and the monthly coverage snapshots."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.insights.coverage import Engine
from stodkedjan.insights.gaps import DEFAULT_RULES
from stodkedjan.insights.models import CountySettings, CoverageSnapshot, ExpectedLanguage, GapRule

logger = logging.getLogger(__name__)
SNAPSHOT_KINDS = [AreaKind.COUNTRY, AreaKind.COUNTY, AreaKind.MUNICIPALITY, AreaKind.DISTRICT, AreaKind.VULNERABLE_AREA]


@transaction.atomic
def adopt_default_rules(county_board: Organisation) -> list[GapRule]:
    """Store the default rules as the county's own, so its admins can tune them (once; later calls keep
    what the county has)."""
    if not GapRule.objects.filter(organisation=county_board).exists():
        for rule in DEFAULT_RULES:
            GapRule.objects.create(
                organisation=county_board,
                band=rule.band,
                level=rule.level,
                area_kind=rule.area_kind,
                minimum=rule.minimum,
            )
    return list(GapRule.objects.filter(organisation=county_board))


def save_rule(county_board: Organisation, fields: dict[str, Any], rule: GapRule | None = None) -> GapRule:
    rule = rule or GapRule(organisation=county_board)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule


def save_settings(county_board: Organisation, stale_after_months: int) -> CountySettings:
    settings, _created = CountySettings.objects.update_or_create(
        organisation=county_board, defaults={"stale_after_months": stale_after_months}
    )
    return settings


def add_expected_language(county_board: Organisation, area: Area, language: str, source: str) -> ExpectedLanguage:
    expected, _created = ExpectedLanguage.objects.update_or_create(
        organisation=county_board, area=area, language=language, defaults={"source": source}
    )
    return expected


def take_snapshots(month: date | None = None) -> int:
    """Store every area's coverage for the month (its first day). Taking it again the same month replaces
    that month's figures, so the task is safe to repeat. Returns how many areas were stored."""
    month = (month or timezone.localdate()).replace(day=1)
    engine = Engine(scope=None)
    stored = 0
    with transaction.atomic():
        for area in engine.areas.values():
            if area.kind not in SNAPSHOT_KINDS:
                continue
            coverage = engine.coverage(area)
            CoverageSnapshot.objects.update_or_create(
                area=area,
                month=month,
                defaults={
                    "verified": coverage.verified,
                    "not_verified": coverage.not_verified,
                    "figures": coverage.figures(),
                },
            )
            stored += 1
    logger.info("Coverage snapshot %s: %d areas", month, stored)
    return stored
