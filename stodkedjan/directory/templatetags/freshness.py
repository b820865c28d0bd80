"""Freshness tables: areas with offerings get a row each; the areas without any are named in one line."""

from __future__ import annotations

from django import template

from stodkedjan.directory.freshness import Freshness
from stodkedjan.geo.models import Area

register = template.Library()

Rows = list[tuple[Area, Freshness]]


def _has_offerings(figures: Freshness) -> bool:
    return bool(figures.published or figures.drafts_waiting)


@register.filter
def with_offerings(rows: Rows) -> Rows:
    return [(area, f) for area, f in rows if _has_offerings(f)]


@register.filter
def without_offerings(rows: Rows) -> list[str]:
    return [area.name for area, f in rows if not _has_offerings(f)]
