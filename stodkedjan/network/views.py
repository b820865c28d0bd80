"""Events and trainings (public pages: listing, event page with registration, cancellation), and the staff
pages for networks, working groups, their meetings and announcements, and the organiser's event pages."""

from __future__ import annotations

import os
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from stodkedjan.accounts import queries as account_queries
from stodkedjan.accounts.models import Organisation
from stodkedjan.accounts.views import to_own_organisation
from stodkedjan.core.access import public, rule_required
from stodkedjan.core.cache import browser_cache, patch_browser_cache
from stodkedjan.core.downloads import CSV, XLSX, attachment, rows_to_csv, tables_to_xlsx
from stodkedjan.core.forms import valid_values
from stodkedjan.network import queries, services
from stodkedjan.network.calendar import event_ics
from stodkedjan.network.forms import (
    AnnouncementForm,
    DocumentForm,
    EventFilterForm,
    EventForm,
    NetworkForm,
    NetworkMeetingForm,
    ParticipantActionForm,
    RegistrationForm,
    ResendLinksForm,
)
from stodkedjan.network.models import (
    Event,
    Network,
    NetworkDocument,
    NetworkMeeting,
    Registration,
    RegistrationStatus,
)

EVENT_CACHE_SECONDS = 60  # places left change as people register
REFUSAL_STATUS = {
    services.CLOSED: 409,
    services.FULL: 409,
    services.NOT_FOUND: 404,
    services.MEMBERS_ONLY: 403,
}


@public
@require_safe
@browser_cache(EVENT_CACHE_SECONDS)
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET, organisers=queries.organisers())
    value = valid_values(form)
    events = queries.upcoming_events(value.get("kind") or "", value.get("organiser"))
    context = {"form": form, "events": queries.with_places_left(events)}
    return render(request, "network/event_list.html", context)


@public
@csrf_exempt  # a signed token in the form does CSRF's job without a cookie (forms.RegistrationForm)
@require_http_methods(["GET", "HEAD", "POST"])
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    response = _event_page(request, queries.public_event(event_id))
    if request.method == "POST":
        add_never_cache_headers(response)  # it may show the registrant's address: never kept by a cache
    else:
        patch_browser_cache(response, EVENT_CACHE_SECONDS)
    return response


def _event_page(request: HttpRequest, event: Event) -> HttpResponse:
    form = RegistrationForm(request.POST or None, event=event)
    invitation = request.GET.get("invitation", "")
    language = translation.get_language() or "sv"
    if request.method == "POST" and form.is_valid():
        data = services.RegistrationData(**{k: form.cleaned_data[k] for k in form.Meta.fields})
        try:
            registration = services.register(event, data, language, invitation)
        except services.RegistrationRefused as refusal:
            if refusal.reason == services.ALREADY:
                # The same words as "send my links": the page never tells whether an address is registered.
                services.resend_links(event, data.email, language)
                return render(request, "network/links_sent.html", {"event": event})
            context = {"event": event, "reason": refusal.reason, "registration": refusal.registration}
            return render(request, "network/refused.html", context, status=REFUSAL_STATUS[refusal.reason])
        # The page's own link is relative: it works on whatever address the page was reached by.
        cancel_path = reverse("network:cancel", kwargs={"key": registration.key})
        context = {"event": event, "registration": registration, "cancel_url": cancel_path}
        return render(request, "network/registered.html", context)
    if form.is_bound:
        form.data = {**form.data.dict(), "token": form.refreshed_token()}  # type: ignore[attr-defined]
    invited = bool(invitation) and invitation == str(event.invitation_key)
    context = {"event": event, "form": form, "invited": invited, "resend_form": ResendLinksForm()}
    return render(request, "network/event_detail.html", context, status=400 if form.errors else 200)


@public
@csrf_exempt  # nothing signed-in to protect, and the answer is the same whatever was typed (no disclosure)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def resend_links(request: HttpRequest, event_id: int) -> HttpResponse:
    """ "Send my links again": mails the registration's links to the address if, and only if, it is registered,
    and answers the same words either way."""
    event = queries.public_event(event_id)
    form = ResendLinksForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resend_links(event, form.cleaned_data["email"], translation.get_language() or "sv")
        return render(request, "network/links_sent.html", {"event": event})
    return render(request, "network/resend.html", {"event": event, "form": form}, status=400 if form.errors else 200)


