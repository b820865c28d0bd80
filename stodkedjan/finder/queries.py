"""The finder's reads: the search, an offering's public page, the information pages.

Every public page runs a small, bounded number of queries whatever the data (asserted in tests). The search
is built from indexed sub-selects; ranking many matches of a common word is still slow at national scale
(``make bench``; see docs/design-notes.md on moving to the databases' own full-text engines).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from stodkedjan.directory import search as search_words
from stodkedjan.directory.models import (
    SITE_LANGUAGE_BITS,
    Location,
    Schedule,
    SearchTerm,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Status,
    Taxonomy,
)
from stodkedjan.directory.queries import token_range
from stodkedjan.finder.models import FeedbackCount, InformationPage, LocalContact
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.geo.versions import areas_version

KM_PER_DEGREE = 111.2
TYPO_MIN_LENGTH = 5  # shorter words are too ambiguous to correct
TYPO_CANDIDATES = 5000
TYPO_CUTOFF = 0.8  # difflib's similarity ratio
AREA_OPTIONS_SECONDS = 24 * 3600
AREA_KINDS = [AreaKind.MUNICIPALITY, AreaKind.DISTRICT, AreaKind.VULNERABLE_AREA]


@dataclass
class Criteria:
    """What a parent searched for, already cleaned (unknown values dropped)."""

    text: str = ""
    area: str = ""
    age: int | None = None
    language: str = ""
    format: str = ""
    levels: list[str] = field(default_factory=list)
    free: bool = False
    interpreter: bool = False  # only offerings where an interpreter can be booked
    day: str = ""
    sort: str = "relevance"
    latitude: float | None = None
    longitude: float | None = None
    page: int = 1

    def narrows(self) -> bool:
        """Whether anything besides the free text narrows the search."""
        return bool(
            self.area or self.age is not None or self.language or self.format or self.levels or self.free
        ) or bool(self.interpreter or self.day)


@dataclass
class Results:
    page: Page[Any]
    count: int
    area: Area | None
    sorted_by_distance: bool
    distance_unavailable: bool


def public_services() -> QuerySet[Service]:
    """Published, and not a likely duplicate of an older offering (directory.duplicates)."""
    return Service.objects.filter(status=Status.ACTIVE, duplicate_of__isnull=True)


def moved_to(service_uuid: Any) -> Service | None:
    """The offering parents are sent to from one merged into it or kept back as its likely duplicate."""
    found = Service.objects.filter(uuid=service_uuid).only("merged_into_id", "duplicate_of_id").first()
    target_id = found and (found.merged_into_id or found.duplicate_of_id)
    return public_services().only("uuid").filter(pk=target_id).first() if target_id else None


def area_by_code(code: str) -> Area | None:
    if not code or len(code) > 80:
        return None
    return (
        Area.objects.filter(code=code, kind__in=AREA_KINDS)
        .select_related("parent__parent")
        .defer("shape", "parent__shape", "parent__parent__shape")
        .first()
    )


def related_area_ids(area: Area) -> list[int]:
    """The area, the areas it lies in (county, country) and the areas inside it (districts, vulnerable areas).

    A service for all of Stockholm serves Skärholmen's parents, and a service in Skärholmen is near
    a parent who chose Stockholm.
    """
    ancestors = []
    node: Area | None = area.parent if area.parent_id else None
    while node is not None:
        ancestors.append(node.pk)
        node = node.parent if node.parent_id else None
    return ancestors + inside_area_ids(area)


def inside_area_ids(area: Area) -> list[int]:
    """The area and the areas inside it (two levels: districts and their vulnerable areas); read once per
    area object, as a search asks twice (what serves the area, what lies in it)."""
    if not hasattr(area, "inside_ids"):
        inside = Area.objects.filter(Q(parent_id=area.pk) | Q(parent__parent_id=area.pk)).values_list("pk", flat=True)
        area.inside_ids = [area.pk, *inside]
    return list(area.inside_ids)


def filtered(criteria: Criteria, area: Area | None, tokens: list[str]) -> QuerySet[Service]:
    """Published services that match every criterion, and any of the free text's ``tokens``."""
    queryset = public_services()
    if area is not None:
        queryset = queryset.filter(
            pk__in=ServiceArea.objects.filter(area_id__in=related_area_ids(area)).values("service_id")
        )
    if criteria.age is not None:
        queryset = queryset.filter(minimum_age__lte=criteria.age, maximum_age__gte=criteria.age)
    if criteria.levels:
        queryset = queryset.filter(level__in=criteria.levels)
    if criteria.free:
        queryset = queryset.filter(is_free=True)
    if criteria.interpreter:
        queryset = queryset.filter(interpretation_available=True)
    terms = [
        (t, code) for t, code in [(Taxonomy.LANGUAGE, criteria.language), (Taxonomy.FORMAT, criteria.format)] if code
    ]
    if terms:
        queryset = queryset.filter(pk__in=_carrying_all(terms))
    if criteria.day:
        queryset = queryset.filter(pk__in=Schedule.objects.filter(byday__contains=criteria.day).values("service_id"))
    if tokens:
        # Every word counts, none excludes: an offering matching any word is found, ranked by how many match.
        queryset = queryset.filter(pk__in=SearchTerm.objects.filter(_any(tokens)).values("service_id"))
    return queryset


