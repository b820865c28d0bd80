"""Every permission in Stödkedjan, in one place (DESIGN §4).

- Edit: members with ``editor`` or above in the organisation that owns the object.
- Read non-public data: members of the owning organisation, county-board members for everything inside
  their county, and members of a national agency for everything.
- Manage an organisation (its details, members, tokens): its ``admin`` members.
Public data needs no rule: its views are marked ``public`` (see ``core/access.py``).

Objects are mapped to their owning organisation by ``owning_organisation``: an ``Organisation`` owns
itself; anything else owns through its ``organisation`` attribute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from stodkedjan.accounts.models import EditReview, Organisation, OrganisationKind, Role


@dataclass(frozen=True)
class MembershipFact:
    organisation_id: int
    role: str
    kind: str
    county_id: int | None


def memberships_of(user: Any) -> list[MembershipFact]:
    """The user's memberships, read once per user object (so once per request)."""
    cached = getattr(user, "_membership_facts", None)
    if cached is None:
        cached = [
            MembershipFact(m.organisation_id, m.role, m.organisation.kind, m.organisation.area.county_id)
            for m in user.memberships.select_related("organisation__area")
        ]
        user._membership_facts = cached
    return cached


def owning_organisation(obj: Any) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


def _role_in_owner(user: Any, obj: Any) -> str | None:
    owner = owning_organisation(obj)
    if owner is None or not user.is_authenticated:
        return None
    for fact in memberships_of(user):
        if fact.organisation_id == owner.pk:
            return fact.role
    return None


def _has_role(minimum: str) -> Any:
    @rules.predicate(name=f"has_{minimum}_role_in_owner")
    def predicate(user: Any, obj: Any) -> bool:
        role = _role_in_owner(user, obj)
        return role is not None and Role.rank(role) >= Role.rank(minimum)

    return predicate


is_member = _has_role(Role.VIEWER)
is_editor = _has_role(Role.EDITOR)
is_coordinator = _has_role(Role.COORDINATOR)
is_org_admin = _has_role(Role.ADMIN)


def _county_board_role_for(user: Any, obj: Any, minimum: str) -> bool:
    owner = owning_organisation(obj)
    if owner is None or not user.is_authenticated:
        return False
    county_id = owner.area.county_id
    return county_id is not None and any(
        f.kind == OrganisationKind.COUNTY_BOARD and f.county_id == county_id and Role.rank(f.role) >= Role.rank(minimum)
        for f in memberships_of(user)
    )


@rules.predicate
def is_county_board_member_for(user: Any, obj: Any) -> bool:
    """A member of the county board whose county the owning organisation lies in."""
    return _county_board_role_for(user, obj, Role.VIEWER)


@rules.predicate
def is_county_board_editor_for(user: Any, obj: Any) -> bool:
    """An editor (or above) of the county board whose county the owning organisation lies in."""
    return _county_board_role_for(user, obj, Role.EDITOR)


@rules.predicate
def is_national_member(user: Any) -> bool:
    return user.is_authenticated and any(f.kind == OrganisationKind.NATIONAL_AGENCY for f in memberships_of(user))


@rules.predicate
def is_national_editor_for_passed_on(user: Any, obj: Any) -> bool:
    """A national agency's editor, for something the county has passed on to the national level."""
    return (
        user.is_authenticated
        and bool(getattr(obj, "passed_on_at", None))
        and any(
            f.kind == OrganisationKind.NATIONAL_AGENCY and Role.rank(f.role) >= Role.rank(Role.EDITOR)
            for f in memberships_of(user)
        )
    )


@rules.predicate
def has_any_membership(user: Any) -> bool:
    return user.is_authenticated and bool(memberships_of(user))


can_read_internal = is_member | is_county_board_member_for | is_national_member
can_edit = is_editor
can_coordinate = is_coordinator
can_manage = is_org_admin

# accounts
rules.add_perm("accounts.use_workspace", rules.is_authenticated)
rules.add_perm("accounts.view_organisation", can_read_internal)
rules.add_perm("accounts.change_organisation", can_manage)
rules.add_perm("accounts.manage_memberships", can_manage)
rules.add_perm("accounts.view_audit_log", can_manage)