@public
@require_safe
@browser_cache(EVENT_CACHE_SECONDS)
def event_calendar(request: HttpRequest, event_id: int) -> HttpResponse:
    event = queries.public_event(event_id)
    return attachment(event_ics(event), f"event-{event.pk}.ics", "text/calendar; charset=utf-8")


@public
@csrf_exempt  # the key in the address is the secret; there is no session to protect
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def cancel(request: HttpRequest, key: UUID) -> HttpResponse:
    """The link in the confirmation e-mail: GET asks "are you sure?", POST cancels."""
    try:
        if request.method != "POST":
            registration = services.registration_by_key(key)
            if registration.status == RegistrationStatus.CANCELLED:
                raise services.RegistrationRefused(services.ALREADY_CANCELLED, registration)
            return render(request, "network/cancel.html", {"registration": registration, "event": registration.event})
        registration, _promoted = services.cancel(key, translation.get_language() or "sv")
    except services.RegistrationRefused as refusal:
        refused = refusal.registration
        context = {"reason": refusal.reason, "registration": refused, "event": getattr(refused, "event", None)}
        status = (
            404
            if refusal.reason == services.NOT_FOUND
            else 200
            if refusal.reason == services.ALREADY_CANCELLED
            else 409
        )
        return render(request, "network/cancel_result.html", context, status=status)
    return render(
        request, "network/cancel_result.html", {"reason": "", "registration": registration, "event": registration.event}
    )


# --- staff: networks ------------------------------------------------------------------------------------
def _form_page(request: HttpRequest, form: Any, organisation: Organisation, heading: str, back: str) -> HttpResponse:
    """A staff form page: shown empty, or again with what was typed and why it was refused (400)."""
    context = {"organisation": organisation, "form": form, "heading": heading, "back_url": back}
    return render(request, "network/form.html", context, status=400 if form.errors else 200)


organisation_by_slug = account_queries.organisation_by_slug


@rule_required("accounts.use_workspace")
def my_networks(request: HttpRequest) -> HttpResponse:
    return to_own_organisation(request, "network:network_list", _("Networks"))


@rule_required("accounts.use_workspace")
def my_events(request: HttpRequest) -> HttpResponse:
    return to_own_organisation(request, "network:event_admin_list", _("Events and trainings"))


@rule_required("network.view_networks", organisation_by_slug)
def network_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    context = {
        "organisation": organisation,
        "networks": queries.organisation_networks(organisation),
        "can_add": request.user.has_perm("network.add_network", organisation),
    }
    return render(request, "network/network_list.html", context)


def _network_form(request: HttpRequest, organisation: Organisation, network: Network | None) -> HttpResponse:
    form = NetworkForm(request.POST or None, instance=network, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "members"}
        saved = services.save_network(organisation, fields, list(form.cleaned_data["members"]), network)
        messages.success(request, _("Saved."))
        return redirect("network:network", network_id=saved.pk)
    back = (
        reverse("network:network", args=[network.pk])
        if network
        else reverse("network:network_list", args=[organisation.slug])
    )
    heading = _("Edit %(name)s") % {"name": network.name} if network else _("New network or working group")
    return _form_page(request, form, organisation, heading, back)


@rule_required("network.add_network", organisation_by_slug)
def network_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _network_form(request, organisation, None)


@rule_required("network.change_network", queries.network_by_id)
def network_edit(request: HttpRequest, network: Network) -> HttpResponse:
    return _network_form(request, network.organisation, network)


@rule_required("network.view_network", queries.network_by_id)
def network_detail(request: HttpRequest, network: Network) -> HttpResponse:
    own = account_queries.current_membership(request)
    # Back to the reader's own list of networks (a member's, not the convenor's, where the reader is a member).
    back = own.organisation.slug if own is not None and own.organisation_id in network.member_ids() else None
    context = {
        "network": network,
        "organisation": network.organisation,
        "back_slug": back or network.organisation.slug,
        "can_edit": request.user.has_perm("network.change_network", network),
        "can_add_event": request.user.has_perm("network.add_event", network.organisation),
        **queries.network_page(network),
    }
    return render(request, "network/network_detail.html", context)


@rule_required("network.change_network", queries.network_by_id)
def announcement_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_announcement(network, request.user, form.cleaned_data["title"], form.cleaned_data["body"])  # type: ignore[arg-type]
        messages.success(request, _("Saved. The announcement goes out to the members with the next digest."))
        return redirect("network:network", network_id=network.pk)
    heading = _("New announcement to %(name)s") % {"name": network.name}
    return _form_page(request, form, network.organisation, heading, reverse("network:network", args=[network.pk]))


