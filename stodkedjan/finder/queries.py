"""The finder's reads besides the search itself (``finder.search``): areas, an offering's public page, the
information pages.

Every public page runs a small, bounded number of queries whatever the data (asserted in tests).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.cache import versioned
from stodkedjan.directory.models import (
    LANGUAGE_BITS,
    Location,
    Schedule,
    SearchEntry,
    Service,
    ServiceAtLocation,
    Status,
)
from stodkedjan.finder.models import FeedbackCount, InformationPage, LocalContact
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.geo.versions import areas_version

AREA_OPTIONS_SECONDS = 24 * 3600
AREA_KINDS = [AreaKind.MUNICIPALITY, AreaKind.DISTRICT, AreaKind.VULNERABLE_AREA]


def public_services() -> QuerySet[Service]:
    """Published, and not a likely duplicate of an older offering (directory.duplicates)."""
    return Service.objects.filter(status=Status.ACTIVE, duplicate_of__isnull=True)


def moved_to(service_uuid: Any) -> Service | None:
    """The offering parents are sent to from one merged into it or kept back as its likely duplicate."""
    found = Service.objects.filter(uuid=service_uuid).only("merged_into_id", "duplicate_of_id").first()
    target_id = found and (found.merged_into_id or found.duplicate_of_id)
    return public_services().only("uuid").filter(pk=target_id).first() if target_id else None


def area_by_code(code: str) -> Area | None:
    """A municipality, district or vulnerable area by its code, with the ids a search needs (``related_area_ids``,
    ``inside_area_ids``), kept in the cache per version of the areas: every search with an area asks."""
    if not code or len(code) > 80:
        return None
    key = f"finder:area:{areas_version()}:{hashlib.sha256(code.encode()).hexdigest()[:32]}"
    return versioned(key, lambda: _area_with_ids(code), AREA_OPTIONS_SECONDS)  # made-up codes are not kept


def _area_with_ids(code: str) -> Area | None:
    area = (
        Area.objects.filter(code=code, kind__in=AREA_KINDS)
        .select_related("parent__parent")
        .defer("shape", "parent__shape", "parent__parent__shape")
        .first()
    )
    if area is not None:
        inside_area_ids(area)
        related_area_ids(area)
    return area


def related_area_ids(area: Area) -> list[int]:
    """The area, the areas it lies in (county, country) and the areas inside it (districts, vulnerable areas).

    A service for all of Stockholm serves Skärholmen's parents, and a service in Skärholmen is near
    a parent who chose Stockholm.
    """
    if not hasattr(area, "ancestor_ids"):
        ancestors = []
        node: Area | None = area.parent if area.parent_id else None
        while node is not None:
            ancestors.append(node.pk)
            node = node.parent if node.parent_id else None
        area.ancestor_ids = ancestors
    return list(area.ancestor_ids) + inside_area_ids(area)


def inside_area_ids(area: Area) -> list[int]:
    """The area and the areas inside it (two levels: districts and their vulnerable areas); read once per
    area object, as a search asks twice (what serves the area, what lies in it)."""
    if not hasattr(area, "inside_ids"):
        inside = Area.objects.filter(Q(parent_id=area.pk) | Q(parent__parent_id=area.pk)).values_list("pk", flat=True)
        area.inside_ids = [area.pk, *inside]
    return list(area.inside_ids)


def places_with_municipality() -> QuerySet[ServiceAtLocation]:
    """An offering's places with their municipality's name, not its outline (a map's, large to read)."""
    return ServiceAtLocation.objects.select_related("location__municipality").defer("location__municipality__shape")


@dataclass
class CardFacts:
    """What one offering's result card shows (``card_facts``): its name and description in the reader's language
    and in Swedish, which it falls back to."""

    pk: int
    uuid: UUID
    name: str
    name_sv: str
    description: str
    description_sv: str
    organisation: str
    minimum_age: int
    maximum_age: int
    level: str
    interpreter: bool
    is_free: bool
    assured_date: date | None
    languages: list[str]  # codes, in the order of the terms (alphabetical)
    place: str  # the town of its first place, else that place's municipality ("": it has no place)
    group_series: list[Schedule] = field(default_factory=list)


def card_facts(pks: list[int]) -> list[CardFacts]:
    """What the result cards of these offerings show, as plain rows: one query, and one more for the start dates of
    those that meet as groups. A card needs a dozen columns in two languages, not model objects of the offering
    (its every text in six languages), its terms and its places, which took longer to make than the queries; and
    the query is written here, not compiled by the ORM, which took longer than the query itself.

    The languages come from the offering's search entry (``SearchEntry.languages``), whose version the card is
    kept under; an offering whose entry is gone (unpublished since it was found) has no card."""
    if not pks:
        return []
    language = get_language() or settings.LANGUAGE_CODE
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if language not in dict(settings.LANGUAGES):
        language = source
    texts = ", ".join(
        f"s.{_column(Service, f'{text}_{lang}')}" for text in ("name", "description") for lang in (language, source)
    )
    sql = (
        f"SELECT e.service_id, s.uuid, {texts}, o.name, s.minimum_age, s.maximum_age, s.level, "  # noqa: S608
        f"s.interpretation_available, s.is_free, s.assured_date, e.languages, "
        f"(SELECT COALESCE(NULLIF(l.city, ''), m.name) FROM {_table(ServiceAtLocation)} sal "
        f"JOIN {_table(Location)} l ON l.id = sal.location_id JOIN {_table(Area)} m ON m.id = l.municipality_id "
        f"WHERE sal.service_id = e.service_id ORDER BY sal.id LIMIT 1), "
        f"EXISTS (SELECT 1 FROM {_table(Schedule)} g WHERE g.service_id = e.service_id AND g.count > 0 "
        f"AND g.valid_from IS NOT NULL) "
        f"FROM {_table(SearchEntry)} e JOIN {_table(Service)} s ON s.id = e.service_id "
        f"JOIN {_table(Organisation)} o ON o.id = s.organisation_id "
        f"WHERE e.service_id IN ({', '.join(['%s'] * len(pks))})"
    )
    uuid, assured = Service._meta.get_field("uuid"), Service._meta.get_field("assured_date")
    found: dict[int, CardFacts] = {}
    groups = []
    with connection.cursor() as cursor:
        cursor.execute(sql, pks)
        rows = cursor.fetchall()
    for (
        pk,
        key,
        name,
        name_sv,
        text,
        text_sv,
        organisation,
        low,
        high,
        level,
        interpreter,
        free,
        checked,
        *rest,
    ) in rows:
        spoken, place, meets_as_groups = rest
        found[pk] = CardFacts(
            pk=pk,
            uuid=uuid.to_python(key),  # SQLite gives text, PostgreSQL a UUID; as for the dates and truth values
            name=name,
            name_sv=name_sv,
            description=text,
            description_sv=text_sv,
            organisation=organisation,
            minimum_age=low,
            maximum_age=high,
            level=level,
            interpreter=bool(interpreter),
            is_free=bool(free),
            assured_date=assured.to_python(checked),
            languages=sorted(code for code, bit in LANGUAGE_BITS.items() if spoken & bit),
            place=place or "",
        )
        if meets_as_groups:
            groups.append(pk)
    if groups:
        for schedule in _group_series(groups).only("service_id", "byday", "valid_from", "count"):
            found[schedule.service_id].group_series.append(schedule)
    return list(found.values())


def _table(model: Any) -> str:
    return str(model._meta.db_table)


def _column(model: Any, field: str) -> str:
    return str(model._meta.get_field(field).column)


def _group_series(services: list[int]) -> QuerySet[Schedule]:
    """The schedules of these offerings that are group series."""
    return Schedule.objects.filter(service_id__in=services, count__gt=0, valid_from__isnull=False)


def area_options_html(selected: str = "") -> SafeString:
    """The area filter's <optgroup>s (every county's municipalities, districts and vulnerable areas), with
    ``selected`` chosen. Every public search page has the list, so it is drawn once per version of the areas
    (``geo.versions``) and kept in the cache; choosing an option marks it in the kept text."""
    options = versioned(f"finder:area-options:{areas_version()}", _area_options_html, AREA_OPTIONS_SECONDS)
    if selected:
        chosen = f'value="{escape(selected)}"'
        options = options.replace(chosen + ">", chosen + " selected>", 1)
    return SafeString(options)


def _area_options_html() -> str:
    """Escaped by the standard library's ``html.escape``, as Django's ``escape`` does after checking each of the
    country's seven hundred names for lazy text."""
    parts: list[str] = []
    for county, options in area_options():
        parts.append(f'<optgroup label="{html.escape(county)}">')
        parts.extend(f'<option value="{html.escape(code)}">{html.escape(name)}</option>' for code, name in options)
        parts.append("</optgroup>")
    return "".join(parts)


def area_options() -> list[tuple[str, list[tuple[str, str]]]]:
    """Municipalities grouped by county, each followed by its districts and vulnerable areas, for the filter.
    Read as plain rows, not model objects: every public search page has the list of all the country's areas."""
    rows = (
        Area.objects.current()
        .filter(kind__in=[AreaKind.COUNTY, *AREA_KINDS])
        .order_by("name")
        .values_list("pk", "code", "name", "kind", "parent_id", "county_id")
    )
    counties: dict[int, tuple[str, str]] = {}
    municipalities: list[tuple[int, str, str, int]] = []
    children: dict[int, list[tuple[int, str, str]]] = {}
    for pk, code, name, kind, parent_id, county_id in rows:
        if kind == AreaKind.COUNTY:
            counties[pk] = (code, name)
        elif kind == AreaKind.MUNICIPALITY:
            municipalities.append((pk, code, name, county_id))
        elif kind in (AreaKind.DISTRICT, AreaKind.VULNERABLE_AREA) and parent_id:
            children.setdefault(parent_id, []).append((pk, code, name))
    groups: dict[int, list[tuple[str, str]]] = {}
    for pk, code, name, county_id in municipalities:
        if county_id in counties:
            options = groups.setdefault(county_id, [])
            options.append((code, name))
            stack = [(child, 1) for child in children.get(pk, [])]
            while stack:
                (child_pk, child_code, child_name), depth = stack.pop(0)
                options.append((child_code, f"{'– ' * depth}{child_name}"))
                stack[0:0] = [(grandchild, depth + 1) for grandchild in children.get(child_pk, [])]
    return [(counties[cid][1], groups[cid]) for cid in sorted(groups, key=lambda cid: counties[cid][0])]


def service_page(service_uuid: Any) -> Service:
    """A published offering with everything its page shows."""
    return get_object_or_404(
        public_services()
        .select_related("organisation", "method")
        .prefetch_related(
            "terms",
            "areas_served",
            Prefetch(
                "service_at_locations",
                queryset=places_with_municipality().order_by("pk"),
            ),
            "schedules",
            "contacts",
            "phones",
        ),
        uuid=service_uuid,
    )


def upcoming_dates(schedule: Schedule, today: date | None = None, limit: int = 12) -> list[date]:
    """The dates a group series still meets (from today), as its start, weekdays and count give them."""
    if not schedule.is_group_series or schedule.valid_from is None or schedule.count is None:
        return []
    today = today or timezone.localdate()
    codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    weekdays = {codes.index(d) for d in schedule.days if d in codes}
    if not weekdays:
        return []
    found: list[date] = []
    day, met = schedule.valid_from, 0
    while met < schedule.count:
        if day.weekday() in weekdays:
            met += 1
            if day >= today:
                found.append(day)
        day += timedelta(days=1)
    return found[:limit]


def information_page(kind: str, area: Area | None = None) -> InformationPage | None:
    """The page of a kind from the organisation nearest the chosen area: municipality, county, else any."""
    pages = list(
        InformationPage.objects.filter(kind=kind, is_published=True)
        .select_related("organisation__area")
        .defer("organisation__area__shape")
    )
    if not pages:
        return None
    if area is not None:
        for page in pages:
            if page.organisation.area_id in {area.pk, area.parent_id}:
                return page
        for page in pages:
            if page.organisation.area_id == area.county_id:
                return page
    return min(pages, key=lambda p: (p.organisation.area.kind != AreaKind.COUNTRY, p.pk))


def local_contacts(area: Area | None) -> list[LocalContact]:
    if area is None:
        return []
    ids = {area.pk}
    node = area
    while node.parent_id and node.kind != AreaKind.MUNICIPALITY:
        node = node.parent  # type: ignore[assignment]
        ids.add(node.pk)
    return list(LocalContact.objects.filter(area_id__in=ids).order_by("kind", "name"))


def record_feedback(page: str, answer: str) -> None:
    """Count one answer; nothing about the person is kept."""
    month = timezone.localdate().replace(day=1)
    FeedbackCount.objects.get_or_create(page=page, month=month)
    FeedbackCount.objects.filter(page=page, month=month).update(**{answer: F(answer) + 1})
