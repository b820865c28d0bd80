"""A realistic, clearly fictional demo world for Stödkedjan. Idempotent: running it twice changes nothing.

The organisations are real kinds of actors in Stockholm county; every person is invented and every
e-mail address is under the reserved ``.example`` domain.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.management import call_command
from django.db import transaction

from stodkedjan.accounts.models import EditReview, Membership, Organisation, OrganisationKind, Role, User
from stodkedjan.demo.insights import load_insights
from stodkedjan.demo.knowledge import load_knowledge
from stodkedjan.demo.meetings import load_meetings
from stodkedjan.demo.network import load_network
from stodkedjan.demo.offerings import load_duplicates, load_information, load_offerings
from stodkedjan.demo.plans import load_plans
from stodkedjan.demo.surveys import load_surveys
from stodkedjan.geo.models import Area
from stodkedjan.geo.services import load_reference_data

DEMO_PASSWORD = "demo-stodkedjan"
DEMO_DOMAIN = "demo.example"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    area_code: str
    parent_slug: str | None = None
    description: str = ""
    edit_review: str = ""


ORGANISATIONS = [
    DemoOrganisation(
        "mfof",
        "Myndigheten för familjerätt och föräldraskapsstöd",
        OrganisationKind.NATIONAL_AGENCY,
        "SE",
        description="Nationell myndighet; håller metod- och kunskapsbanken (demo).",
    ),
    DemoOrganisation(
        "lansstyrelsen-stockholm",
        "Länsstyrelsen Stockholm",
        OrganisationKind.COUNTY_BOARD,
        "01",
        description="Stödjer kommuner, regionen och civilsamhället i länet (demo).",
    ),
    DemoOrganisation("region-stockholm", "Region Stockholm", OrganisationKind.REGION, "01"),
    DemoOrganisation("stockholms-stad", "Stockholms stad", OrganisationKind.MUNICIPALITY, "0180"),
    DemoOrganisation(
        "skarholmen",
        "Skärholmens stadsdelsförvaltning",
        OrganisationKind.DISTRICT_ADMINISTRATION,
        "0180-skarholmen",
        parent_slug="stockholms-stad",
    ),
    DemoOrganisation("botkyrka", "Botkyrka kommun", OrganisationKind.MUNICIPALITY, "0127"),
    DemoOrganisation("sodertalje", "Södertälje kommun", OrganisationKind.MUNICIPALITY, "0181"),
    DemoOrganisation(
        "foraldrakraft-alby",
        "Föreningen Föräldrakraft Alby (fiktiv)",
        OrganisationKind.CIVIL_SOCIETY,
        "0127",
        description="Fiktiv förening för demo: föräldraträffar på flera språk i Alby.",
        edit_review=EditReview.COUNTY_BOARD,  # the county board reviews its changes to published offerings
    ),
    DemoOrganisation(
        "lansstyrelsen-skane",
        "Länsstyrelsen Skåne",
        OrganisationKind.COUNTY_BOARD,
        "12",
        description="Stödjer kommuner, regionen och civilsamhället i Skåne (demo).",
    ),
    DemoOrganisation("malmo-stad", "Malmö stad", OrganisationKind.MUNICIPALITY, "1280"),
    DemoOrganisation("helsingborgs-stad", "Helsingborgs stad", OrganisationKind.MUNICIPALITY, "1283"),
    DemoOrganisation(
        "mammor-pappor-hovsjo",
        "Mammor och pappor i Hovsjö (fiktiv)",
        OrganisationKind.CIVIL_SOCIETY,
        "0181",
        description="Fiktiv förening för demo: nattvandring och föräldracaféer i Hovsjö.",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    email_local: str
    full_name: str
    memberships: tuple[tuple[str, str], ...]

    @property
    def email(self) -> str:
        return f"{self.email_local}@{DEMO_DOMAIN}"


_LEVELS = (("national", "mfof"), ("county", "lansstyrelsen-stockholm"), ("local", "botkyrka"))
_NAMES = {
    "national": ("Nora Nationell", "Elias Exempelsson", "Maja Metodsdotter", "Omar Översikt"),
    "county": ("Lina Länsdotter", "Karim Kartläggare", "Sara Samordnare", "Anders Administratör"),
    "local": ("Vera Visning", "Ebba Redaktör", "Hamid Handläggare", "Astrid Adminsson"),
}

USERS = [
    DemoUser(f"{level}.{role}", _NAMES[level][i], ((slug, role),))
    for level, slug in _LEVELS
    for i, role in enumerate(Role.values)
] + [
    DemoUser("skarholmen.editor", "Sami Stadsdel", (("skarholmen", Role.EDITOR),)),
    DemoUser(
        "stad.coordinator",
        "Tove Tvåorganisationer",
        (("stockholms-stad", Role.COORDINATOR), ("skarholmen", Role.COORDINATOR)),
    ),
    DemoUser("sodertalje.admin", "Selma Södertälje", (("sodertalje", Role.ADMIN),)),
    DemoUser("region.editor", "Rasmus Region", (("region-stockholm", Role.EDITOR),)),
    DemoUser("forening.admin", "Fatima Förening", (("foraldrakraft-alby", Role.ADMIN),)),
    DemoUser("hovsjo.admin", "Hodan Hovsjö", (("mammor-pappor-hovsjo", Role.ADMIN),)),
    DemoUser("skane.admin", "Siv Skåning", (("lansstyrelsen-skane", Role.ADMIN),)),
    DemoUser("malmo.editor", "Mira Malmberg", (("malmo-stad", Role.EDITOR),)),
    DemoUser("helsingborg.editor", "Hugo Hamnström", (("helsingborgs-stad", Role.EDITOR),)),
]
SUPERUSER = DemoUser("admin", "Demo Superanvändare", ())


@transaction.atomic
def load_demo() -> list[DemoUser]:
    """Create (or bring up to date) the demo organisations and users. Returns the users, for printing."""
    if not Area.objects.filter(code="SE").exists():
        load_reference_data()
    areas = {a.code: a for a in Area.objects.filter(code__in=[o.area_code for o in ORGANISATIONS])}
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisations[spec.slug], _created = Organisation.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "area": areas[spec.area_code],
                "parent": organisations.get(spec.parent_slug) if spec.parent_slug else None,
                "description": spec.description,
                "edit_review": spec.edit_review,
            },
        )
    for person in [*USERS, SUPERUSER]:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(person.email, DEMO_PASSWORD, full_name=person.full_name)
        if person is SUPERUSER and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        for slug, role in person.memberships:
            Membership.objects.update_or_create(user=user, organisation=organisations[slug], defaults={"role": role})
    load_knowledge(organisations)
    load_offerings(organisations, f"local.editor@{DEMO_DOMAIN}")
    load_duplicates(organisations, f"local.editor@{DEMO_DOMAIN}")
    load_information(organisations)
    load_plans(organisations, f"skarholmen.editor@{DEMO_DOMAIN}")
    load_surveys(organisations)
    load_meetings(organisations)
    load_network(organisations)
    load_insights(organisations)
    call_command("reindex_search", stdout=io.StringIO())  # offerings loaded by an older version gain new words
    return [*USERS, SUPERUSER]
