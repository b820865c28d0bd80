"""The offerings part of the staff home: what is published, what waits as a draft, what needs checking —
with a "still correct" button for each of the oldest, so checking takes one click from the home page."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from stodkedjan.accounts.home import Section
from stodkedjan.accounts.models import Membership, OrganisationKind
from stodkedjan.directory import drafts, duplicates, freshness, queries
from stodkedjan.directory.models import Service, Status

SHOWN_TO_CHECK = 5


def section(request: HttpRequest, membership: Membership) -> Section | None:
    organisation = membership.organisation
    if not request.user.has_perm("directory.view_services", organisation):
        return None
    counts = Service.objects.filter(organisation=organisation).aggregate(
        published=Count("pk", filter=Q(status=Status.ACTIVE)), drafts=Count("pk", filter=Q(status=Status.DRAFT))
    )
    to_check = queries.needing_review(organisation)
    wide = organisation.kind in (OrganisationKind.COUNTY_BOARD, OrganisationKind.NATIONAL_AGENCY)
    return Section(
        _("Offerings"),
        "directory/_home_section.html",
        {
            "organisation": organisation,
            "published": counts["published"],
            "drafts": counts["drafts"],
            "to_check_count": to_check.count(),
            "duplicates": duplicates.count_for(organisation),
            "drafts_to_review": len(drafts.reviewable_in(request.user, organisation)),
            # A county board's and a national agency's own offerings are few: theirs is the whole area's figure.
            "freshness": freshness.for_area(organisation.area) if wide else freshness.for_organisation(organisation),
            "freshness_area": organisation.area if wide else None,
            "to_check": list(to_check[:SHOWN_TO_CHECK]),
            "can_edit": request.user.has_perm("directory.add_service", organisation),
        },
    )