def _carrying_all(terms: Sequence[tuple[str, str]]) -> QuerySet[Any]:
    """The ids of services that carry every one of ``terms``, found among the terms alone (one nested
    sub-select over the term index) before any service row is read: a language and a format each match
    many offerings, both together few."""
    through = Service.terms.through.objects
    ids: QuerySet[Any] | None = None
    for taxonomy, code in terms:
        rows = through.filter(taxonomyterm__taxonomy=taxonomy, taxonomyterm__code=code)
        ids = (rows if ids is None else rows.filter(service_id__in=ids)).values("service_id")
    assert ids is not None
    return ids


def typed_words(text: str) -> list[tuple[str, str]]:
    """The parent's words with the index prefix each is looked up by, typos corrected."""
    pairs = search_words.query_words(text)
    return list(zip([w for w, _t in pairs], corrected([t for _w, t in pairs]), strict=True))


def corrected(tokens: list[str]) -> list[str]:
    """Each word that is in no offering replaced by the closest indexed word that starts with the same two
    letters, if one is close enough ("tonoring" → "tonaring", "familjecentrallen" → "familjecentral"): a typo
    should not cost a parent her search. Only words with no match pay for the look-up."""
    fixed = []
    for token in tokens:
        if len(token) < TYPO_MIN_LENGTH or SearchTerm.objects.filter(token_range(token)).exists():
            fixed.append(token)
            continue
        nearby = SearchTerm.objects.filter(token_range(token[:2])).values_list("token", flat=True).distinct()
        close = difflib.get_close_matches(token, list(nearby[:TYPO_CANDIDATES]), n=1, cutoff=TYPO_CUTOFF)
        fixed.append(close[0] if close else token)
    return fixed


def _say_why(services: list[Service], typed: list[tuple[str, str]]) -> None:
    """Which of the parent's words each offering on the page matched (``matched_words``), in one query, so the
    card can say why it is there ("matches: arabiska, grupp")."""
    rows = SearchTerm.objects.filter(_any([t for _w, t in typed]), service_id__in=[s.pk for s in services])
    hits: dict[int, set[str]] = {}
    for service_id, token in rows.values_list("service_id", "token"):
        hits.setdefault(service_id, set()).update(w for w, t in typed if token.startswith(t))
    for service in services:
        service.matched_words = [w for w, _t in typed if w in hits.get(service.pk, set())]


def _any(tokens: list[str]) -> Q:
    found = Q()
    for token in tokens:
        found |= token_range(token)
    return found


