"""The knowledge bank: public pages for anyone, staff pages for the organisations that keep it."""

from __future__ import annotations

import os

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stodkedjan.accounts import queries as account_queries
from stodkedjan.accounts.models import Organisation
from stodkedjan.accounts.views import to_own_organisation
from stodkedjan.core.access import public, rule_required
from stodkedjan.core.cache import browser_cache
from stodkedjan.core.vocabulary import LANGUAGE_NAMES, Format, Perspective, PreventionArea
from stodkedjan.knowledge import queries, services
from stodkedjan.knowledge.forms import MethodForm, MethodSearchForm, ResourceForm, ResourceSearchForm
from stodkedjan.knowledge.models import EVIDENCE_MEANINGS, RATING_SOURCES, EvidenceRating, Method, Resource
from stodkedjan.network.queries import upcoming_events, with_places_left

LABELS = {
    "formats": dict(Format.choices),
    "languages": LANGUAGE_NAMES,
    "perspectives": dict(Perspective.choices),
    "prevention_areas": dict(PreventionArea.choices),
}


@public
@require_safe
@browser_cache()
def method_list(request: HttpRequest) -> HttpResponse:
    form = MethodSearchForm(request.GET)
    context = {"form": form, "methods": queries.search_methods(form.criteria()), "labels": LABELS}
    return render(request, "knowledge/method_list.html", context)


@public
@require_safe
@browser_cache()
def evidence_ratings(request: HttpRequest) -> HttpResponse:
    ratings = [(value, label, EVIDENCE_MEANINGS[EvidenceRating(value)]) for value, label in EvidenceRating.choices]
    return render(request, "knowledge/evidence.html", {"ratings": ratings, "sources": RATING_SOURCES})


@public
@require_safe
@browser_cache()
def method_detail(request: HttpRequest, method_slug: str) -> HttpResponse:
    method = queries.published_method(method_slug)
    counties = queries.counties()
    county = next((c for c in counties if c.code == request.GET.get("county")), None)
    context = {
        "method": method,
        "offered": queries.where_offered(method, county),
        "counties": counties,
        "county": county,
        "resources": method.resources.filter(is_published=True),
        "trainings": with_places_left(upcoming_events(method=method)[:20]),
        "labels": LABELS,
        "sources": RATING_SOURCES,
    }
    return render(request, "knowledge/method_detail.html", context)


@public
@require_safe
@browser_cache()
def resource_list(request: HttpRequest) -> HttpResponse:
    form = ResourceSearchForm(request.GET)
    context = {"form": form, "resources": queries.search_resources(form.criteria()), "labels": LABELS}
    return render(request, "knowledge/resource_list.html", context)


@public
@require_safe
@browser_cache()
def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = queries.published_resource(resource_id)
    return render(request, "knowledge/resource_detail.html", {"resource": resource, "labels": LABELS})


@public
@require_safe
@browser_cache()
def resource_file(request: HttpRequest, resource_id: int) -> FileResponse:
    resource = queries.published_resource(resource_id)
    if not resource.file:
        raise Http404
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(resource.file.name))


# --- staff -------------------------------------------------------------------------------------------------
organisation_by_slug = account_queries.organisation_by_slug


@rule_required("accounts.use_workspace")
def my_bank(request: HttpRequest) -> HttpResponse:
    return to_own_organisation(request, "knowledge:bank", _("Knowledge bank"))


@rule_required("knowledge.view_bank", organisation_by_slug)
def bank(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    methods, resources = queries.organisation_bank(organisation)
    context = {
        "organisation": organisation,
        "methods": methods,
        "resources": resources,
        "can_add_method": request.user.has_perm("knowledge.add_method", organisation),
        "can_add_resource": request.user.has_perm("knowledge.add_resource", organisation),
    }
    return render(request, "knowledge/bank.html", context)


def _method_form(request: HttpRequest, organisation: Organisation, method: Method | None) -> HttpResponse:
    form = MethodForm(request.POST or None, instance=method)
    if request.method == "POST" and form.is_valid():
        saved = services.save_method(organisation, form.cleaned_data, method)
        messages.success(request, _("Saved."))
        return redirect("knowledge:bank", slug=saved.organisation.slug)
    context = {"organisation": organisation, "form": form, "method": method}
    return render(request, "knowledge/method_form.html", context, status=400 if form.errors else 200)


@rule_required("knowledge.add_method", organisation_by_slug)
def method_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _method_form(request, organisation, None)


@rule_required("knowledge.change_method", queries.method_by_id)
def method_edit(request: HttpRequest, method: Method) -> HttpResponse:
    return _method_form(request, method.organisation, method)


def _resource_form(request: HttpRequest, organisation: Organisation, resource: Resource | None) -> HttpResponse:
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "methods"}
        if fields.get("file") is None:
            fields.pop("file", None)  # nothing new uploaded: keep the file there is
        services.save_resource(organisation, fields, list(form.cleaned_data["methods"]), resource)
        messages.success(request, _("Saved."))
        return redirect("knowledge:bank", slug=organisation.slug)
    context = {"organisation": organisation, "form": form, "resource": resource}
    return render(request, "knowledge/resource_form.html", context, status=400 if form.errors else 200)


@rule_required("knowledge.add_resource", organisation_by_slug)
def resource_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _resource_form(request, organisation, None)


@rule_required("knowledge.change_resource", queries.resource_by_id)
def resource_edit(request: HttpRequest, resource: Resource) -> HttpResponse:
    return _resource_form(request, resource.organisation, resource)
