"""The needs and meetings part of the staff home: needs awaiting an answer and the next dialogue meetings."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from stodkedjan.accounts.home import Section
from stodkedjan.accounts.models import Membership
from stodkedjan.meetings.models import DialogueMeeting, Need, NeedStatus

SHOWN_MEETINGS = 3


def section(request: HttpRequest, membership: Membership) -> Section | None:
    organisation = membership.organisation
    if not request.user.has_perm("meetings.view_meetings", organisation):
        return None
    waiting = Need.objects.filter(organisation=organisation, status__in=[NeedStatus.OPEN, NeedStatus.IN_PROGRESS])
    meetings = DialogueMeeting.objects.filter(organisation=organisation, starts_at__gte=timezone.now()).order_by(
        "starts_at"
    )
    return Section(
        _("Needs and dialogue meetings"),
        "meetings/_home_section.html",
        {
            "organisation": organisation,
            "waiting": waiting.count(),
            "meetings": list(meetings[:SHOWN_MEETINGS]),
            "can_see_county": request.user.has_perm("meetings.view_county_needs", organisation),
        },
    )
