"""The follow-up part of the staff home: the organisation's open rounds with their deadlines, late ones said
in words; for a county board or a national agency, how many rounds in the county (country) are late."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from stodkedjan.accounts.home import Section
from stodkedjan.accounts.models import Membership, Organisation, OrganisationKind
from stodkedjan.plans.models import ActionPlan, FollowUpRound
from stodkedjan.plans.queries import with_report_counts


def _open_rounds(organisations: Q) -> Any:
    open_rounds = FollowUpRound.objects.filter(organisations, submitted_at__isnull=True)
    return with_report_counts(open_rounds).select_related("plan__organisation").order_by("deadline", "plan__title")


def section(request: HttpRequest, membership: Membership) -> Section | None:
    organisation: Organisation = membership.organisation
    if not request.user.has_perm("plans.view_plans", organisation):
        return None
    today = timezone.localdate()
    rounds = list(_open_rounds(Q(plan__organisation=organisation)))
    for round_ in rounds:
        round_.is_late = round_.deadline < today
    context = {
        "organisation": organisation,
        "plans": ActionPlan.objects.filter(organisation=organisation).count(),
        "rounds": rounds,
        "can_open": request.user.has_perm("plans.open_round", organisation),
    }
    if request.user.has_perm("plans.view_county_follow_up", organisation):
        county = Q()
        if organisation.kind == OrganisationKind.COUNTY_BOARD:
            area = organisation.area
            county = Q(plan__organisation__area=area) | Q(plan__organisation__area__county=area)
        region = FollowUpRound.objects.filter(county, submitted_at__isnull=True)
        context["region_open"] = region.count()
        context["region_late"] = region.filter(deadline__lt=today).count()
        context["national"] = organisation.kind == OrganisationKind.NATIONAL_AGENCY
    return Section(_("Action plans and follow-up"), "plans/_home_section.html", context)
