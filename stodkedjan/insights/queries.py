"""Read models for the insights pages: the support chain of an area, and the dashboards per level."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.accounts.queries import county_board_of
from stodkedjan.core.suppression import Figure, suppress_count
from stodkedjan.core.vocabulary import language_name
from stodkedjan.directory.models import Location, Service, Status
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.insights import charts
from stodkedjan.insights import gaps as gap_rules
from stodkedjan.insights.coverage import Coverage, Engine
from stodkedjan.insights.gaps import Gap
from stodkedjan.insights.models import CoverageSnapshot, ExpectedLanguage
from stodkedjan.meetings.models import Need, NeedStatus, NeedTheme
from stodkedjan.network.models import Event, Network, NetworkMeeting, RegistrationStatus
from stodkedjan.plans.models import FollowUpRound
from stodkedjan.surveys.models import SurveyRound

OPEN_NEEDS = Q(status__in=[NeedStatus.OPEN, NeedStatus.IN_PROGRESS])
SUB_AREAS = {
    AreaKind.COUNTRY: (AreaKind.COUNTY,),
    AreaKind.COUNTY: (AreaKind.MUNICIPALITY,),
    AreaKind.MUNICIPALITY: (AreaKind.DISTRICT, AreaKind.VULNERABLE_AREA),
    AreaKind.DISTRICT: (AreaKind.VULNERABLE_AREA,),
    AreaKind.VULNERABLE_AREA: (),
}


def area_by_code(code: str) -> Area:
    return get_object_or_404(Area.objects.select_related("county", "parent"), code=code)


def engine_for(area: Area, county_board: Organisation | None = None) -> Engine:
    """An engine over the area's county (or all of Sweden for the country), with the county's stale limit."""
    scope = None if area.kind == AreaKind.COUNTRY else area if area.kind == AreaKind.COUNTY else area.county
    return Engine(scope=scope, stale_after_months=gap_rules.stale_after_months(county_board))


def expected_languages(county_board: Organisation | None) -> list[ExpectedLanguage]:
    if county_board is None:
        return []
    return list(ExpectedLanguage.objects.filter(organisation=county_board).select_related("area"))


@dataclass
class AreaPage:
    area: Area
    county_board: Organisation | None
    coverage: Coverage
    parts: list[Coverage]
    gaps: list[Gap]
    trend: list[CoverageSnapshot]
    engine: Engine
    expected: list[ExpectedLanguage] = field(default_factory=list)  # the county board's, read once

    @property
    def stale_after_months(self) -> int:
        return self.engine.stale_after_months

    def gaps_in(self, area: Area) -> list[Gap]:
        return [g for g in self.gaps if g.area.pk == area.pk or self.engine.inside(g.area, area)]


def area_page(area: Area) -> AreaPage:
    board = county_board_of(area)
    engine = engine_for(area, board)
    coverages: dict[int, Coverage] = {}
    coverage = coverages.setdefault(area.pk, engine.coverage(area))
    parts = [
        coverages.setdefault(a.pk, engine.coverage(a)) for a in engine.children_of(area, SUB_AREAS[AreaKind(area.kind)])
    ]
    expected = expected_languages(board) if area.kind != AreaKind.COUNTRY else []
    found = (
        gap_rules.find_gaps(engine, area, gap_rules.rules_for(board), expected, coverages)
        if area.kind != AreaKind.COUNTRY
        else []
    )
    trend = list(CoverageSnapshot.objects.filter(area=area).order_by("month"))
    return AreaPage(area, board, coverage, parts, found, trend, engine, expected)


def map_shapes(
    coverages: list[Coverage], county_id: int | None
) -> tuple[dict[int, dict[str, Any]], list[tuple[str, str, dict[str, Any]]]]:
    """The boundaries of the coverages' areas (by key) and the current vulnerable areas (name, code, shape) of a
    county, or of all Sweden when ``county_id`` is None; every boundary read in one query."""
    vulnerable_here = Q(kind=AreaKind.VULNERABLE_AREA) & (Q(county_id=county_id) if county_id else Q())
    wanted = Area.objects.current().filter(Q(pk__in=[c.area.pk for c in coverages]) | vulnerable_here)
    found = list(wanted.exclude(shape=None).values_list("pk", "code", "name", "kind", "shape"))
    shapes: dict[int, dict[str, Any]] = {pk: shape or {} for pk, _code, _name, _kind, shape in found}
    vulnerable = sorted(
        (name, code, shape or {}) for _pk, code, name, kind, shape in found if kind == AreaKind.VULNERABLE_AREA
    )
    return shapes, vulnerable


def overview_map(rows: list[dict[str, Any]], county_id: int | None, title: str, linked: bool = True) -> Any:
    """The map of a dashboard's rows (a county's municipalities, or Sweden's counties when ``county_id`` is
    None) with the current vulnerable areas over them, hatched where a row counts gaps; None without shapes."""
    coverages = [row["coverage"] for row in rows]
    gap_counts = {row["coverage"].area.pk: row.get("gaps", 0) for row in rows}
    shapes, vulnerable = map_shapes(coverages, county_id)
    return charts.county_map(coverages, gap_counts, title, shapes, vulnerable, linked=linked)


def places_serving(page: AreaPage) -> list[charts.Place]:
    """The places (with coordinates) of the active offerings that serve the page's area, each with how many of
    those offerings are given there; one query."""
    serving = page.engine.serving(page.area)
    here = Q(service_at_locations__service_id__in=serving, service_at_locations__service__status=Status.ACTIVE)
    rows = (
        Location.objects.filter(here, latitude__isnull=False, longitude__isnull=False)
        .annotate(offerings=Count("service_at_locations", filter=here))
        .order_by("name", "pk")
        .values_list("name", "city", "latitude", "longitude", "offerings")
    )
    return [charts.Place(name, city, lat or 0.0, lon or 0.0, n) for name, city, lat, lon, n in rows]  # never None here


def services_behind(area: Area, band: str | None, level: str | None) -> tuple[list[Service], list[Service]]:
    """The verified and the not-verified offerings behind one cell of the support chain."""
    engine = engine_for(area, county_board_of(area))
    ids = engine.services_behind(area, band, level)
    verified = engine.services_behind(area, band, level, verified=True)
    services = list(Service.objects.filter(pk__in=ids).select_related("organisation").order_by("name"))
    return [s for s in services if s.pk in verified], [s for s in services if s.pk not in verified]


@dataclass
class AreaLanguages:
    """One vulnerable area: how many verified offerings serve the chosen part of the chain, in which languages,
    and which languages the county board expects there that none of them is given in."""

    area: Area
    offerings: int
    languages: list[tuple[str, int]]  # (code, offerings), most first
    missing: list[str]  # expected language codes without an offering

    @property
    def named(self) -> list[tuple[str, int]]:
        return [(language_name(code), n) for code, n in self.languages]

    @property
    def named_missing(self) -> list[str]:
        return [language_name(code) for code in self.missing]


def languages_in_vulnerable_areas(page: AreaPage, band: str = "", level: str = "") -> list[AreaLanguages]:
    engine = page.engine
    areas = (
        [page.area]
        if page.area.kind == AreaKind.VULNERABLE_AREA
        else engine.children_of(page.area, (AreaKind.VULNERABLE_AREA,))
    )
    expected: dict[int, list[str]] = {}
    for item in page.expected:
        expected.setdefault(item.area_id, []).append(item.language)
    rows = []
    for area in areas:
        found = engine.languages(area, band or None, level or None)
        count = len(engine.services_behind(area, band or None, level or None, verified=True))
        missing = [code for code in expected.get(area.pk, []) if code not in found]
        rows.append(AreaLanguages(area, count, list(found.items()), missing))
    return rows


def previous_snapshot(areas: list[Area]) -> tuple[date, dict[int, int]] | None:
    """The newest month before this one with a coverage snapshot of the first area (the county), and each
    area's verified offerings then; None when no earlier month was stored."""
    this_month = timezone.localdate().replace(day=1)
    snapshots = CoverageSnapshot.objects.filter(area=areas[0], month__lt=this_month)
    month = snapshots.order_by("-month").values_list("month", flat=True).first()
    if month is None:
        return None
    stored = CoverageSnapshot.objects.filter(area__in=areas, month=month).values_list("area_id", "verified")
    return month, dict(stored)


