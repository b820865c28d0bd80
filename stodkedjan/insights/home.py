"""The insights part of the staff home: where the organisation's coverage and gaps are, by its level."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from stodkedjan.accounts.home import Section
from stodkedjan.accounts.models import Membership, OrganisationKind


def section(request: HttpRequest, membership: Membership) -> Section | None:
    organisation = membership.organisation
    if not request.user.has_perm("insights.view_dashboard", organisation):
        return None
    return Section(
        _("Coverage and gaps"),
        "insights/_home_section.html",
        {
            "organisation": organisation,
            "national": organisation.kind == OrganisationKind.NATIONAL_AGENCY,
            "county": organisation.kind == OrganisationKind.COUNTY_BOARD,
        },
    )
