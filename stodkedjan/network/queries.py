"""Read models for network and event pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.network.models import Event, Network, NetworkDocument, NetworkMeeting, Registration, RegistrationStatus

CONFIRMED = Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
WAITLISTED = Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED))


def network_by_id(network_id: int) -> Network:
    return get_object_or_404(Network.objects.select_related("organisation__area", "parent"), pk=network_id)


def meeting_by_id(network_meeting_id: int) -> NetworkMeeting:
    return get_object_or_404(
        NetworkMeeting.objects.select_related("network__organisation__area"), pk=network_meeting_id
    )


def document_by_id(document_id: int) -> NetworkDocument:
    return get_object_or_404(
        NetworkDocument.objects.select_related("meeting__network__organisation__area"), pk=document_id
    )


def event_by_id(event_id: int) -> Event:
    return get_object_or_404(Event.objects.select_related("organisation__area", "evaluation"), pk=event_id)


def registration_by_id(registration_id: int) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event__organisation__area").exclude(status=RegistrationStatus.CANCELLED),
        pk=registration_id,
    )


def other_dates(event: Event) -> list[Event]:
    """The organiser's other events not yet started, to move a registration to: the same method's first."""
    others = Event.objects.filter(organisation_id=event.organisation_id, starts_at__gt=timezone.now()).exclude(
        pk=event.pk
    )
    methods = set(event.methods.values_list("pk", flat=True))
    found = list(others.prefetch_related("methods").order_by("starts_at", "pk")[:50])
    return sorted(found, key=lambda e: (not methods & {m.pk for m in e.methods.all()}, e.starts_at))


def public_event(event_id: int) -> Event:
    """A published event with its place counts, for its public page."""
    event = get_object_or_404(
        Event.objects.filter(is_published=True)
        .select_related("organisation", "network")
        .prefetch_related("methods")
        .annotate(confirmed=CONFIRMED),
        pk=event_id,
    )
    return with_places_left([event])[0]


def with_places_left(events: Any) -> list[Event]:
    """Each event with ``places_left``: None when there is no limit (needs the ``confirmed`` annotation)."""
    events = list(events)
    for event in events:
        event.places_left = None if event.capacity is None else max(event.capacity - event.confirmed, 0)
    return events


def upcoming_events(kind: str = "", organiser: Organisation | None = None, method: Any = None) -> QuerySet[Event]:
    """Published events that have not ended, soonest first, with how many places are taken."""
    events = Event.objects.filter(is_published=True, ends_at__gte=timezone.now())
    if method is not None:
        events = events.filter(methods=method)
    if kind:
        events = events.filter(kind=kind)
    if organiser is not None:
        events = events.filter(organisation=organiser)
    return events.select_related("organisation", "network").annotate(confirmed=CONFIRMED).order_by("starts_at", "pk")


def organisers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(events__is_published=True).distinct().order_by("name")


# How many member organisations a network has, counted apart from any filter on the members (every viewer
# sees the same number).
_member_counts = (
    Network.members.through.objects.filter(network_id=OuterRef("pk"))
    .values("network_id")
    .annotate(n=Count("organisation_id"))
    .values("n")  # type: ignore[misc]  # the stubs do not see the annotation
)


def organisation_networks(organisation: Organisation) -> QuerySet[Network]:
    """Networks the organisation convenes or is a member of."""
    return (
        Network.objects.filter(Q(organisation=organisation) | Q(members=organisation))
        .distinct()
        .select_related("organisation", "parent")
        .annotate(member_count=Coalesce(Subquery(_member_counts), 0))
        .order_by("name")
    )


def network_page(network: Network) -> dict[str, Any]:
    events = network.events.filter(is_published=True).annotate(confirmed=CONFIRMED).select_related("evaluation")
    return {
        "events": with_places_left(events.order_by("-starts_at", "pk")),
        "members": list(network.members.select_related("area").order_by("name")),
        "groups": list(network.groups.order_by("name")),
        "meetings": list(network.meetings.prefetch_related("documents")),
        "announcements": list(network.announcements.select_related("created_by")[:20]),
    }


def organisation_events(organisation: Organisation) -> QuerySet[Event]:
    return (
        Event.objects.filter(organisation=organisation)
        .annotate(confirmed=CONFIRMED, waitlisted=WAITLISTED)
        .order_by("-starts_at")
    )


def participants(event: Event) -> QuerySet[Any]:
    return event.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by("status", "created_at", "pk")