def _ranked_page(
    narrowing: QuerySet[Service] | None, tokens: list[str], here: Q | None, number: int
) -> tuple[list[tuple[int, bool]], int]:
    """One page of published services matching any of ``tokens`` (ids, best first, each with whether it is in
    the chosen area), and how many match.

    Best is: in the chosen area (``here``) first; then most query words matched; then offerings given in the
    page's language; then the weight of where the words matched (name > method > facts > description). One
    grouped pass over the covering index answers it, count included (a window over the groups), without
    reading a service row; ``narrowing`` (the other criteria) joins in as one sub-select."""
    bounds = [bound for token in tokens for bound in (token, search_words.prefix_upper_bound(token))]
    which = " ".join(f"WHEN token >= %s AND token < %s THEN {i}" for i in range(len(tokens)))
    matched, matched_params = f"COUNT(DISTINCT CASE {which} END)", bounds  # one word: every group matched it
    if len(tokens) == 1:
        matched, matched_params = "1", []
    where = " OR ".join(["(token >= %s AND token < %s)"] * len(tokens))
    params: list[Any] = [*matched_params, SITE_LANGUAGE_BITS.get(get_language() or "", 0), *bounds]
    if narrowing is not None:
        sub, sub_params = narrowing.values("pk").query.sql_with_params()
        where = f"({where}) AND service_id IN ({sub})"
        params += sub_params
    away, away_params = "0", []
    if here is not None:
        in_area = Service.objects.filter(here).values("pk").query.sql_with_params()
        away, away_params = f"CASE WHEN service_id IN ({in_area[0]}) THEN 0 ELSE 1 END", list(in_area[1])
    # Every piece of the text is written here or compiled by the ORM; every value goes as a parameter.
    sql = (
        f"SELECT service_id, {away} AS away, COUNT(*) OVER () FROM (SELECT service_id, "  # noqa: S608
        f"{matched} AS matched, MAX(languages & %s) AS speaks, SUM(weight) AS score "
        f"FROM {SearchTerm._meta.db_table} WHERE {where} GROUP BY service_id) ranked "
        "ORDER BY away, matched DESC, speaks DESC, score DESC, service_id LIMIT %s OFFSET %s"
    )
    size = settings.FINDER_PAGE_SIZE
    with connection.cursor() as cursor:
        cursor.execute(sql, [*away_params, *params, size, (number - 1) * size])
        rows = cursor.fetchall()
    return [(service_id, not far) for service_id, far, _total in rows], rows[0][2] if rows else 0


def reference_point(criteria: Criteria, area: Area | None) -> tuple[float, float] | None:
    """Where "near" is: the parent's shared position, else the centre of the chosen area's places."""
    if criteria.latitude is not None and criteria.longitude is not None:
        return criteria.latitude, criteria.longitude
    if area is None:
        return None
    if area.centroid_latitude is not None and area.centroid_longitude is not None:
        return area.centroid_latitude, area.centroid_longitude
    centre = Location.objects.filter(municipality_id__in=inside_area_ids(area)).aggregate(
        lat=Avg("latitude"), lon=Avg("longitude")
    )
    if centre["lat"] is None:
        return None
    return centre["lat"], centre["lon"]


def _distance_expression(point: tuple[float, float]) -> ExpressionWrapper:
    """Squared distance in degrees on a locally flat earth: exact enough to sort within a country."""
    lat0, lon0 = point
    scale = math.cos(math.radians(lat0))
    dlat = F("location__latitude") - Value(lat0)
    dlon = (F("location__longitude") - Value(lon0)) * Value(scale)
    return ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())


