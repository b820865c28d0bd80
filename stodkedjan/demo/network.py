"""Demo network, working group, meeting, announcement and events of Länsstyrelsen Stockholm (idempotent)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.knowledge.models import Method
from stodkedjan.network import services
from stodkedjan.network.models import Event, EventKind, Network, NetworkKind, RegistrationStatus


def _at(days: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)))


def load_network(organisations: dict[str, Organisation]) -> None:
    county = organisations["lansstyrelsen-stockholm"]
    members = [
        organisations[s] for s in ("stockholms-stad", "skarholmen", "botkyrka", "sodertalje", "region-stockholm")
    ]
    network = services.save_network(
        county,
        {
            "name": "Nätverket för föräldraskapsstöd i Stockholms län",
            "kind": NetworkKind.NETWORK,
            "purpose": "Erfarenhetsutbyte mellan kommuner, regionen och civilsamhället om föräldraskapsstöd som "
            "förebygger att barn dras in i kriminalitet.",
        },
        members,
        Network.objects.filter(organisation=county, kind=NetworkKind.NETWORK).first(),
    )
    services.save_network(
        county,
        {
            "name": "Arbetsgrupp: metodstöd för utrikesfödda föräldrar",
            "kind": NetworkKind.WORKING_GROUP,
            "purpose": "Tar fram stöd för att erbjuda föräldraskapsstöd på flera språk.",
            "parent": network,
        },
        [organisations["botkyrka"], organisations["foraldrakraft-alby"], organisations["skarholmen"]],
        Network.objects.filter(organisation=county, kind=NetworkKind.WORKING_GROUP).first(),
    )
    if not network.meetings.exists():
        services.save_meeting(
            network,
            {
                "title": "Nätverksträff hösten",
                "starts_at": _at(-20, 13),
                "place": "Länsstyrelsen, Hantverkargatan",
                "agenda": "- Läget i länet\n- Erfarenheter av ABC på arabiska och somaliska\n- Planering av våren",
                "notes": "Sju kommuner deltog. Flera vill starta grupper på fler språk.",
                "decisions": "- Arbetsgruppen för utrikesfödda föräldrar tar fram ett stödmaterial till våren.",
            },
        )
    if not network.announcements.exists():
        network.announcements.create(
            title="Anmälan öppen till utbildningsdagen",
            body="Välkomna till länets utbildningsdag om föräldraskapsstöd. Anmäl er via länken i kalendern.",
        )
    events = [
        (
            "Utbildningsdag: föräldraskapsstöd som förebygger kriminalitet",
            EventKind.TRAINING,
            30,
            21,
            ["connect", "fft"],
            None,
        ),
        ("Länskonferens om föräldraskapsstöd", EventKind.CONFERENCE, 120, 45, ["abc", "komet"], None),
        # For the network's members only: registration needs a member organisation's address or the invitation.
        ("Nätverksträff: Connect i praktiken", EventKind.TRAINING, 20, 35, ["connect"], network),
    ]
    for title, kind, capacity, days, slugs, for_network in events:
        existing = Event.objects.filter(organisation=county, title=title).first()
        event = services.save_event(
            county,
            {
                "title": title,
                "kind": kind,
                "description": "En dag för dig som arbetar med föräldraskapsstöd i kommun, region eller förening."
                "\n\nFörmiddag: forskningsläget. Eftermiddag: erfarenheter från länets kommuner.",
                "audience": "Medarbetare och chefer inom socialtjänst, skola, hälso- och sjukvård och civilsamhälle.",
                "starts_at": _at(days, 9),
                "ends_at": _at(days, 16),
                "place": "Länsstyrelsen Stockholm, Hantverkargatan 29",
                "capacity": capacity,
                "network": for_network,
                "is_published": True,
            },
            list(Method.objects.filter(slug__in=slugs)),
            existing,
        )
        if existing is None:
            for n in range(3):
                event.registrations.create(
                    name=f"Demodeltagare {n + 1}",
                    email=f"deltagare{n + 1}@demo.example",
                    organisation_name="Botkyrka kommun",
                    status=RegistrationStatus.CONFIRMED,
                )