# directory: offerings belong to an organisation; the organisation-level pages check against it.
rules.add_perm("directory.view_services", can_read_internal)
rules.add_perm("directory.add_service", can_edit)
rules.add_perm("directory.view_service", can_read_internal)
rules.add_perm("directory.change_service", can_edit)
rules.add_perm("directory.resolve_duplicate", can_edit | is_county_board_editor_for)
rules.add_perm("directory.send_verification", can_edit | is_county_board_editor_for)


@rules.predicate
def reviews_edits_of(user: Any, obj: Any) -> bool:
    """A reviewer of changes to the owner's published offerings: its coordinators where the organisation
    reviews its own, the county board's editors where the county board reviews them (civil society)."""
    owner = owning_organisation(obj)
    if owner is None:
        return False
    if owner.edit_review == EditReview.OWN:
        return bool(is_coordinator(user, owner))
    if owner.edit_review == EditReview.COUNTY_BOARD:
        return bool(is_county_board_editor_for(user, owner))
    return False


@rules.predicate
def is_civil_society_owner(user: Any, obj: Any) -> bool:
    owner = owning_organisation(obj)
    return owner is not None and owner.kind in (OrganisationKind.CIVIL_SOCIETY, OrganisationKind.STUDY_ASSOCIATION)


rules.add_perm("directory.review_draft", reviews_edits_of)


# An organisation's admins choose whether its own coordinators review edits; for a civil-society provider the
# county board's editors may also choose that the county board reviews them.
@rules.predicate
def is_county_board(user: Any, obj: Any) -> bool:
    owner = owning_organisation(obj)
    return owner is not None and owner.kind == OrganisationKind.COUNTY_BOARD


rules.add_perm("directory.set_reminder_schedule", is_coordinator & is_county_board)
rules.add_perm("directory.set_edit_review", can_manage | (is_county_board_editor_for & is_civil_society_owner))

# hsds: an organisation's admins create and revoke its API tokens; the profile page is public.
rules.add_perm("hsds.manage_tokens", can_manage)

# finder: trusted information pages and local contacts are edited by their organisation's editors.
rules.add_perm("finder.change_information", can_edit)


@rules.predicate
def is_county_board_or_national_member(user: Any, organisation: Any) -> bool:
    """For overviews across a county: members of that county board, and national members."""
    if not user.is_authenticated or not isinstance(organisation, Organisation):
        return False
    if organisation.kind not in (OrganisationKind.COUNTY_BOARD, OrganisationKind.NATIONAL_AGENCY):
        return False
    return bool(is_member(user, organisation)) or bool(is_national_member(user))


# plans: an organisation's editors write its plans and report follow-up; its coordinators open rounds;
# everyone who may read a plan (the county board included) may comment on its rows.
rules.add_perm("plans.view_plans", can_read_internal)
rules.add_perm("plans.add_plan", can_edit)
rules.add_perm("plans.view_plan", can_read_internal)
rules.add_perm("plans.change_plan", can_edit)
rules.add_perm("plans.comment_on_plan", can_read_internal)
rules.add_perm("plans.open_round", can_coordinate)
rules.add_perm("plans.report_follow_up", can_edit)
rules.add_perm("plans.view_county_follow_up", is_county_board_or_national_member)
rules.add_perm("plans.view_indicators", has_any_membership)
rules.add_perm("plans.add_indicator", can_edit)
rules.add_perm("plans.change_indicator", can_edit)

# surveys: an organisation's editors build questionnaires, run rounds, interview and code free text;
# everyone who may read the organisation's internal data may read its (always suppressed) analysis.
rules.add_perm("surveys.view_surveys", can_read_internal)
rules.add_perm("surveys.add_questionnaire", can_edit)
rules.add_perm("surveys.view_questionnaire", can_read_internal)
rules.add_perm("surveys.change_questionnaire", can_edit)
rules.add_perm("surveys.view_round", can_read_internal)
rules.add_perm("surveys.change_round", can_edit)
rules.add_perm("surveys.interview", can_edit)
rules.add_perm("surveys.code_answers", can_edit)


@rules.predicate
def is_invited_member(user: Any, meeting: Any) -> bool:
    """A member of an organisation invited to the meeting (the meeting's ``invited_ids`` are read once)."""
    if not user.is_authenticated or not hasattr(meeting, "invited_ids"):
        return False
    invited = meeting.invited_ids()
    return any(f.organisation_id in invited for f in memberships_of(user))


