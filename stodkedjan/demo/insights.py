"""Demo settings for the coverage pages: languages the county board expects in some vulnerable areas (an
illustration, not statistics), and this month's coverage snapshot."""

from __future__ import annotations

from stodkedjan.accounts.models import Organisation
from stodkedjan.geo.models import Area
from stodkedjan.insights import services

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