def _meeting_form(request: HttpRequest, network: Network, meeting: NetworkMeeting | None) -> HttpResponse:
    form = NetworkMeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        saved = services.save_meeting(network, form.cleaned_data, meeting)
        messages.success(request, _("Saved."))
        return redirect("network:meeting", network_meeting_id=saved.pk)
    back = reverse("network:meeting", args=[meeting.pk]) if meeting else reverse("network:network", args=[network.pk])
    heading = _("Edit the meeting") if meeting else _("New meeting of %(name)s") % {"name": network.name}
    return _form_page(request, form, network.organisation, heading, back)


@rule_required("network.change_network", queries.network_by_id)
def meeting_create(request: HttpRequest, network: Network) -> HttpResponse:
    return _meeting_form(request, network, None)


@rule_required("network.change_network", queries.meeting_by_id)
def meeting_edit(request: HttpRequest, meeting: NetworkMeeting) -> HttpResponse:
    return _meeting_form(request, meeting.network, meeting)


@rule_required("network.view_network", queries.meeting_by_id)
def meeting_detail(request: HttpRequest, meeting: NetworkMeeting) -> HttpResponse:
    can_edit = request.user.has_perm("network.change_network", meeting)
    form = DocumentForm(request.POST or None, request.FILES or None) if can_edit else None
    if request.method == "POST" and form is not None and form.is_valid():
        services.add_document(meeting, form.cleaned_data["title"], form.cleaned_data["file"])
        messages.success(request, _("Saved."))
        return redirect("network:meeting", network_meeting_id=meeting.pk)
    context = {
        "meeting": meeting,
        "network": meeting.network,
        "organisation": meeting.network.organisation,
        "documents": meeting.documents.all(),
        "form": form,
        "can_edit": can_edit,
    }
    return render(
        request, "network/meeting_detail.html", context, status=400 if form is not None and form.errors else 200
    )


@rule_required("network.view_network", queries.document_by_id)
def document_download(request: HttpRequest, document: NetworkDocument) -> FileResponse:
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=os.path.basename(document.file.name))


# --- staff: events --------------------------------------------------------------------------------------
@rule_required("network.view_events", organisation_by_slug)
def event_admin_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    context = {
        "organisation": organisation,
        "events": queries.organisation_events(organisation),
        "can_add": request.user.has_perm("network.add_event", organisation),
    }
    return render(request, "network/event_admin_list.html", context)


def _event_form(request: HttpRequest, organisation: Organisation, event: Event | None) -> HttpResponse:
    initial = (
        {"network": request.GET.get("network")} if event is None and request.GET.get("network", "").isdigit() else {}
    )
    form = EventForm(request.POST or None, instance=event, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "methods"}
        saved = services.save_event(organisation, fields, list(form.cleaned_data["methods"]), event)
        messages.success(request, _("Saved."))
        return redirect("network:event_admin", event_id=saved.pk)
    back = (
        reverse("network:event_admin", args=[event.pk])
        if event
        else reverse("network:event_admin_list", args=[organisation.slug])
    )
    heading = _("Edit %(name)s") % {"name": event.title} if event else _("New event")
    return _form_page(request, form, organisation, heading, back)


@rule_required("network.add_event", organisation_by_slug)
def event_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _event_form(request, organisation, None)


@rule_required("network.change_event", queries.event_by_id)
def event_edit(request: HttpRequest, event: Event) -> HttpResponse:
    return _event_form(request, event.organisation, event)


@rule_required("network.view_event_admin", queries.event_by_id)
def event_admin(request: HttpRequest, event: Event) -> HttpResponse:
    can_edit = request.user.has_perm("network.change_event", event)
    people = list(queries.participants(event)) if can_edit else []
    invitation = settings.SITE_URL + reverse("network:event", args=[event.pk]) + f"?invitation={event.invitation_key}"
    context = {
        "event": event,
        "organisation": event.organisation,
        "participants": people,
        "confirmed": sum(1 for p in people if p.status == RegistrationStatus.CONFIRMED),
        "waitlisted": sum(1 for p in people if p.status == RegistrationStatus.WAITLISTED),
        "can_edit": can_edit,
        "started": event.starts_at <= timezone.now(),
        "other_dates": queries.other_dates(event) if can_edit else [],
        "invitation_url": invitation if event.network_id else "",
        "event_personal_data_days": settings.EVENT_PERSONAL_DATA_DAYS,
    }
    return render(request, "network/event_admin.html", context)


