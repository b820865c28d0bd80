"""The insights part of the staff home, by the organisation's level: for a county board the county's own
figures (verified offerings, gaps in its vulnerable areas, the areas lacking early indicated support, survey
rounds), each linking to its page; for a national agency the counties side by side; otherwise a link to the
coverage where the organisation works."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from stodkedjan.accounts.home import Section
from stodkedjan.accounts.models import Membership, OrganisationKind
from stodkedjan.core.vocabulary import Level
from stodkedjan.geo.models import AreaKind
from stodkedjan.insights import queries
from stodkedjan.insights.models import AgeBand
from stodkedjan.surveys.models import SurveyRound

EARLY_INDICATED = (AgeBand.EARLY, Level.INDICATED)


def section(request: HttpRequest, membership: Membership) -> Section | None:
    organisation = membership.organisation
    if not request.user.has_perm("insights.view_dashboard", organisation):
        return None
    context = {
        "organisation": organisation,
        "national": organisation.kind == OrganisationKind.NATIONAL_AGENCY,
        "county": organisation.kind == OrganisationKind.COUNTY_BOARD,
    }
    if context["county"]:
        page = queries.area_page(organisation.area)
        vulnerable = page.engine.children_of(page.area, (AreaKind.VULNERABLE_AREA,))
        lacking = [a for a in vulnerable if not page.engine.coverage(a).cells[EARLY_INDICATED].verified]
        county = organisation.area
        context |= {
            "verified": page.coverage.verified,
            "not_verified": page.coverage.not_verified,
            "area_gaps": sum(1 for g in page.gaps if g.area.kind == AreaKind.VULNERABLE_AREA),
            "vulnerable": len(vulnerable),
            "lacking_early": len(lacking),
            "survey_rounds": SurveyRound.objects.filter(organisation__area__county=county).count()
            + SurveyRound.objects.filter(organisation__area=county).count(),
        }
    elif context["national"]:
        rows = queries.county_rows(queries.area_page(organisation.area), queries.organisations_in(organisation.area))
        context["counties"] = [
            (row["coverage"], row["plans"], row["open_needs"]) for row in rows if row["organisations"]
        ]
        context["counties_without"] = sum(1 for row in rows if not row["organisations"])
    return Section(_("Coverage and gaps"), "insights/_home_section.html", context)