def search(criteria: Criteria) -> Results:
    """One page of results for a parent's search."""
    area = area_by_code(criteria.area)
    typed = typed_words(criteria.text)
    tokens = list(dict.fromkeys(t for _w, t in typed))
    point = reference_point(criteria, area) if criteria.sort == "distance" else None
    inside = inside_area_ids(area) if area is not None else []
    # Offerings with a place in the chosen area first, then those that serve it from elsewhere (labelled).
    # Two sub-selects, not one with OR, so that each reads its own index (the places of one area).
    places = ServiceAtLocation.objects.values("service_id")
    here = Q(pk__in=places.filter(location__municipality_id__in=inside)) | Q(
        pk__in=places.filter(location__vulnerable_area_id__in=inside)
    )
    if tokens and point is None:
        narrowing = filtered(criteria, area, []) if criteria.narrows() else None
        in_area = here if area is not None else None
        number = max(criteria.page, 1)
        rows, count = _ranked_page(narrowing, tokens, in_area, number)
        if not rows and number > 1:  # a page beyond the last (an old link): the last, as Paginator.get_page
            rows, count = _ranked_page(narrowing, tokens, in_area, 1)
            number = max(1, math.ceil(count / settings.FINDER_PAGE_SIZE))
            if number > 1:
                rows, count = _ranked_page(narrowing, tokens, in_area, number)
        found = {s.pk: s for s in _with_card_details(Service.objects.filter(pk__in=[pk for pk, _h in rows]))}
        services = []
        for pk, is_here in rows:
            if pk in found:
                found[pk].here = is_here
                services.append(found[pk])
        counted: Paginator[Any] = Paginator(range(count), settings.FINDER_PAGE_SIZE)  # the count, for the links
        page = Page(services, number, counted)
    else:
        queryset = filtered(criteria, area, tokens)
        if area is not None:
            queryset = queryset.annotate(here=ExpressionWrapper(here, output_field=BooleanField()))
        if point is not None:
            nearest = (
                ServiceAtLocation.objects.filter(service_id=OuterRef("pk"), location__latitude__isnull=False)
                .annotate(d=_distance_expression(point))
                .order_by("d")
                .values("d")[:1]
            )
            queryset = queryset.annotate(distance2=Subquery(nearest, output_field=FloatField())).order_by(
                F("distance2").asc(nulls_last=True), "name_sv", "pk"
            )
        else:
            queryset = queryset.order_by(*(["-here"] if area is not None else []), "name_sv", "pk")
        paginator = Paginator(_with_card_details(queryset), settings.FINDER_PAGE_SIZE)
        page = paginator.get_page(criteria.page)
        count = paginator.count
    for service in page.object_list:
        d2 = getattr(service, "distance2", None)
        service.distance_km = round(math.sqrt(d2) * KM_PER_DEGREE, 1) if d2 is not None else None
        # An offering held as several group series is one card that lists when each next starts.
        starts = (upcoming_dates(s, limit=1) for s in service.schedules.all() if s.is_group_series)
        service.series_starts = sorted(dates[0] for dates in starts if dates)
    if tokens:
        _say_why(list(page.object_list), typed)
    return Results(
        page=page,
        count=count,
        area=area,
        sorted_by_distance=point is not None,
        distance_unavailable=criteria.sort == "distance" and point is None,
    )


def _places_with_municipality() -> QuerySet[ServiceAtLocation]:
    """An offering's places with their municipality's name, not its outline (a map's, large to read)."""
    return ServiceAtLocation.objects.select_related("location__municipality").defer("location__municipality__shape")


def _with_card_details(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """What a result card shows: the organisation, the terms and the places."""
    return queryset.select_related("organisation").prefetch_related(
        "terms",
        "schedules",
        Prefetch(
            "service_at_locations",
            queryset=_places_with_municipality().order_by("pk"),
        ),
    )


def area_options_html(selected: str = "") -> SafeString:
    """The area filter's <optgroup>s (every county's municipalities, districts and vulnerable areas), with
    ``selected`` chosen. Every public search page has the list, so it is drawn once per version of the areas
    (``geo.versions``) and kept in the cache; choosing an option marks it in the kept text."""
    key = f"finder:area-options:{areas_version()}"
    html = cache.get(key)
    if html is None:
        parts: list[str] = []
        for county, options in area_options():
            parts.append(f'<optgroup label="{escape(county)}">')
            parts.extend(f'<option value="{escape(code)}">{escape(name)}</option>' for code, name in options)
            parts.append("</optgroup>")
        html = "".join(parts)
        cache.set(key, html, timeout=AREA_OPTIONS_SECONDS)
    if selected:
        chosen = f'value="{escape(selected)}"'
        html = html.replace(chosen + ">", chosen + " selected>", 1)
    return SafeString(html)


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
                queryset=_places_with_municipality().order_by("pk"),
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
