"""Read models for plan pages, follow-up overviews, history and reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from stodkedjan.accounts.models import Membership, Organisation, OrganisationKind, Role
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.plans.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    Comment,
    FollowUp,
    FollowUpRound,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    PlanImport,
    PlanItem,
)


def plan_by_id(plan_id: int) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.select_related("organisation__area", "strategy"), pk=plan_id)


def item_by_id(item_id: int) -> PlanItem:
    return get_object_or_404(PlanItem.objects.select_related("plan__organisation__area", "priority"), pk=item_id)


def activity_by_id(activity_id: int) -> Activity:
    return get_object_or_404(Activity.objects.select_related("item__plan__organisation__area"), pk=activity_id)


def round_by_id(round_id: int) -> FollowUpRound:
    return get_object_or_404(FollowUpRound.objects.select_related("plan__organisation__area"), pk=round_id)


def pending_import(slug: str, plan_import_id: int) -> PlanImport:
    return get_object_or_404(
        PlanImport.objects.select_related("organisation__area", "strategy"),
        organisation__slug=slug,
        pk=plan_import_id,
        plan__isnull=True,
    )


def organisation_plans(organisation: Organisation) -> QuerySet[ActionPlan]:
    return (
        ActionPlan.objects.filter(organisation=organisation)
        .select_related("strategy")
        .annotate(activity_count=Count("items__activities"))
        .order_by("-period_start", "title")
    )


@dataclass
class ItemRows:
    """A focus area and its activities: the cells that span rows, and the rows."""

    item: PlanItem
    activities: list[Activity]

    @property
    def rowspan(self) -> int:
        return max(1, len(self.activities))


@dataclass
class PriorityGroup:
    title: str
    items: list[ItemRows] = field(default_factory=list)


def plan_table(plan: ActionPlan, round_: FollowUpRound | None = None) -> list[PriorityGroup]:
    """The plan as its familiar table: grouped by priority, in the strategy's order, then the plan's order.

    With ``round_``, each activity carries ``follow_up`` (its row in that round, or ``None``).
    """
    activities = Activity.objects.prefetch_related(
        "services",
        "areas",
        "indicators",
        Prefetch("comments", queryset=Comment.objects.select_related("author", "author_organisation")),
    )
    items = list(
        plan.items.select_related("priority").prefetch_related(Prefetch("activities", queryset=activities)).all()
    )
    follow_ups: dict[int, FollowUp] = {}
    if round_ is not None:
        follow_ups = {f.activity_id: f for f in round_.follow_ups.all()}
    items.sort(key=lambda i: (i.priority.position if i.priority else 999, i.position, i.pk))
    groups: list[PriorityGroup] = []
    for item in items:
        title = item.priority_title
        if not groups or groups[-1].title != title:
            groups.append(PriorityGroup(title))
        rows = list(item.activities.all())
        for activity in rows:
            activity.follow_up_row = follow_ups.get(activity.pk)
        groups[-1].items.append(ItemRows(item, rows))
    return groups


def with_report_counts(rounds: QuerySet[FollowUpRound]) -> QuerySet[FollowUpRound]:
    """Rounds with how many rows each has (``total``) and how many of them are reported (``reported``)."""
    return rounds.annotate(total=Count("follow_ups"), reported=Count("follow_ups", filter=~Q(follow_ups__status="")))


def plan_rounds(plan: ActionPlan) -> list[FollowUpRound]:
    return list(with_report_counts(plan.rounds.all()).order_by("-year", "-kind"))


def status_counts(round_: FollowUpRound) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, with those not yet reported last."""
    counts = dict(round_.follow_ups.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    rows = [(value, str(label), counts.get(value, 0)) for value, label in ActivityStatus.choices]
    return [*rows, ("", "", counts.get("", 0))]


@dataclass
class OrganisationProgress:
    """One row group of the county's follow-up: an organisation with its plans, or a municipality or district
    with no organisation on the platform yet (``organisation`` None: "not connected")."""

    organisation: Organisation | None
    plans: list[ActionPlan]
    area: Area | None = None

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else (self.area.name if self.area else "")


def round_openers(organisation: Organisation) -> list[str]:
    """Who may open the organisation's follow-up rounds (its coordinators and administrators), by name."""
    members = Membership.objects.filter(organisation=organisation, role__in=[Role.COORDINATOR, Role.ADMIN])
    return [m.user.full_name or m.user.email for m in members.select_related("user").order_by("user__full_name")]


@dataclass
class RoundTotals:
    submitted: int = 0
    open: int = 0
    late: int = 0
    not_opened: int = 0

    @property
    def total(self) -> int:
        return self.submitted + self.open + self.late + self.not_opened


def round_totals(rows: list[OrganisationProgress], kinds: list[str], today: datetime.date) -> RoundTotals:
    """The rounds of the table counted by state; every cell of every plan is in exactly one count."""
    totals = RoundTotals()
    for row in rows:
        for plan in row.plans:
            for kind in kinds:
                found = plan.rounds_by_kind.get(kind)  # type: ignore[attr-defined]
                if found is None:
                    totals.not_opened += 1
                elif found.submitted_at:
                    totals.submitted += 1
                elif found.deadline < today:
                    totals.late += 1
                else:
                    totals.open += 1
    return totals


def county_follow_up(board: Organisation, year: int) -> list[OrganisationProgress]:
    """Every organisation in the board's county (all, for a national agency) with its plans' rounds of ``year``."""
    organisations = Organisation.objects.exclude(kind=OrganisationKind.NATIONAL_AGENCY).select_related("area")
    if board.kind == OrganisationKind.COUNTY_BOARD:
        organisations = organisations.filter(Q(area=board.area) | Q(area__county=board.area))
    rounds = with_report_counts(
        FollowUpRound.objects.filter(year=year, plan__organisation__in=organisations)
    ).select_related("plan")
    by_plan: dict[int, dict[str, FollowUpRound]] = {}
    for round_ in rounds:
        by_plan.setdefault(round_.plan_id, {})[round_.kind] = round_
    plans: dict[int, list[ActionPlan]] = {}
    for plan in ActionPlan.objects.filter(
        organisation__in=organisations, period_start__lte=year, period_end__gte=year
    ).order_by("title"):
        plan.rounds_by_kind = by_plan.get(plan.pk, {})  # type: ignore[attr-defined]
        plans.setdefault(plan.organisation_id, []).append(plan)
    found = [
        OrganisationProgress(org, plans.get(org.pk, []), org.area)
        for org in organisations.order_by("name")
        if org.kind != OrganisationKind.COUNTY_BOARD or plans.get(org.pk)
    ]
    if board.kind == OrganisationKind.COUNTY_BOARD:  # every municipality and district, on the platform or not
        connected = {org.area_id for org in organisations}
        for area in Area.objects.filter(county=board.area, kind__in=[AreaKind.MUNICIPALITY, AreaKind.DISTRICT]).exclude(
            pk__in=connected
        ):
            found.append(OrganisationProgress(None, [], area))
        found.sort(key=lambda row: row.name)
    return found


@dataclass
class Change:
    when: datetime.datetime
    who: str
    what: str
    row: str
    fields: list[tuple[str, Any, Any]]


def history(plan: ActionPlan, limit: int = 200) -> list[Change]:
    """Every saved change to the plan, its focus areas and activities (deleted ones too), newest first."""
    item_ids = set(PlanItem.history.filter(plan_id=plan.pk).values_list("id", flat=True))
    changes: list[Change] = []
    for model, records in (
        (ActionPlan, ActionPlan.history.filter(id=plan.pk)),
        (PlanItem, PlanItem.history.filter(id__in=item_ids)),
        (Activity, Activity.history.filter(item_id__in=item_ids)),
    ):
        previous: dict[int, Any] = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            fields: list[tuple[str, Any, Any]] = []
            if before is not None and record.history_type == "~":
                for delta in record.diff_against(before, excluded_fields=["version", "updated_at"]).changes:
                    label = str(getattr(model._meta.get_field(delta.field), "verbose_name", delta.field))
                    fields.append((label, delta.old, delta.new))
                if not fields:
                    previous[record.id] = record
                    continue
            previous[record.id] = record
            who = record.history_user.email if record.history_user else "—"
            what = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
            changes.append(Change(record.history_date, who, what, str(record.instance)[:80], fields))
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


def indicators_for(organisation: Organisation | None) -> QuerySet[Indicator]:
    """Kolada's indicators and the organisation's own."""
    shared = Q(organisation__isnull=True)
    return Indicator.objects.filter(shared | Q(organisation=organisation) if organisation else shared)


def indicator_by_code(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("organisation__area"), code=code)


def comparison_area_ids(area: Area) -> list[int]:
    """The areas an indicator is shown for beside ``area``: the areas inside it, the municipality and county
    around it and the whole country (Kolada has figures for municipalities, regions and Sweden)."""
    country = Area.objects.filter(kind=AreaKind.COUNTRY).values_list("pk", flat=True).first()
    around = [area.parent_id, area.county_id, country]
    return list(dict.fromkeys([area.pk, *area.children.values_list("pk", flat=True), *filter(None, around)]))


COUNTY_REPORT_INDICATORS = 8


def county_indicators(county: Area) -> list[Indicator]:
    """The indicators a county report shows: those linked to activities of plans in the county, then Kolada
    KPIs with values for the county itself, at most ``COUNTY_REPORT_INDICATORS``."""
    in_county = Q(activities__item__plan__organisation__area__county=county) | Q(
        activities__item__plan__organisation__area=county
    )
    linked = list(Indicator.objects.filter(in_county).distinct().order_by("code")[:COUNTY_REPORT_INDICATORS])
    rest = (
        Indicator.objects.filter(values__area=county, source=IndicatorSource.KOLADA)
        .exclude(pk__in=[i.pk for i in linked])
        .distinct()
        .order_by("code")
    )
    return linked + list(rest[: COUNTY_REPORT_INDICATORS - len(linked)])


def side_by_side(
    indicator: Indicator, county: Area, years: int = 3
) -> tuple[list[int], list[tuple[Area, dict[int, float]]]]:
    """The indicator's newest ``years`` years for each municipality of the county with values, the county and
    Sweden, in that order: the comparison a county board makes."""
    values = IndicatorValue.objects.filter(indicator=indicator, gender="T").filter(
        Q(area__county=county, area__kind=AreaKind.MUNICIPALITY) | Q(area=county) | Q(area__kind=AreaKind.COUNTRY)
    )
    by_area: dict[int, tuple[Area, dict[int, float]]] = {}
    for value in values.select_related("area"):
        by_area.setdefault(value.area_id, (value.area, {}))[1][value.year] = value.value
    shown = sorted({year for _area, found in by_area.values() for year in found})[-years:]
    rank = {str(AreaKind.MUNICIPALITY): 0, str(AreaKind.COUNTY): 1, str(AreaKind.COUNTRY): 2}
    rows = sorted(by_area.values(), key=lambda row: (rank.get(str(row[0].kind), 0), row[0].name))
    return shown, [row for row in rows if any(year in row[1] for year in shown)]


def kolada_areas(area: Area | None) -> str:
    """The areas to fetch from Kolada for an organisation in ``area``: its municipality (Kolada has no districts
    or vulnerable areas), its county and Sweden, as ``fetch_kolada --areas`` takes them."""
    codes = []
    while area is not None and area.kind not in (AreaKind.MUNICIPALITY, AreaKind.COUNTY, AreaKind.COUNTRY):
        area = area.parent
    if area is not None and area.kind == AreaKind.MUNICIPALITY:
        codes.append(area.code)
        area = area.county
    if area is not None and area.kind == AreaKind.COUNTY:
        codes.append(area.code)
    return " ".join([*codes, "SE"])


def indicator_series(indicator: Indicator, area_ids: list[int] | None = None) -> dict[str, list[tuple[int, float]]]:
    """Values per area name, each a list of (year, value) in year order (all genders together: "T")."""
    values = IndicatorValue.objects.filter(indicator=indicator, gender="T").select_related("area")
    if area_ids is not None:
        values = values.filter(area_id__in=area_ids)
    series: dict[str, list[tuple[int, float]]] = {}
    for value in values.order_by("area__name", "year"):
        series.setdefault(value.area.name, []).append((value.year, value.value))
    return series