# meetings: the organiser's editors run a meeting; invited organisations see it and their editors answer
# the questions asked before it (an ``Invitation`` owns through its organisation). Needs belong to the
# organisation that raised them; the county board of their county (and national members, once a need is
# passed on) answer them.
rules.add_perm("meetings.view_meetings", can_read_internal)
rules.add_perm("meetings.add_meeting", can_edit)
rules.add_perm("meetings.view_meeting", can_read_internal | is_invited_member)
rules.add_perm("meetings.change_meeting", can_edit)
rules.add_perm("meetings.answer_before_meeting", can_edit)
rules.add_perm("meetings.view_needs", can_read_internal)
rules.add_perm("meetings.add_need", can_edit)
rules.add_perm("meetings.view_need", can_read_internal)
rules.add_perm("meetings.change_need", can_edit)
rules.add_perm("meetings.answer_need", is_county_board_editor_for | is_national_editor_for_passed_on)
rules.add_perm("meetings.pass_on_need", is_county_board_editor_for)
rules.add_perm("meetings.view_county_needs", is_county_board_or_national_member)


@rules.predicate
def keeps_knowledge(user: Any, organisation: Any) -> bool:
    """National agencies and county boards keep the method bank (DESIGN §1); others add resources only."""
    owner = owning_organisation(organisation)
    return owner is not None and owner.kind in (OrganisationKind.NATIONAL_AGENCY, OrganisationKind.COUNTY_BOARD)


# knowledge: the bank's public pages need no rule; an organisation's editors keep its own entries.
rules.add_perm("knowledge.view_bank", can_read_internal)
rules.add_perm("knowledge.add_method", can_edit & keeps_knowledge)
rules.add_perm("knowledge.change_method", can_edit)
rules.add_perm("knowledge.add_resource", can_edit)
rules.add_perm("knowledge.change_resource", can_edit)


@rules.predicate
def is_network_member(user: Any, obj: Any) -> bool:
    """A member of the network's convening organisation or of one of its member organisations."""
    network = getattr(obj, "network", obj)
    if not user.is_authenticated or not hasattr(network, "member_ids"):
        return False
    members = network.member_ids()
    return any(f.organisation_id in members for f in memberships_of(user))


# network: networks belong to the organisation that convenes them; their pages are for members (and for
# those who may read the convenor's internal data). Events belong to their organiser; only its editors see
# and export the registrants' personal data.
rules.add_perm("network.view_networks", can_read_internal)
rules.add_perm("network.add_network", is_coordinator)  # convening a network is a coordinator's call
rules.add_perm("network.view_network", can_read_internal | is_network_member)
rules.add_perm("network.change_network", can_edit)
rules.add_perm("network.view_events", can_read_internal)
rules.add_perm("network.add_event", can_edit)
rules.add_perm("network.view_event_admin", can_read_internal)
rules.add_perm("network.change_event", can_edit)
rules.add_perm("network.export_participants", can_edit)


@rules.predicate
def is_national_agency_member(user: Any, organisation: Any) -> bool:
    """For the national overview: members of a national agency, on that agency's own page."""
    return (
        isinstance(organisation, Organisation)
        and organisation.kind == OrganisationKind.NATIONAL_AGENCY
        and bool(is_member(user, organisation))
    )


@rules.predicate
def is_county_board_admin(user: Any, organisation: Any) -> bool:
    return (
        isinstance(organisation, Organisation)
        and organisation.kind == OrganisationKind.COUNTY_BOARD
        and bool(is_org_admin(user, organisation))
    )


# insights: coverage is made from published offerings, so every member may see any area's support chain;
# an organisation's dashboard follows the read rule; the county overview is for its county board (and
# national members); only the county board's admins tune its gap rules.
rules.add_perm("insights.view_coverage", has_any_membership)
rules.add_perm("insights.view_dashboard", can_read_internal)
rules.add_perm("insights.view_county", is_county_board_or_national_member)
rules.add_perm("insights.view_national", is_national_agency_member)
rules.add_perm("insights.change_rules", is_county_board_admin)
