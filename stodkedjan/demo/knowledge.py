"""Demo methods and resources for the knowledge bank. Method names are real; ratings and texts are the
demo's own short descriptions (the public page links to MFoF and Socialstyrelsen for the real overviews)."""

from __future__ import annotations

from dataclasses import dataclass

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.vocabulary import Level
from stodkedjan.knowledge import services
from stodkedjan.knowledge.models import EvidenceRating, Method, Resource, ResourceKind

DEMO_NOTE = "Demo: betyget är ett exempel. Läs översikten hos källan innan ni väljer metod."


@dataclass(frozen=True)
class DemoMethod:
    slug: str
    name: str
    also: str
    summary: str
    summary_en: str
    target_group: str
    ages: tuple[int, int]
    level: str
    formats: tuple[str, ...]
    length: str
    languages: tuple[str, ...]
    rating: str
    description: str


METHODS = [
    DemoMethod(
        "abc",
        "ABC – Alla Barn i Centrum",
        "ABC",
        "Fyra gruppträffar om att stärka relationen mellan förälder och barn.",
        "Four group meetings about strengthening the bond between parent and child.",
        "Alla föräldrar till barn 3–12 år.",
        (3, 12),
        Level.UNIVERSAL,
        ("group",),
        "4 träffar à 2,5 timmar",
        ("sv", "ar", "so", "ti", "fa", "en"),
        EvidenceRating.PROMISING,
        "Föräldrar träffas i grupp fyra gånger med två utbildade gruppledare. Teman: visa kärlek, vara med, visa "
        "vägen och välja strider.\n\nMellan träffarna prövar föräldrarna det de pratat om hemma.",
    ),
    DemoMethod(
        "cope",
        "COPE – föräldrakurs",
        "COPE",
        "Föräldrakurs i storgrupp för föräldrar till barn med utmanande beteende.",
        "Large-group course for parents of children whose behaviour is challenging.",
        "Föräldrar till barn 3–12 år med trots eller utagerande beteende.",
        (3, 12),
        Level.SELECTIVE,
        ("group",),
        "10 träffar à 2 timmar",
        ("sv", "ar"),
        EvidenceRating.PROMISING,
        "Föräldrarna ser korta filmer, löser problem tillsammans i smågrupper och prövar nya sätt hemma.",
    ),
    DemoMethod(
        "connect",
        "Connect",
        "Connect – för föräldrar till tonåringar",
        "Grupp för föräldrar till tonåringar om anknytning och att förstå tonåringens behov.",
        "Group for parents of teenagers about attachment and understanding the teenager's needs.",
        "Föräldrar till barn 8–18 år, särskilt när relationen är ansträngd.",
        (8, 18),
        Level.SELECTIVE,
        ("group",),
        "10 träffar à 1,5 timme",
        ("sv", "ar", "so"),
        EvidenceRating.PROMISING,
        "Gruppledarna utgår från anknytningsteori. Föräldrarna reflekterar över sina egna och barnets känslor.",
    ),
    DemoMethod(
        "komet",
        "Komet för föräldrar",
        "Komet",
        "Föräldraprogram för att minska konflikter i vardagen.",
        "Parent programme to reduce conflicts in everyday life.",
        "Föräldrar till barn 3–11 år eller 12–18 år med konflikter hemma eller i skolan.",
        (3, 18),
        Level.SELECTIVE,
        ("group",),
        "11 träffar",
        ("sv",),
        EvidenceRating.ESTABLISHED,
        "Föräldrarna lär sig att uppmuntra det som fungerar, ge tydliga instruktioner och hantera konflikter.",
    ),
    DemoMethod(
        "trygghetscirkeln",
        "Trygghetscirkeln",
        "Trygghetscirkeln – föräldragrupp, Circle of Security",
        "Grupp om små barns behov av trygghet och utforskande.",
        "Group about small children's need of safety and exploring.",
        "Föräldrar till barn 0–6 år.",
        (0, 6),
        Level.UNIVERSAL,
        ("group",),
        "8 träffar",
        ("sv", "en"),
        EvidenceRating.UNDER_EVALUATION,
        "Med filmer och samtal lär sig föräldrarna se vad barnet behöver i stunden.",
    ),
    DemoMethod(
        "mst",
        "MST – multisystemisk terapi",
        "MST",
        "Intensiv behandling i hemmet för familjer med ungdomar med allvarliga problem.",
        "Intensive home-based treatment for families of young people with serious problems.",
        "Familjer med ungdomar 12–17 år med allvarligt normbrytande beteende.",
        (12, 17),
        Level.INDICATED,
        ("home_visit", "individual"),
        "3–5 månader, flera gånger i veckan",
        ("sv",),
        EvidenceRating.ESTABLISHED,
        "Terapeuten arbetar med familjen, skolan och kamratgruppen. Jour dygnet runt under behandlingen.",
    ),
    DemoMethod(
        "fft",
        "FFT – funktionell familjeterapi",
        "FFT",
        "Familjeterapi för familjer med ungdomar med beteendeproblem.",
        "Family therapy for families with young people with behaviour problems.",
        "Familjer med ungdomar 11–18 år med beteendeproblem eller missbruk.",
        (11, 18),
        Level.INDICATED,
        ("individual",),
        "12–16 träffar under 3–4 månader",
        ("sv", "ar"),
        EvidenceRating.ESTABLISHED,
        "Hela familjen träffar terapeuten. Arbetet går från motivation till förändring och att hålla i den.",
    ),
    DemoMethod(
        "foraldraskap-i-sverige",
        "Föräldraskap i Sverige",
        "",
        "Samtalsgrupp för nyanlända föräldrar om att vara förälder i Sverige.",
        "Discussion group for newly arrived parents about being a parent in Sweden.",
        "Föräldrar som är nya i Sverige, med barn 0–18 år.",
        (0, 18),
        Level.UNIVERSAL,
        ("group",),
        "4–6 träffar",
        ("ar", "so", "ti", "fa", "prs"),
        EvidenceRating.NOT_EVALUATED,
        "Samtalsledare på föräldrarnas språk. Teman: barns rättigheter, skolan, socialtjänsten och tonåren.",
    ),
]