@require_POST
@rule_required("network.change_event", queries.event_by_id)
def event_publish(request: HttpRequest, event: Event) -> HttpResponse:
    """Publish or unpublish in one press, saying which it now is."""
    event.is_published = request.POST.get("publish") == "1"
    event.save(update_fields=["is_published"])
    if event.is_published:
        messages.success(request, _("Published: the event is on the public list and open for registration."))
    else:
        messages.success(request, _("Unpublished: the event is no longer on the public list."))
    return redirect("network:event_admin", event_id=event.pk)


@require_POST
@rule_required("network.change_event", queries.registration_by_id)
def participant_action(request: HttpRequest, registration: Registration) -> HttpResponse:
    """The organiser moves someone up from the waiting list, removes them, or moves them to another date;
    each mails the person and leaves an audit entry."""
    event = registration.event
    form = ParticipantActionForm(
        {"action": request.POST.get("action"), "target": request.POST.get(f"target-{registration.pk}")}
    )
    if not form.is_valid() or event.personal_data_deleted_at is not None:
        messages.error(request, _("Choose what to do with the registration."))
        return redirect("network:event_admin", event_id=event.pk)
    action = form.cleaned_data["action"]
    try:
        if action == "move_up":
            services.move_up(registration, request)
            messages.success(
                request, _("%(name)s has a place now and was told by e-mail.") % {"name": registration.name}
            )
        elif action == "remove":
            promoted = services.remove(registration, request)
            done = _("%(name)s was removed and told by e-mail.") % {"name": registration.name}
            if promoted is not None:
                done += " " + _("%(name)s moved up from the waiting list.") % {"name": promoted.name}
            messages.success(request, done)
        else:
            target = next((e for e in queries.other_dates(event) if e.pk == form.cleaned_data["target"]), None)
            if target is None:
                messages.error(request, _("Choose the date to move the registration to."))
                return redirect("network:event_admin", event_id=event.pk)
            moved = services.move(registration, target, request)
            messages.success(
                request,
                _("%(name)s was moved to %(date)s and told by e-mail.")
                % {
                    "name": registration.name,
                    "date": formats.date_format(timezone.localtime(target.starts_at), "j F Y"),
                }
                + (
                    ""
                    if moved.status == RegistrationStatus.CONFIRMED
                    else " " + _("That date is full: on its waiting list.")
                ),
            )
    except services.RegistrationRefused as refusal:
        messages.error(
            request,
            _("Nothing was changed: the registration is already on that date.")
            if refusal.reason == services.ALREADY and action == "move"
            else _("Nothing was changed: the registration was changed by someone else meanwhile."),
        )
    return redirect("network:event_admin", event_id=event.pk)


@require_POST
@rule_required("network.change_event", queries.event_by_id)
def attendance(request: HttpRequest, event: Event) -> HttpResponse:
    if event.starts_at > timezone.now():
        messages.error(request, _("Attendance can be marked from the start of the event."))
        return redirect("network:event_admin", event_id=event.pk)
    attended = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
    came = services.mark_attendance(event, attended)
    messages.success(request, _("Attendance saved: %(count)s came.") % {"count": came})
    return redirect("network:event_admin", event_id=event.pk)


PARTICIPANT_COLUMNS = ["name", "email", "organisation_name", "requirements", "status", "attended", "created_at"]


def _participant_rows(event: Event) -> list[list[str]]:
    header = [
        str(_(label))
        for label in ("Name", "E-mail", "Organisation", "Anything we should know", "Status", "Attended", "Registered")
    ]
    rows = [header]
    for p in queries.participants(event):
        attended = "" if p.attended is None else _("yes") if p.attended else _("no")
        rows.append(
            [
                p.name,
                p.email,
                p.organisation_name,
                p.requirements,
                p.get_status_display(),
                attended,
                p.created_at.strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return rows


@rule_required("network.export_participants", queries.event_by_id)
def participants_csv(request: HttpRequest, event: Event) -> HttpResponse:
    return attachment(rows_to_csv(_participant_rows(event)), f"deltagare-{event.pk}.csv", CSV)


@rule_required("network.export_participants", queries.event_by_id)
def participants_xlsx(request: HttpRequest, event: Event) -> HttpResponse:
    content = tables_to_xlsx([(event.title, _participant_rows(event))])
    return attachment(content, f"deltagare-{event.pk}.xlsx", XLSX)
