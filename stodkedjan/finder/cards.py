"""Result cards and offering pages: each is rendered once per language, day and version of the offering's search
entry (``SearchEntry.version``, new whenever the offering is indexed again or its places or organisation change)
and kept in the cache and in each process (``core.cache.versioned``), so a page of results reads its twenty cards
from memory or in one cache read, not twenty model objects and their template, and an offering's page is one query.

What differs between searches (why it matched, where it is, how far) is not in the kept card but drawn around it
(``finder/results.html``). The day is in the key because a card says when the next group starts and whether the
offering has gone unchecked for a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from stodkedjan.core.cache import keep_versioned, versioned, versioned_many
from stodkedjan.directory.models import SearchEntry, Service
from stodkedjan.finder.forms import PARENT_LEVELS
from stodkedjan.finder.queries import public_services, service_page, upcoming_dates, with_card_details
from stodkedjan.finder.search import Hit

CARD_SECONDS = 24 * 3600
SPLIT = "<!-- matched here -->"  # where the per-search lines go, between the heading and the facts


@dataclass(frozen=True)
class Card:
    name_sv: str  # the offering's Swedish name, as tests and the judged query set identify it
    head: SafeString
    body: SafeString


def _key(kind: str, pk: int, version: datetime, today: date) -> str:
    """Where a rendered card or page of one offering is kept: per language, day and version of its entry."""
    return f"finder:{kind}:{get_language() or 'sv'}:{today.isoformat()}:{pk}:{version.timestamp()}"


def attach(hits: list[Hit]) -> list[Hit]:
    """Give each hit its card, from the cache or rendered now (those missing, in one query with their details);
    an offering unpublished since it was found is left out."""
    today = timezone.localdate()
    keys = {hit.pk: _key("card", hit.pk, hit.version, today) for hit in hits}
    kept = versioned_many(list(keys.values()))
    missing = [hit.pk for hit in hits if keys[hit.pk] not in kept]
    if missing:
        fresh = {keys[s.pk]: render(s, today) for s in with_card_details(Service.objects.filter(pk__in=missing))}
        keep_versioned(fresh, CARD_SECONDS)
        kept.update(fresh)
    for hit in hits:
        hit.card = kept.get(keys[hit.pk])
    return [hit for hit in hits if hit.card is not None]


def render(service: Service, today: date) -> Card:
    """One offering's card as every search shows it."""
    starts = (upcoming_dates(s, today, limit=1) for s in service.schedules.all() if s.is_group_series)
    context = {
        "service": service,
        "series_starts": sorted(dates[0] for dates in starts if dates),  # several group series: one card
        "is_outdated": service.is_outdated(today),
        "level_labels": dict(PARENT_LEVELS),
    }
    head, body = render_to_string("finder/_result_card.html", context).split(SPLIT)
    return Card(service.name_sv or service.name, SafeString(head), SafeString(body))


@dataclass(frozen=True)
class OfferingPage:
    name: str  # in the page's language, for the title
    body: SafeString


def offering_page(service_uuid: Any) -> OfferingPage | None:
    """A published offering's page (all but its share link), kept like the cards; None when it is not public. One
    published but not (yet) indexed — its status set outside ``directory.services`` — is drawn, not kept."""
    found = _entry_of(service_uuid)
    today = timezone.localdate()
    if found is None:
        return _offering_page(service_uuid, today) if public_services().filter(uuid=service_uuid).exists() else None
    key = _key("offering", found.service_id, found.version, today)
    page: OfferingPage = versioned(key, lambda: _offering_page(service_uuid, today), CARD_SECONDS)
    return page


def _entry_of(service_uuid: Any) -> SearchEntry | None:
    """The offering's search entry (its id and version), in SQL read with ``raw`` (which converts the columns as the
    ORM does): every offering page asks, and the ORM's compiling of the join cost more than the query."""
    sql = (
        f"SELECT e.service_id, e.version FROM {SearchEntry._meta.db_table} e "  # noqa: S608
        f"JOIN {Service._meta.db_table} s ON s.id = e.service_id WHERE s.uuid = %s"
    )
    uuid = Service._meta.get_field("uuid").get_db_prep_value(service_uuid, connection)
    return next(iter(SearchEntry.objects.raw(sql, [uuid])), None)


def _offering_page(service_uuid: Any, today: date) -> OfferingPage:
    offering = service_page(service_uuid)
    schedules = list(offering.schedules.all())
    context = {
        "service": offering,
        "locations": [sal.location for sal in offering.service_at_locations.all()],
        "opening_hours": [s for s in schedules if not s.is_group_series],
        "groups": [(s, upcoming_dates(s, today)) for s in schedules if s.is_group_series],
        "is_outdated": offering.is_outdated(today),
        "level_labels": dict(PARENT_LEVELS),
    }
    return OfferingPage(str(offering.name), SafeString(render_to_string("finder/_service_body.html", context)))