# --- dashboards ---------------------------------------------------------------------------------------
@dataclass
class FollowUpState:
    organisation: Organisation
    round: FollowUpRound | None
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.round.kind} {self.round.year}" if self.round else ""


def follow_up_states(organisations: list[Organisation]) -> list[FollowUpState]:
    """Each organisation's latest follow-up round of any of its plans, with its activities' statuses."""
    rounds = (
        FollowUpRound.objects.filter(plan__organisation__in=organisations)
        .select_related("plan")
        .annotate(
            done=Count("follow_ups", filter=Q(follow_ups__status="done")),
            on_track=Count("follow_ups", filter=Q(follow_ups__status="on_track")),
            at_risk=Count("follow_ups", filter=Q(follow_ups__status="at_risk")),
            not_started=Count("follow_ups", filter=Q(follow_ups__status__in=["not_started", ""])),
            stopped=Count("follow_ups", filter=Q(follow_ups__status="stopped")),
        )
        .order_by("plan__organisation_id", "-year", "-deadline")
    )
    latest: dict[int, FollowUpRound] = {}
    for round_ in rounds:
        latest.setdefault(round_.plan.organisation_id, round_)
    states = []
    for organisation in organisations:
        found = latest.get(organisation.pk)
        statuses = (
            {k: getattr(found, k) for k in ("done", "on_track", "at_risk", "not_started", "stopped")} if found else {}
        )
        states.append(FollowUpState(organisation, found, statuses))
    return states