RESOURCES = [
    (
        "Stöd till föräldrar när barn är på väg in i kriminalitet",
        ResourceKind.GOOD_EXAMPLE,
        "Så samarbetar skola, socialtjänst, polis och fritid i en kommun för att nå föräldrar tidigt (demo).",
        "https://www.mfof.se/",
        ["child_rights", "violence_prevention"],
        ["crime_prevention"],
        ["connect", "fft"],
    ),
    (
        "Nationell strategi för föräldraskapsstöd",
        ResourceKind.LINK,
        "Regeringens strategi för ett stärkt föräldraskapsstöd, med mål för hela barnets uppväxt.",
        "https://www.regeringen.se/",
        ["child_rights", "equality", "gender_equality"],
        [],
        [],
    ),
    (
        "Föräldraskapsstöd och hedersrelaterat våld",
        ResourceKind.LINK,
        "Kunskapsstöd om att möta föräldrar där hedersnormer begränsar barns liv.",
        "https://www.hedersfortryck.se/",
        ["child_rights", "gender_equality", "violence_prevention"],
        ["honour_violence", "close_relationship_violence"],
        [],
    ),
    (
        "Att nå föräldrar på deras språk",
        ResourceKind.GOOD_EXAMPLE,
        "Erfarenheter från Alby av föräldragrupper på arabiska, somaliska och tigrinska (demo).",
        "https://www.botkyrka.se/",
        ["equality", "disability"],
        ["integration"],
        ["abc", "foraldraskap-i-sverige"],
    ),
]


def load_knowledge(organisations: dict[str, Organisation]) -> None:
    """The national agency's demo methods and a few resources (idempotent: matched by slug and title)."""
    keeper = organisations["mfof"]
    for spec in METHODS:
        fields = {
            "slug": spec.slug,
            "name": spec.name,
            "also_known_as": spec.also,
            "summary_sv": spec.summary,
            "summary_en": spec.summary_en,
            "description_sv": spec.description,
            "target_group_sv": spec.target_group,
            "minimum_age": spec.ages[0],
            "maximum_age": spec.ages[1],
            "level": spec.level,
            "formats": list(spec.formats),
            "length_sv": spec.length,
            "languages": list(spec.languages),
            "evidence_rating": spec.rating,
            "evidence_note": DEMO_NOTE,
            "rating_source_url": "https://www.mfof.se/",
            "training": "Gruppledarutbildning hos metodens huvudman (demo).",
            "is_published": True,
        }
        services.save_method(keeper, fields, Method.objects.filter(slug=spec.slug).first())
    methods = {m.slug: m for m in Method.objects.all()}
    county = organisations["lansstyrelsen-stockholm"]
    for title, kind, summary, url, perspectives, areas, slugs in RESOURCES:
        fields = {
            "title_sv": title,
            "kind": kind,
            "summary_sv": summary,
            "url": url,
            "perspectives": perspectives,
            "prevention_areas": areas,
            "is_published": True,
        }
        existing = Resource.objects.filter(organisation=county, title_sv=title).first()
        services.save_resource(county, fields, [methods[s] for s in slugs], existing)
