"""Read models for the knowledge bank's pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from stodkedjan.accounts.models import Organisation
from stodkedjan.finder.queries import public_services
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.knowledge.models import Method, Resource


def method_by_id(method_id: int) -> Method:
    return get_object_or_404(Method.objects.select_related("organisation__area"), pk=method_id)


def resource_by_id(resource_id: int) -> Resource:
    return get_object_or_404(Resource.objects.select_related("organisation__area"), pk=resource_id)


def published_method(slug: str) -> Method:
    return get_object_or_404(Method.objects.select_related("organisation"), slug=slug, is_published=True)


def published_resource(resource_id: int) -> Resource:
    return get_object_or_404(
        Resource.objects.select_related("organisation").prefetch_related("methods"), pk=resource_id, is_published=True
    )


def method_for_name(name: str) -> Method | None:
    """The method an offering names (its name or one of its other names, in any case), if there is one."""
    wanted = name.strip().lower()
    if not wanted:
        return None
    for method in Method.objects.filter(Q(name__iexact=wanted) | Q(also_known_as__icontains=wanted)):
        if wanted in method.names():
            return method
    return None


def _text_filter(text: str, plain: list[str], translated: list[str]) -> Q:
    """Every word in one of the fields; translated fields in Swedish or in the reader's language."""
    languages = sorted({"sv", get_language() or "sv"})
    names = plain + [f"{name}_{code}" for name in translated for code in languages]
    condition = Q()
    for word in text.split():
        any_field = Q()
        for name in names:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


@dataclass
class MethodCriteria:
    text: str = ""
    age: int | None = None
    level: str = ""
    language: str = ""
    rating: str = ""
    format: str = ""


def search_methods(criteria: MethodCriteria) -> list[Method]:
    """Published methods matching every criterion given, by name. Languages and formats are lists kept in
    JSON, which SQLite cannot search inside; the bank holds tens of methods, so those two are checked here."""
    queryset = Method.objects.filter(is_published=True)
    if criteria.text:
        queryset = queryset.filter(_text_filter(criteria.text, ["name", "also_known_as"], ["summary", "target_group"]))
    if criteria.age is not None:
        queryset = queryset.filter(minimum_age__lte=criteria.age, maximum_age__gte=criteria.age)
    if criteria.level:
        queryset = queryset.filter(level=criteria.level)
    if criteria.rating:
        queryset = queryset.filter(evidence_rating=criteria.rating)
    methods = list(queryset.order_by("name"))
    if criteria.language:
        methods = [m for m in methods if criteria.language in m.languages]
    if criteria.format:
        methods = [m for m in methods if criteria.format in m.formats]
    return methods


@dataclass
class Offered:
    """Where a method is offered: published services grouped by county, then municipality."""

    counties: list[tuple[str, list[tuple[str, list[Any]]]]] = field(default_factory=list)
    count: int = 0


def where_offered(method: Method, county: Area | None) -> Offered:
    """The published offerings that use the method, in one county or all of Sweden, grouped for the page; a
    likely duplicate of an older offering is left out, as in the finder."""
    services = public_services().filter(method=method).select_related("organisation__area__county")
    if county is not None:
        services = services.filter(Q(areas_served__county=county) | Q(areas_served=county)).distinct()
    grouped: dict[str, dict[str, list[Any]]] = {}
    count = 0
    for service in services.order_by("organisation__area__name", "name"):
        area = service.organisation.area
        county_name = area.county.name if area.county else area.name
        grouped.setdefault(county_name, {}).setdefault(area.name, []).append(service)
        count += 1
    counties = [(name, sorted(places.items())) for name, places in sorted(grouped.items())]
    return Offered(counties, count)


def counties() -> list[Area]:
    return list(Area.objects.filter(kind=AreaKind.COUNTY).only("code", "name").order_by("code"))


@dataclass
class ResourceCriteria:
    text: str = ""
    kind: str = ""
    perspective: str = ""
    prevention_area: str = ""


def search_resources(criteria: ResourceCriteria) -> list[Resource]:
    """Published resources, newest first, matching every criterion given."""
    queryset = Resource.objects.filter(is_published=True).select_related("organisation")
    if criteria.text:
        queryset = queryset.filter(_text_filter(criteria.text, [], ["title", "summary"]))
    if criteria.kind:
        queryset = queryset.filter(kind=criteria.kind)
    resources = list(queryset)
    if criteria.perspective:
        resources = [r for r in resources if criteria.perspective in r.perspectives]
    if criteria.prevention_area:
        resources = [r for r in resources if criteria.prevention_area in r.prevention_areas]
    return resources


def organisation_bank(organisation: Organisation) -> tuple[QuerySet[Method], QuerySet[Resource]]:
    """An organisation's methods and resources, published or not, for its staff pages."""
    return (
        Method.objects.filter(organisation=organisation).annotate(offering_count=Count("services")).order_by("name"),
        Resource.objects.filter(organisation=organisation).order_by("-created_at"),
    )


def method_names() -> list[str]:
    """Names of the published methods, for the offering form's suggestions."""
    return list(Method.objects.filter(is_published=True).order_by("name").values_list("name", flat=True))
