"""Demo plans: a city strategy, a Skärholmen-style district plan under it with a year of follow-up, and
indicators (Kolada-shaped demo values and one of the district's own). All texts and figures are invented."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone

from stodkedjan.accounts.models import Organisation, User
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.plans import services
from stodkedjan.plans.indicators import import_kolada
from stodkedjan.plans.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    PlanItem,
)

KOLADA_DEMO = [Path(__file__).parent / "data" / name for name in ("kolada_demo_kpi.json", "kolada_demo_data.json")]
STRATEGY_SLUG = "stockholm-foraldraskapsstod-2023-2026"
PRIORITIES = [
    "Föräldraskapsstöd erbjuds tidigt och till alla föräldrar",
    "Stödet når de föräldrar som i dag inte tar del av det",
    "Stödet är kunskapsbaserat och samordnat i hela kedjan",
    "Barnets perspektiv och rättigheter genomsyrar stödet",
]
# (priority number, focus area, goals, [(methods, responsible, from, to, follow-up, indicator codes)])
Row = tuple[str, list[str], int, int, list[str], list[str]]
ROWS: list[tuple[int, str, str, list[Row]]] = [
    (
        1,
        "Föräldraskapsstöd på förskola och öppen förskola",
        "Fler föräldrar till barn 0–5 år känner till och tar del av stödet.",
        [
            (
                "Föräldraträffar på förskolorna i Bredäng och Vårberg, med tolk",
                ["Förskolechef", "Familjepedagog"],
                2025,
                2026,
                ["T1", "T2", "VB"],
                ["SKH-FORALDRAGRUPPER"],
            ),
            ("Språkcafé för föräldrar på öppna förskolan", ["Familjepedagog", "Bibliotekarie"], 2025, 2026, ["VB"], []),
        ],
    ),
    (
        1,
        "Universella föräldragrupper",
        "Alla föräldrar i stadsdelen erbjuds en föräldragrupp under barnets uppväxt.",
        [
            (
                "ABC-grupper på svenska, arabiska och somaliska",
                ["Enhetschef förebyggande", "Gruppledare"],
                2025,
                2026,
                ["T1", "T2", "VB"],
                ["SKH-FORALDRAGRUPPER"],
            )
        ],
    ),
    (
        2,
        "Förtroende för socialtjänsten",
        "Föräldrar vet vad socialtjänsten gör och vågar ta kontakt.",
        [
            (
                "Dialogträffar om socialtjänstens uppdrag tillsammans med föreningar",
                ["Områdessamordnare", "Föreningssamordnare"],
                2025,
                2026,
                ["T2", "VB"],
                [],
            ),
            ("Information om stödet på sex språk, i tryck och på webben", ["Kommunikatör"], 2025, 2025, ["VB"], []),
        ],
    ),
    (
        2,
        "Föräldrar till barn 8–12 år",
        "Tidiga tecken på oro fångas upp och föräldrar får stöd innan problemen växer.",
        [
            (
                "Föräldravandringar och föräldraträffar i samverkan med skolan",
                ["Fältassistenter", "Skolkurator"],
                2025,
                2026,
                ["T1", "T2", "VB"],
                ["DEMO-N00002"],
            )
        ],
    ),
    (
        3,
        "Samverkan i kedjan",
        "BVC, förskola, skola och socialtjänst hänvisar till varandras stöd.",
        [
            (
                "Nätverksträffar varje termin med BVC, förskola, skola och socialtjänst",
                ["Enhetschef"],
                2025,
                2026,
                ["VB"],
                [],
            )
        ],
    ),
    (
        4,
        "Barnets röst",
        "Barns synpunkter påverkar hur stödet utformas.",
        [
            (
                "Samtal med barn i fritidsgårdarna om vad deras föräldrar behöver",
                ["Fritidsledare", "Barnrättsstrateg"],
                2026,
                2026,
                ["VB"],
                [],
            )
        ],
    ),
]
# What happened: one status and comment per activity, per round (same order as the activities above).
FOLLOW_UP: dict[tuple[str, int], list[tuple[str, str]]] = {
    ("T1", 2025): [
        ("on_track", "Två träffar hölls; 34 föräldrar deltog."),
        ("not_started", ""),
        ("on_track", "En grupp på arabiska startade i mars."),
        ("not_started", ""),
        ("on_track", "Texterna är beställda."),
        ("on_track", "Två vandringar i Vårberg."),
        ("on_track", ""),
        ("not_started", ""),
    ],
    ("T2", 2025): [
        ("on_track", "Fyra träffar till; fler pappor deltar."),
        ("on_track", "Startade i augusti, 12 föräldrar per gång."),
        ("on_track", "Två grupper klara, en på somaliska pågår."),
        ("at_risk", "Svårt att hitta lokal; föreningarna hjälper till."),
        ("done", "Finns nu på sex språk."),
        ("on_track", ""),
        ("on_track", "Första nätverksträffen hölls."),
        ("not_started", ""),
    ],
    ("VB", 2025): [
        ("done", "Tolv träffar under året, 118 föräldrar. Föräldrarna säger att de vet mer om stödet."),
        ("on_track", "Fortsätter 2026."),
        ("done", "Fyra grupper, 41 föräldrar fullföljde; nöjdheten var hög."),
        ("on_track", "Tre dialogträffar, 90 deltagare; fler kontakter med socialtjänsten efteråt."),
        ("done", "Broschyren delades ut i alla förskolor."),
        ("at_risk", "Skolorna har haft svårt att delta; ny plan tas fram med rektorerna."),
        ("done", "Två nätverksträffar, rutin för hänvisning antagen."),
        ("stopped", "Flyttas till 2026."),
    ],
    ("T1", 2026): [
        ("on_track", "Fortsätter enligt plan."),
        ("on_track", ""),
        ("on_track", "Två nya grupper."),
        ("on_track", "En träff med 30 deltagare."),
        ("done", ""),
        ("on_track", "Skolorna deltar nu."),
        ("on_track", ""),
        ("on_track", "Samtal i två fritidsgårdar."),
    ],
}
DEADLINES = {"T1": (5, 15), "T2": (9, 15), "VB": (2, 1)}


def load_plans(organisations: dict[str, Organisation], reporter_email: str) -> None:
    """Create the strategy, the district plan and its follow-up, once."""
    import_kolada([(path.name, path.read_text(encoding="utf-8")) for path in KOLADA_DEMO])
    _own_indicator(organisations["skarholmen"])
    strategy = services.import_strategy(
        organisations["stockholms-stad"],
        STRATEGY_SLUG,
        "Stockholms stads strategi för föräldraskapsstöd (demo)",
        2023,
        2026,
        PRIORITIES,
    )
    _municipal_plans(organisations, User.objects.filter(email=reporter_email).first())
    district = organisations["skarholmen"]
    if ActionPlan.objects.filter(organisation=district).exists():
        return
    plan = ActionPlan.objects.create(
        organisation=district,
        strategy=strategy,
        title="Handlingsplan för föräldraskapsstöd i Skärholmen 2025–2026 (demo)",
        period_start=2025,
        period_end=2026,
    )
    priorities = {p.position: p for p in strategy.priorities.all()}
    areas = list(Area.objects.filter(kind=AreaKind.VULNERABLE_AREA, code__in=["0180-uo-bredang", "0180-uo-varberg"]))
    activities: list[Activity] = []
    for position, (number, focus, goals, rows) in enumerate(ROWS, start=1):
        item = PlanItem.objects.create(
            plan=plan, priority=priorities[number], position=position, focus_area=focus, goals=goals
        )
        for row_position, (methods, responsible, start, end, follow_up, indicators) in enumerate(rows, start=1):
            activity = Activity.objects.create(
                item=item,
                position=row_position,
                methods=methods,
                responsible=responsible,
                timeframe_start=start,
                timeframe_end=end,
                follow_up=follow_up,
                perspectives=["child_rights"] if number == 4 else [],
            )
            activity.indicators.set(Indicator.objects.filter(code__in=indicators))
            if number == 2:
                activity.areas.set(areas)
            activities.append(activity)
    _follow_up(plan, activities, User.objects.filter(email=reporter_email).first())


def _follow_up(plan: ActionPlan, activities: list[Activity], user: User | None) -> None:
    for (kind, year), reports in FOLLOW_UP.items():
        month, day = DEADLINES[kind]
        deadline = datetime.date(year + 1 if kind == "VB" else year, month, day)
        round_ = services.open_round(plan, kind, year, deadline, user)
        by_activity = {f.activity_id: f for f in round_.follow_ups.all()}
        for activity, (status, comment) in zip(activities, reports, strict=True):
            row = by_activity.get(activity.pk)
            if row is not None:
                row.status, row.comment, row.updated_by = ActivityStatus(status), comment, user
                row.save()
        round_.submitted_at = timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(12)))
        round_.save(update_fields=["submitted_at"])
    # The second tertial of this plan year is open and half reported, to show a round in progress.
    round_ = services.open_round(plan, "T2", 2026, datetime.date(2026, 12, 4), user)
    for row in list(round_.follow_ups.order_by("activity__item__position", "activity__position"))[:3]:
        row.status, row.comment, row.updated_by = ActivityStatus.ON_TRACK, "", user
        row.save()


# Two municipalities' plans, so that the county sees more than one: Botkyrka's second tertial report is past
# its deadline and not submitted (late), Södertälje's first is submitted.
MUNICIPAL_PLANS = {
    "botkyrka": (
        "Handlingsplan för brottsförebyggande föräldraskapsstöd i Botkyrka 2026 (demo)",
        [
            ("Nå föräldrar i Alby, Fittja och Hallunda", ["ABC-grupper på arabiska och somaliska", "Föräldracaféer"]),
            ("Tidigt stöd vid oro", ["Samtal inom en vecka vid oro för kriminalitet", "Fältarbete kvällstid"]),
        ],
        ("T2", -20, False),
    ),
    "sodertalje": (
        "Föräldraskapsstöd i Södertälje 2026 (demo)",
        [("Föräldrar till tonåringar", ["Connect-grupper", "Föräldravandringar i Ronna och Hovsjö"])],
        ("T1", -150, True),
    ),
}


def _municipal_plans(organisations: dict[str, Organisation], user: User | None) -> None:
    today = timezone.localdate()
    for slug, (title, rows, (kind, days, submitted)) in MUNICIPAL_PLANS.items():
        organisation = organisations.get(slug)
        if organisation is None or ActionPlan.objects.filter(organisation=organisation, title=title).exists():
            continue
        plan = ActionPlan.objects.create(organisation=organisation, title=title, period_start=2026, period_end=2026)
        for focus, methods in rows:
            item = services.add_item(plan, focus)
            for method in methods:
                services.add_activity(item, method)
        round_ = services.open_round(plan, kind, 2026, today + datetime.timedelta(days=days), user)
        rows_of_round = list(round_.follow_ups.order_by("activity__item__position", "activity__position"))
        for row in rows_of_round[: len(rows_of_round) if submitted else 1]:
            row.status, row.updated_by = ActivityStatus.ON_TRACK, user
            row.save()
        if submitted:
            services.submit_round(round_)


def _own_indicator(district: Organisation) -> None:
    indicator, _created = Indicator.objects.update_or_create(
        code="SKH-FORALDRAGRUPPER",
        defaults={
            "title": "Föräldrar som fullföljt en föräldragrupp (demo)",
            "unit": "antal",
            "source": IndicatorSource.CUSTOM,
            "organisation": district,
            "description": "Räknas av stadsdelens förebyggande enhet varje år.",
        },
    )
    for year, value in ((2022, 28), (2023, 35), (2024, 39), (2025, 41)):
        IndicatorValue.objects.update_or_create(
            indicator=indicator, area=district.area, year=year, gender="T", defaults={"value": value}
        )
