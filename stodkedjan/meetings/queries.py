"""Read models for meetings and the needs register."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from stodkedjan.accounts.models import Organisation, OrganisationKind
from stodkedjan.meetings.models import DialogueMeeting, DiscussionQuestion, Need, NeedTheme, PreMeetingAnswer


def meeting_by_id(meeting_id: int) -> DialogueMeeting:
    return get_object_or_404(DialogueMeeting.objects.select_related("organisation__area"), pk=meeting_id)


def need_by_id(need_id: int) -> Need:
    return get_object_or_404(Need.objects.select_related("organisation__area", "meeting", "answered_by"), pk=need_id)


@dataclass
class Invitation:
    """A meeting seen from one invited organisation: the rules check the organisation's roles."""

    meeting: DialogueMeeting
    organisation: Organisation


def invitation(meeting_id: int, slug: str) -> Invitation:
    meeting = meeting_by_id(meeting_id)
    organisation = get_object_or_404(meeting.invited.select_related("area"), slug=slug)
    return Invitation(meeting, organisation)


def organisation_meetings(organisation: Organisation) -> QuerySet[DialogueMeeting]:
    """Meetings the organisation organises or is invited to."""
    return (
        DialogueMeeting.objects.filter(Q(organisation=organisation) | Q(invited=organisation))
        .distinct()
        .select_related("organisation")
    )


def meeting_questions(
    meeting: DialogueMeeting, only_organisation: Organisation | None = None
) -> list[DiscussionQuestion]:
    """The meeting's questions with the answers given before it (only one organisation's, when given)."""
    answers = PreMeetingAnswer.objects.select_related("organisation").exclude(text="").order_by("organisation__name")
    if only_organisation is not None:
        answers = answers.filter(organisation=only_organisation)
    return list(meeting.questions.prefetch_related(Prefetch("answers", queryset=answers)))


def organisation_needs(organisation: Organisation) -> QuerySet[Need]:
    return organisation.needs.select_related("meeting", "answered_by")


@dataclass
class ThemeGroup:
    theme: str
    label: Any
    needs: list[Need]


def county_needs(organisation: Organisation, status: str = "", level: str = "") -> list[ThemeGroup]:
    """Needs grouped by theme: a county board sees its county's; a national agency those passed on to it."""
    needs = Need.objects.select_related("organisation", "meeting", "answered_by")
    if organisation.kind == OrganisationKind.NATIONAL_AGENCY:
        needs = needs.filter(passed_on_at__isnull=False)
    else:
        needs = needs.filter(organisation__area__county_id=organisation.area.county_id)
    if status:
        needs = needs.filter(status=status)
    if level:
        needs = needs.filter(level=level)
    groups = {value: ThemeGroup(value, label, []) for value, label in NeedTheme.choices}
    for need in needs.order_by("organisation__name", "-created_at"):
        groups[need.theme].needs.append(need)
    return [g for g in groups.values() if g.needs]


def need_rows(needs: list[Need]) -> list[list[str]]:
    """Needs as rows for CSV and XLSX."""
    rows = [
        [
            _("Need"),
            _("Description"),
            _("Theme"),
            _("Addressed to"),
            _("Status"),
            _("Raised by"),
            _("Raised"),
            _("Meeting"),
            _("Passed on to the national level"),
            _("Answer"),
            _("Answered by"),
        ]
    ]
    for need in needs:
        rows.append(
            [
                need.title,
                need.description,
                str(need.get_theme_display()),
                str(need.get_level_display()),
                str(need.get_status_display()),
                need.organisation.name,
                need.created_at.date().isoformat(),
                need.meeting.title if need.meeting else "",
                need.passed_on_at.date().isoformat() if need.passed_on_at else "",
                need.answer,
                need.answered_by.name if need.answered_by else "",
            ]
        )
    return rows
