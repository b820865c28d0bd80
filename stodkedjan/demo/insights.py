"""Demo settings for the coverage pages: languages the county board expects in some vulnerable areas (an
illustration, not statistics), this month's coverage snapshot and one of half a year ago for the report's
comparison (an illustration too: a few offerings fewer in some areas)."""

from __future__ import annotations

import zlib
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.insights import services
from stodkedjan.insights.models import CoverageSnapshot

EXPECTED = [
    ("0127-uo-alby", ["ar", "so", "ti"]),
    ("0127-uo-fittja", ["ar", "tr"]),
    ("0180-uo-husby", ["so", "ti", "ar"]),
    ("0181-uo-hovsjo", ["ar", "so"]),
]
SOURCE = "Demo: an illustration of what population data would show, not real statistics."


def load_insights(organisations: dict[str, Organisation]) -> None:
    county = organisations["lansstyrelsen-stockholm"]
    areas = {a.code: a for a in Area.objects.filter(code__in=[code for code, _l in EXPECTED])}
    for code, languages in EXPECTED:
        for language in languages:
            services.add_expected_language(county, areas[code], language, SOURCE)
    services.take_snapshots()
    earlier = (timezone.localdate().replace(day=1) - timedelta(days=170)).replace(day=1)
    services.take_snapshots(earlier)
    fewer_in_county: dict[int, int] = {}
    municipalities = CoverageSnapshot.objects.filter(month=earlier, area__kind=AreaKind.MUNICIPALITY, verified__gt=0)
    for snapshot in municipalities.select_related("area"):
        fewer = min(zlib.crc32(snapshot.area.code.encode()) % 4, snapshot.verified)  # the same on every load
        CoverageSnapshot.objects.filter(pk=snapshot.pk).update(verified=F("verified") - fewer)
        county_id = snapshot.area.county_id or 0
        fewer_in_county[county_id] = fewer_in_county.get(county_id, 0) + fewer
    for county_id, fewer in fewer_in_county.items():
        CoverageSnapshot.objects.filter(month=earlier, area_id=county_id).update(verified=F("verified") - fewer)
