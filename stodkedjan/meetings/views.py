"""Dialogue meeting pages and the needs register."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from stodkedjan.accounts import queries as account_queries
from stodkedjan.accounts.models import Organisation
from stodkedjan.accounts.views import to_own_organisation
from stodkedjan.core.access import rule_required
from stodkedjan.core.downloads import CSV, XLSX, attachment, rows_to_csv, tables_to_xlsx
from stodkedjan.meetings import queries, services
from stodkedjan.meetings.forms import (
    AnswerForm,
    MeetingForm,
    MeetingNeedForm,
    NeedEditForm,
    NeedFilterForm,
    NeedForm,
    PreMeetingForm,
)
from stodkedjan.meetings.models import DialogueMeeting, Need
from stodkedjan.meetings.queries import Invitation

organisation_by_slug = account_queries.organisation_by_slug


@rule_required("accounts.use_workspace")
def my_meetings(request: HttpRequest) -> HttpResponse:
    return to_own_organisation(request, "meetings:meeting_list", _("Dialogue meetings"))


@rule_required("accounts.use_workspace")
def my_needs(request: HttpRequest) -> HttpResponse:
    return to_own_organisation(request, "meetings:need_list", _("Needs"))


@rule_required("meetings.view_meetings", organisation_by_slug)
def meeting_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    context = {
        "organisation": organisation,
        "meetings": queries.organisation_meetings(organisation),
        "can_add": request.user.has_perm("meetings.add_meeting", organisation),
    }
    return render(request, "meetings/meeting_list.html", context)


@rule_required("meetings.add_meeting", organisation_by_slug)
def meeting_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = MeetingForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        meeting = services.save_meeting(organisation, form.cleaned_data)
        return redirect("meetings:meeting", meeting_id=meeting.pk)
    context = {"organisation": organisation, "form": form}
    return render(request, "meetings/meeting_form.html", context, status=400 if form.errors else 200)


@rule_required("meetings.change_meeting", queries.meeting_by_id)
def meeting_edit(request: HttpRequest, meeting: DialogueMeeting) -> HttpResponse:
    form = MeetingForm(request.POST or None, instance=meeting, organisation=meeting.organisation)
    if request.method == "POST" and form.is_valid():
        services.save_meeting(meeting.organisation, form.cleaned_data, meeting)
        messages.success(request, _("Saved."))
        return redirect("meetings:meeting", meeting_id=meeting.pk)
    context = {"organisation": meeting.organisation, "form": form, "meeting": meeting}
    return render(request, "meetings/meeting_form.html", context, status=400 if form.errors else 200)


@rule_required("meetings.view_meeting", queries.meeting_by_id)
def meeting_detail(request: HttpRequest, meeting: DialogueMeeting) -> HttpResponse:
    sees_all = request.user.has_perm("meetings.view_needs", meeting.organisation)
    invitations = [Invitation(meeting, o) for o in meeting.invited.select_related("area").order_by("name")]
    mine = [i for i in invitations if request.user.has_perm("meetings.answer_before_meeting", cast(Any, i))]
    own = mine[0].organisation if mine and not sees_all else None
    context = {
        "meeting": meeting,
        "organisation": meeting.organisation,
        "invitations": invitations,
        "questions": queries.meeting_questions(meeting, only_organisation=own) if sees_all or own else [],
        "answer_as": mine,
        "needs": meeting.needs.select_related("organisation") if sees_all else [],
        "can_edit": request.user.has_perm("meetings.change_meeting", meeting),
    }
    return render(request, "meetings/meeting_detail.html", context)


@rule_required("meetings.view_meeting", queries.meeting_by_id)
def meeting_calendar(request: HttpRequest, meeting: DialogueMeeting) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Stödkedjan//dialogmöten//SV")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@stodkedjan")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(hours=2))
    event.add("location", meeting.place or meeting.online_link)
    event.add("url", settings.SITE_URL + reverse("meetings:meeting", args=[meeting.pk]))
    event.add("description", meeting.agenda)
    calendar.add_component(event)
    return attachment(calendar.to_ical(), f"dialogmote-{meeting.pk}.ics", "text/calendar; charset=utf-8")


@rule_required("meetings.answer_before_meeting", queries.invitation)
def pre_meeting_answers(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """An invited organisation answers the questions asked before the meeting."""
    meeting, organisation = invitation.meeting, invitation.organisation
    questions = [q for q in queries.meeting_questions(meeting, only_organisation=organisation) if q.ask_before]
    given = {q.pk: a.text for q in questions for a in q.answers.all()}
    form = PreMeetingForm(request.POST or None, questions=questions, answers=given)
    if request.method == "POST" and form.is_valid():
        services.save_pre_meeting_answers(meeting, organisation, form.answers())
        messages.success(request, _("Your answers were saved. The organiser can read them."))
        return redirect("meetings:meeting", meeting_id=meeting.pk)
    context = {"meeting": meeting, "organisation": organisation, "form": form}
    return render(request, "meetings/pre_meeting_form.html", context, status=400 if form.errors else 200)


@rule_required("meetings.change_meeting", queries.meeting_by_id)
def meeting_need_create(request: HttpRequest, meeting: DialogueMeeting) -> HttpResponse:
    form = MeetingNeedForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        services.create_need(form.cleaned_data["raised_by"], form.cleaned_data, request.user, meeting=meeting)
        messages.success(request, _("The need was added to the register."))
        return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#needs")
    context = {"organisation": meeting.organisation, "form": form, "meeting": meeting}
    return render(request, "meetings/need_form.html", context, status=400 if form.errors else 200)


# --- needs --------------------------------------------------------------------------------------------


def _needs_export(needs: list[Need], name: str, fmt: str) -> HttpResponse:
    rows = queries.need_rows(needs)
    if fmt == "csv":
        return attachment(rows_to_csv(rows), f"{name}.csv", CSV)
    return attachment(tables_to_xlsx([(_("Needs"), rows)]), f"{name}.xlsx", XLSX)


@rule_required("meetings.view_needs", organisation_by_slug)
def need_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    needs = list(queries.organisation_needs(organisation))
    if request.GET.get("format") in ("csv", "xlsx"):
        return _needs_export(needs, f"behov-{organisation.slug}", request.GET["format"])
    context = {
        "organisation": organisation,
        "needs": needs,
        "can_add": request.user.has_perm("meetings.add_need", organisation),
        "can_see_county": request.user.has_perm("meetings.view_county_needs", organisation),
    }
    return render(request, "meetings/need_list.html", context)


@rule_required("meetings.add_need", organisation_by_slug)
def need_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        need = services.create_need(organisation, form.cleaned_data, request.user)
        return redirect("meetings:need", need_id=need.pk)
    context = {"organisation": organisation, "form": form}
    return render(request, "meetings/need_form.html", context, status=400 if form.errors else 200)


@rule_required("meetings.view_need", queries.need_by_id)
def need_detail(request: HttpRequest, need: Need) -> HttpResponse:
    user = request.user
    can_edit = user.has_perm("meetings.change_need", need)
    can_answer = user.has_perm("meetings.answer_need", need)
    edit_form = NeedEditForm(instance=need) if can_edit else None
    answer_form = AnswerForm(initial={"answer": need.answer, "status": need.status}) if can_answer else None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "edit" and can_edit:
            edit_form = NeedEditForm(request.POST, instance=need)
            if edit_form.is_valid():
                services.update_need(need, edit_form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("meetings:need", need_id=need.pk)
        elif action == "answer" and can_answer:
            answer_form = AnswerForm(request.POST)
            if answer_form.is_valid():
                membership = account_queries.current_membership(request)
                services.answer_need(
                    need,
                    answer_form.cleaned_data["answer"],
                    answer_form.cleaned_data["status"],
                    membership.organisation if membership else None,
                )
                messages.success(request, _("The answer was saved."))
                return redirect("meetings:need", need_id=need.pk)
        else:
            raise PermissionDenied
        status = 400
    context = {
        "need": need,
        "organisation": need.organisation,
        "edit_form": edit_form,
        "answer_form": answer_form,
        "can_pass_on": user.has_perm("meetings.pass_on_need", need) and not need.passed_on_at,
        "changes": need.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "meetings/need_detail.html", context, status=status)


@require_POST
@rule_required("meetings.pass_on_need", queries.need_by_id)
def need_pass_on(request: HttpRequest, need: Need) -> HttpResponse:
    if services.pass_on_need(need):
        messages.success(request, _("The need was passed on to the national level."))
    else:
        messages.info(request, _("The need had already been passed on."))
    return redirect("meetings:need", need_id=need.pk)


@rule_required("meetings.view_county_needs", organisation_by_slug)
def county_needs(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """All needs in the county (or, for a national agency, all passed on to it), grouped by theme."""
    form = NeedFilterForm(request.GET or None)
    status = level = ""
    if form.is_valid():
        status, level = form.cleaned_data["status"], form.cleaned_data["level"]
    groups = queries.county_needs(organisation, status, level)
    if request.GET.get("format") in ("csv", "xlsx"):
        needs = [n for g in groups for n in g.needs]
        return _needs_export(needs, f"behov-{organisation.slug}-lan", request.GET["format"])
    context = {"organisation": organisation, "groups": groups, "form": form, "total": sum(len(g.needs) for g in groups)}
    return render(request, "meetings/county_needs.html", context)
