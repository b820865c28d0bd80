"""The public site for parents, and the staff pages that keep its information true.

Public views set no cookies (no session, no CSRF token: the only form that posts is the anonymous
feedback counter), send cache headers, and run a bounded number of queries.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event

from stodkedjan.accounts import queries as account_queries
from stodkedjan.accounts.models import Organisation
from stodkedjan.core.access import public, rule_required
from stodkedjan.core.cache import browser_cache, cached_public_page
from stodkedjan.finder import base_pages, cards, queries, search
from stodkedjan.finder.forms import FeedbackForm, SearchForm
from stodkedjan.finder.models import InformationPage, LocalContact, PageKind
from stodkedjan.finder.staff_forms import InformationPageForm, LocalContactForm
from stodkedjan.geo.versions import areas_version


@public
@require_safe
@browser_cache()
@cached_public_page
def home(request: HttpRequest) -> HttpResponse:
    # The page is the same for every parent of one language but for its list of areas: its content is kept
    # (``{% cache %}``) per language and version of the areas.
    form = SimpleLazyObject(SearchForm)  # made only when the content is drawn
    context = {"form": form, "feedback_page": "home", "areas_version": areas_version()}
    return render(request, "finder/home.html", context)


@public
@require_safe
@browser_cache()
@cached_public_page
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    criteria = form.criteria()
    found = search.search(criteria)
    found.page.object_list = cards.attach(list(found.page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)  # the sort links set it once, not once more each time they are followed
    context = {
        "form": form,
        "criteria": criteria,
        "results": found,
        "query_without_page": query.urlencode(),
        "query_without_sort": unsorted.urlencode(),
        "feedback_page": "search",
    }
    return render(request, "finder/results.html", context)


@public
@require_safe
@browser_cache()
@cached_public_page
def service(request: HttpRequest, service_uuid: Any) -> HttpResponse:
    page = cards.offering_page(service_uuid)
    if page is None:
        target = queries.moved_to(service_uuid)
        if target is None:
            raise Http404
        return redirect("finder:service", service_uuid=target.uuid)
    context = {
        "page": page,
        "feedback_page": f"service:{service_uuid}",
        "share_url": request.build_absolute_uri(reverse("finder:service", args=[service_uuid])),
    }
    return render(request, "finder/service.html", context)


@public
@require_safe
@browser_cache()
def service_calendar(request: HttpRequest, service_uuid: Any) -> HttpResponse:
    """The offering's group meetings as an ICS file, for "add to calendar": Swedish local times with their
    time zone (VTIMEZONE), what the offering is and whom to call, under a file name a parent recognises."""
    offering = queries.service_page(service_uuid)
    calendar = Calendar()
    calendar.add("prodid", "-//Stödkedjan//stodkedjan//SV")
    calendar.add("version", "2.0")
    location = next((sal.location for sal in offering.service_at_locations.all()), None)
    page = request.build_absolute_uri(reverse("finder:service", args=[offering.uuid]))
    description = "\n\n".join(p for p in (offering.description, _calendar_contact(offering), page) if p)
    zone = timezone.get_default_timezone()
    for schedule in offering.schedules.all():
        for day in queries.upcoming_dates(schedule):
            event = Event()
            event.add("uid", f"{offering.uuid}-{schedule.pk}-{day.isoformat()}@stodkedjan")
            event.add("summary", offering.name)
            starts = datetime.combine(day, schedule.opens_at, tzinfo=zone)
            event.add("dtstart", starts)
            event.add("dtend", datetime.combine(day, schedule.closes_at, tzinfo=zone))
            event.add("dtstamp", starts - timedelta(days=30))
            event.add("description", description)
            if location is not None:
                event.add("location", ", ".join(p for p in (location.name, location.address, location.city) if p))
            event.add("url", page)
            calendar.add_component(event)
    if not calendar.subcomponents:
        raise Http404
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    name = slugify(offering.name)[:60] or "grupptraffar"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


def _calendar_contact(offering: Any) -> str:
    """Whom to ask, as the offering's page gives it: contact person, phone, e-mail."""
    contact = next(iter(offering.contacts.all()), None)
    phone = next(iter(offering.phones.all()), None)
    parts = [contact.name if contact else "", phone.number if phone else "", offering.email]
    return ", ".join(p for p in parts if p)


def _information(request: HttpRequest, kind: str, template: str) -> HttpResponse:
    area = queries.area_by_code(request.GET.get("area", "")[:80])
    context = {
        "base": base_pages.base_page(kind, get_language()),
        "page": queries.information_page(kind, area),
        "area": area,
        "contacts": queries.local_contacts(area),
        "form": SearchForm(request.GET),
        "feedback_page": kind,
    }
    return render(request, template, context)


@public
@require_safe
@browser_cache()
def about_social_services(request: HttpRequest) -> HttpResponse:
    return _information(request, PageKind.ABOUT_SOCIAL_SERVICES, "finder/about_social_services.html")


@public
@require_safe
@browser_cache()
def worried_now(request: HttpRequest) -> HttpResponse:
    return _information(request, PageKind.WORRIED_NOW, "finder/worried_now.html")


@public
@csrf_exempt  # an anonymous counter: no session, no cookie, nothing a forged post could harm
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "finder/feedback_invalid.html", status=400)
    queries.record_feedback(form.cleaned_data["page"], form.cleaned_data["answer"])
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()) or not target:
        target = reverse("home")
    separator = "&" if "?" in target else "?"
    return HttpResponseRedirect(f"{target.split('#')[0]}{separator}{urlencode({'feedback': 'thanks'})}#feedback")


# --- staff: information pages and local contacts ---------------------------------------------------


def _page_of(slug: str, kind: str) -> InformationPage:
    if kind not in PageKind.values:
        raise Http404
    organisation = account_queries.organisation_by_slug(slug)
    page = InformationPage.objects.filter(organisation=organisation, kind=kind).first()
    return page or InformationPage(organisation=organisation, kind=kind)


@rule_required("finder.change_information", _page_of)
def information_edit(request: HttpRequest, page: InformationPage) -> HttpResponse:
    form = InformationPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The page was saved."))
        return redirect("finder:information_edit", slug=page.organisation.slug, kind=page.kind)
    return render(request, "finder/information_form.html", {"form": form, "page": page})


@rule_required("finder.change_information", account_queries.organisation_by_slug)
def contacts(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = LocalContactForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The contact was added."))
        return redirect("finder:contacts", slug=organisation.slug)
    listed = LocalContact.objects.filter(organisation=organisation).select_related("area")
    return render(request, "finder/contacts.html", {"organisation": organisation, "form": form, "contacts": listed})


def _contact(slug: str, pk: int) -> LocalContact:
    return get_object_or_404(LocalContact.objects.select_related("organisation__area"), organisation__slug=slug, pk=pk)


@require_POST
@rule_required("finder.change_information", _contact)
def contact_delete(request: HttpRequest, contact: LocalContact) -> HttpResponse:
    contact.delete()
    messages.success(request, _("The contact was removed."))
    return redirect("finder:contacts", slug=contact.organisation.slug)
