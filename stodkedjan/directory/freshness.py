"""How fresh the directory is, as figures (issue 24): for an organisation, a municipality, a county or the
country, of the published offerings parents can find (likely duplicates left out, as the coverage does), how
many were checked in the last 6 months (``DIRECTORY_REVIEW_AFTER_DAYS``) and the last 12
(``DIRECTORY_OUTDATED_AFTER_DAYS``), how many were never checked, the oldest check, and how many changes wait
for review. Offerings are counted where their organisation is: a district administration's in its
municipality, a county board's or a region's only in the county."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.directory.models import DraftState, Service, ServiceDraft, Status
from stodkedjan.geo.models import Area, AreaKind


@dataclass
class Freshness:
    published: int = 0
    verified_6: int = 0
    verified_12: int = 0
    never_checked: int = 0
    oldest_check: datetime.date | None = None
    drafts_waiting: int = 0
    oldest: Service | None = None  # for one organisation or county: the offering checked longest ago

    @property
    def share_6(self) -> int | None:
        return round(100 * self.verified_6 / self.published) if self.published else None

    @property
    def share_12(self) -> int | None:
        return round(100 * self.verified_12 / self.published) if self.published else None

    def add(self, row: dict[str, object]) -> None:
        self.published += int(row["published"])  # type: ignore[call-overload]
        self.verified_6 += int(row["verified_6"])  # type: ignore[call-overload]
        self.verified_12 += int(row["verified_12"])  # type: ignore[call-overload]
        self.never_checked += int(row["never_checked"])  # type: ignore[call-overload]
        oldest = row["oldest_check"]
        if isinstance(oldest, datetime.date) and (self.oldest_check is None or oldest < self.oldest_check):
            self.oldest_check = oldest


def published() -> QuerySet[Service]:
    return Service.objects.filter(status=Status.ACTIVE, duplicate_of__isnull=True)


def _limits(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return (
        today - datetime.timedelta(days=settings.DIRECTORY_REVIEW_AFTER_DAYS),
        today - datetime.timedelta(days=settings.DIRECTORY_OUTDATED_AFTER_DAYS),
    )


def _grouped(services: QuerySet[Service], today: datetime.date) -> list[dict[str, object]]:
    six, twelve = _limits(today)
    return list(
        services.values("organisation__area_id").annotate(
            published=Count("pk"),
            verified_6=Count("pk", filter=Q(assured_date__gte=six)),
            verified_12=Count("pk", filter=Q(assured_date__gte=twelve)),
            never_checked=Count("pk", filter=Q(assured_date__isnull=True)),
            oldest_check=Min("assured_date"),
        )
    )


def _drafts(services: QuerySet[Service]) -> dict[int, int]:
    rows = (
        ServiceDraft.objects.filter(state=DraftState.WAITING, service__in=services.values("pk"))
        .values("service__organisation__area_id")
        .annotate(n=Count("pk"))
    )
    return {row["service__organisation__area_id"]: row["n"] for row in rows}


def of(services: QuerySet[Service], today: datetime.date | None = None) -> Freshness:
    """The figures for these offerings, with the one checked longest ago (never checked first)."""
    today = today or timezone.localdate()
    scope = services.filter(pk__in=published().values("pk"))
    found = Freshness()
    for row in _grouped(scope, today):
        found.add(row)
    found.drafts_waiting = sum(_drafts(scope).values())
    oldest_first = (F("assured_date").asc(nulls_first=True), "name_sv", "pk")
    found.oldest = scope.order_by(*oldest_first).first() if found.published else None
    return found


def for_organisation(organisation: Organisation, today: datetime.date | None = None) -> Freshness:
    return of(Service.objects.filter(organisation=organisation), today)


def in_area(area: Area) -> QuerySet[Service]:
    """The offerings of the organisations in an area: a municipality (with its districts), a county, the country."""
    if area.kind == AreaKind.COUNTRY:
        return Service.objects.all()
    if area.kind == AreaKind.COUNTY:
        return Service.objects.filter(Q(organisation__area=area) | Q(organisation__area__county=area))
    return Service.objects.filter(Q(organisation__area=area) | Q(organisation__area__parent=area))


def for_area(area: Area, today: datetime.date | None = None) -> Freshness:
    return of(in_area(area), today)


def _split(
    services: QuerySet[Service], places: Iterable[Area], key: Callable[[Area], int | None], today: datetime.date
) -> tuple[list[tuple[Area, Freshness]], Freshness]:
    """The figures for each place, and for the whole scope (with the offerings of no one place: a county
    board's, a region's, a national agency's), in four queries."""
    places = list(places)
    owners = {a.pk: a for a in Area.objects.filter(pk__in=services.values("organisation__area_id"))}
    found = {place.pk: Freshness() for place in places}
    total = Freshness()
    scope = services.filter(pk__in=published().values("pk"))
    for row in _grouped(scope, today):
        total.add(row)
        owner = owners.get(row["organisation__area_id"])  # type: ignore[call-overload]
        target = key(owner) if owner else None
        if target in found:
            found[target].add(row)
    for area_id, n in _drafts(scope).items():
        total.drafts_waiting += n
        owner = owners.get(area_id)
        target = key(owner) if owner else None
        if target in found:
            found[target].drafts_waiting += n
    return [(place, found[place.pk]) for place in places], total


def by_municipality(county: Area, today: datetime.date | None = None) -> tuple[list[tuple[Area, Freshness]], Freshness]:
    """Each municipality of the county, by name, with the figures of the organisations in it; and the county's."""
    municipalities = Area.objects.filter(county=county, kind=AreaKind.MUNICIPALITY).order_by("name")

    def municipality_of(owner: Area) -> int | None:
        return owner.pk if owner.kind == AreaKind.MUNICIPALITY else owner.parent_id

    return _split(in_area(county), municipalities, municipality_of, today or timezone.localdate())


def by_county(today: datetime.date | None = None) -> tuple[list[tuple[Area, Freshness]], Freshness]:
    """Each county, by name, with the figures of the organisations in it; and the country's."""
    counties = Area.objects.filter(kind=AreaKind.COUNTY).order_by("name")

    def county_of(owner: Area) -> int | None:
        return owner.pk if owner.kind == AreaKind.COUNTY else owner.county_id

    return _split(Service.objects.all(), counties, county_of, today or timezone.localdate())