def needs_by_theme(needs: Any) -> list[tuple[str, int, int]]:
    """(theme, open, answered) for every theme that has needs."""
    rows = needs.values("theme").annotate(open=Count("pk", filter=OPEN_NEEDS), total=Count("pk"))
    labels = dict(NeedTheme.choices)
    return sorted(
        ((str(labels.get(r["theme"], r["theme"])), r["open"], r["total"] - r["open"]) for r in rows),
        key=lambda row: -row[1],
    )


@dataclass
class SurveyActivity:
    round: SurveyRound
    responses: Figure


def survey_activity(organisations: Any) -> list[SurveyActivity]:
    rounds = (
        SurveyRound.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .annotate(answers=Count("responses"))
        .order_by("-opens_on")
    )
    return [SurveyActivity(r, suppress_count(r.answers, r.min_cell_size)) for r in rounds]


@dataclass
class NetworkActivity:
    networks: int
    meetings_last_year: int
    events_last_year: int
    participants_last_year: int
    events_coming: int


def network_activity(organisations: Any) -> NetworkActivity:
    now = timezone.now()
    year_ago = now - timedelta(days=365)
    events = Event.objects.filter(organisation__in=organisations, is_published=True)
    past = events.filter(ends_at__gte=year_ago, ends_at__lt=now)
    live = past.filter(personal_data_deleted_at__isnull=True).aggregate(
        n=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    )["n"]
    kept = past.filter(personal_data_deleted_at__isnull=False).aggregate(n=Sum("registered_count"))["n"]
    return NetworkActivity(
        networks=Network.objects.filter(organisation__in=organisations).count(),
        meetings_last_year=NetworkMeeting.objects.filter(
            network__organisation__in=organisations, starts_at__gte=year_ago, starts_at__lt=now
        ).count(),
        events_last_year=past.count(),
        participants_last_year=(live or 0) + (kept or 0),
        events_coming=events.filter(starts_at__gte=now).count(),
    )


@dataclass
class Dashboard:
    organisation: Organisation
    area: Area
    page: AreaPage
    follow_up: list[FollowUpState]
    needs: list[tuple[str, int, int]]
    surveys: list[SurveyActivity]
    network: NetworkActivity
    rows: list[dict[str, Any]] = field(default_factory=list)  # county: one per municipality; national: per county


def local_dashboard(organisation: Organisation) -> Dashboard:
    area = organisation.area
    return Dashboard(
        organisation,
        area,
        area_page(area),
        [s for s in follow_up_states([organisation]) if s.round],
        needs_by_theme(Need.objects.filter(organisation=organisation)),
        survey_activity([organisation]),
        network_activity([organisation]),
    )


def organisations_in(area: Area) -> list[Organisation]:
    queryset = Organisation.objects.select_related("area")
    if area.kind == AreaKind.COUNTRY:
        return list(queryset)
    return list(queryset.filter(Q(area=area) | Q(area__county=area)))


def county_dashboard(county_board: Organisation) -> Dashboard:
    """All municipalities of the county side by side, with the county's needs, surveys and network."""
    county = county_board.area
    page = area_page(county)
    organisations = organisations_in(county)
    states = {s.organisation.pk: s for s in follow_up_states(organisations)}
    rows = []
    for coverage in page.parts:
        municipality = coverage.area
        inside = [o for o in organisations if o.area_id == municipality.pk or page.engine.inside(o.area, municipality)]
        rows.append(
            {
                "coverage": coverage,
                "gaps": len(page.gaps_in(municipality)),
                "follow_up": [states[o.pk] for o in inside if states[o.pk].round],
                "organisations": inside,
            }
        )
    return Dashboard(
        county_board,
        county,
        page,
        [s for s in states.values() if s.round],
        needs_by_theme(Need.objects.filter(organisation__in=organisations)),
        survey_activity(organisations),
        network_activity(organisations),
        rows,
    )


def national_dashboard(agency: Organisation) -> Dashboard:
    country = agency.area
    page = area_page(country)
    organisations = organisations_in(country)
    needs = Need.objects.all()
    return Dashboard(
        agency,
        country,
        page,
        [],
        needs_by_theme(needs),
        survey_activity(organisations),
        network_activity(organisations),
        county_rows(page, organisations),
    )


def county_rows(page: AreaPage, organisations: list[Organisation]) -> list[dict[str, Any]]:
    """The counties side by side: each county's coverage, its organisations, how many of them follow a plan and
    its open needs."""
    with_plans = {s.organisation.pk for s in follow_up_states(organisations) if s.round}
    open_needs = Counter(Need.objects.filter(OPEN_NEEDS).values_list("organisation__area__county_id", flat=True))
    rows = []
    for coverage in page.parts:
        county = coverage.area
        inside = [o for o in organisations if o.area.county_id == county.pk or o.area_id == county.pk]
        rows.append(
            {
                "coverage": coverage,
                "plans": sum(1 for o in inside if o.pk in with_plans),
                "open_needs": open_needs.get(county.pk, 0),
                "organisations": inside,
            }
        )
    return rows
