"""Read models for the providers' pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.directory import search
from stodkedjan.directory.models import SearchTerm, Service, ServiceDraft, SpreadsheetImport, Status
from stodkedjan.geo.models import Area, AreaKind


def areas_for(organisation: Organisation, keeping: Iterable[int] = ()) -> QuerySet[Area]:
    """Areas an organisation can say it serves: its county, and everything in that county that is on the
    current police list (vulnerable areas of older lists only where already chosen: ``keeping``)."""
    county_id = organisation.area.county_id or organisation.area_id
    return (
        Area.objects.current(keeping)
        .filter(Q(pk=county_id) | Q(county_id=county_id))
        .exclude(kind=AreaKind.COUNTRY)
        .order_by("kind", "name")
    )


def token_range(token: str) -> Q:
    """Index rows whose token starts with ``token`` (an indexed range scan, not LIKE)."""
    return Q(token__gte=token, token__lt=search.prefix_upper_bound(token))


def matching_text(queryset: QuerySet[Service], text: str) -> tuple[QuerySet[Service], list[str]]:
    """Services whose texts hold every word of ``text`` (as a word start), and the words' search tokens."""
    tokens = search.query_tokens(text)
    for token in tokens:
        queryset = queryset.filter(pk__in=SearchTerm.objects.filter(token_range(token)).values("service_id"))
    return queryset, tokens


def with_term(taxonomy: str, code: str | None = None) -> Q:
    """Services that carry this term (or, without ``code``, any term of ``taxonomy``), as an indexed sub-select."""
    through = Service.terms.through.objects.filter(taxonomyterm__taxonomy=taxonomy)
    if code is not None:
        through = through.filter(taxonomyterm__code=code)
    return Q(pk__in=through.values("service_id"))


def service_by_id(service_id: int) -> Service:
    return get_object_or_404(Service.objects.select_related("organisation__area"), pk=service_id)


def draft_by_id(draft_id: int) -> ServiceDraft:
    return get_object_or_404(ServiceDraft.objects.select_related("service__organisation__area"), pk=draft_id)


def service_for_page(service_id: int) -> Service:
    """One offering with everything its staff page shows, in a fixed number of queries."""
    return get_object_or_404(
        Service.objects.select_related("organisation__area").prefetch_related(
            "terms",
            "areas_served",
            "service_at_locations__location__municipality",
            "service_at_locations__location__vulnerable_area",
            "schedules",
            "contacts",
            "phones",
        ),
        pk=service_id,
    )


def organisation_services(organisation: Organisation, status: str = "") -> QuerySet[Service]:
    queryset = Service.objects.filter(organisation=organisation).order_by("name_sv", "pk")
    if status in Status.values:
        return queryset.filter(status=status)
    return queryset.exclude(status=Status.DEFUNCT)


def review_limit() -> Any:
    return timezone.localdate() - timedelta(days=settings.DIRECTORY_REVIEW_AFTER_DAYS)


def needing_review(organisation: Organisation) -> QuerySet[Service]:
    """Published offerings not checked within the review period, oldest first."""
    return (
        Service.objects.filter(organisation=organisation, status=Status.ACTIVE)
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lt=review_limit()))
        .order_by("assured_date", "name_sv")
    )


@dataclass
class Change:
    when: Any
    who: str
    reason: str
    fields: list[tuple[str, Any, Any]]


def history(service: Service) -> list[Change]:
    """Every saved version of an offering, newest first, with what changed from the one before."""
    records = list(service.history.select_related("history_user").order_by("-history_date", "-history_id"))
    changes: list[Change] = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        fields: list[tuple[str, Any, Any]] = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                if change.field == "terms":
                    fields.append((str(Service._meta.get_field("terms").verbose_name), "…", "…"))
                else:
                    fields.append((str(Service._meta.get_field(change.field).verbose_name), change.old, change.new))  # type: ignore[union-attr]
        who = newer.history_user.email if newer.history_user else "—"
        reason = newer.history_change_reason or {"+": "created", "~": "changed", "-": "deleted"}[newer.history_type]
        changes.append(Change(newer.history_date, who, reason, fields))
    return changes


def pending_import(slug: str, batch_id: int) -> SpreadsheetImport:
    """An uploaded spreadsheet that has been checked but not yet imported."""
    return get_object_or_404(
        SpreadsheetImport.objects.select_related("organisation__area"),
        organisation__slug=slug,
        pk=batch_id,
        imported_at__isnull=True,
    )
