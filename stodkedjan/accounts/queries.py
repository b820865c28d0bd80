"""Read models for the staff workspace."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from stodkedjan.accounts.models import Membership, Organisation, OrganisationKind
from stodkedjan.accounts.rules import memberships_of
from stodkedjan.core.models import AuditEvent
from stodkedjan.geo.models import Area, AreaKind

SESSION_KEY = "current_organisation"


def organisation_by_slug(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("area", "parent"), slug=slug)


def county_board_of(area: Area) -> Organisation | None:
    """The county board of the county the area is (or is in)."""
    county_id = area.pk if area.kind == AreaKind.COUNTY else area.county_id
    return (
        Organisation.objects.filter(kind=OrganisationKind.COUNTY_BOARD, area_id=county_id).order_by("pk").first()
        if county_id
        else None
    )


def membership_in(slug: str, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("organisation__area", "user"), organisation__slug=slug, pk=pk
    )


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations whose internal pages the user may read: the same reach as the read rule."""
    facts = memberships_of(user)
    queryset = Organisation.objects.select_related("area", "parent").order_by("kind", "name")
    if any(f.kind == OrganisationKind.NATIONAL_AGENCY for f in facts):
        return queryset
    county_ids = [f.county_id for f in facts if f.kind == OrganisationKind.COUNTY_BOARD and f.county_id]
    return queryset.filter(Q(pk__in=[f.organisation_id for f in facts]) | Q(area__county_id__in=county_ids))


def user_memberships(user: Any) -> list[Membership]:
    return list(user.memberships.select_related("organisation").order_by("organisation__name"))


def current_membership(request: HttpRequest, memberships: list[Membership] | None = None) -> Membership | None:
    """The membership the user is acting through: the one chosen in the switcher, else the first."""
    if not request.user.is_authenticated:
        return None
    if memberships is None:
        memberships = user_memberships(request.user)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.organisation_id == chosen:
            return membership
    return memberships[0] if memberships else None


def members_of(organisation: Organisation) -> list[Membership]:
    return list(organisation.memberships.select_related("user").order_by("user__full_name", "user__email"))


def audit_events(organisation: Organisation, limit: int = 500) -> list[AuditEvent]:
    """Events about the organisation, and what its members did (sign-ins, exports), newest first."""
    members = list(organisation.memberships.values_list("user_id", flat=True))
    return list(AuditEvent.objects.filter(Q(organisation_id=organisation.pk) | Q(actor_id__in=members))[:limit])
