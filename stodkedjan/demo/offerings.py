"""About 150 demo offerings across the demo organisations, with real method names and fictional places.

Method names (ABC, COPE, Connect, Trygghetscirkeln, Komet, MST, FFT …) are real programmes used in Swedish
parenting support; every provider unit, address, phone number and e-mail address here is invented.
Deterministic: the same run gives the same offerings, identified by stable UUIDs, so loading twice
creates nothing new.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.directory import services
from stodkedjan.directory.models import Level, Location, Service, Status, Taxonomy
from stodkedjan.finder.models import ContactKind, InformationPage, LocalContact, PageKind
from stodkedjan.geo.models import Area

NAMESPACE = uuid.UUID("6f1c2a52-7d0e-4b7e-9a51-5d3b8f0c2e11")


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    level: str
    ages: tuple[int, int]
    formats: tuple[str, ...]
    arenas: tuple[str, ...]
    topics: tuple[str, ...] = ()
    method: str = ""
    languages: tuple[str, ...] = ("sv",)
    name_en: str = ""
    description_en: str = ""
    group_meetings: int = 0
    hours: tuple[str, str, str] | None = None  # weekdays, from, to
    fee: str = ""
    interpretation: bool = False
    translations: dict[str, str] = field(default_factory=dict)


KINDS = {
    "abc": Kind(
        "ABC – Alla Barn i Centrum",
        "Fyra träffar i grupp för föräldrar till barn 3–12 år. Ni pratar om att visa kärlek, vara med, "
        "visa vägen och välja strider – och får tips att pröva hemma mellan träffarna.",
        Level.UNIVERSAL,
        (3, 12),
        ("group",),
        ("family_centre",),
        ("parenting", "communication"),
        "ABC",
        name_en="ABC – All Children in Focus",
        description_en="Four group meetings for parents of children aged 3–12 about love, presence, guidance "
        "and choosing your battles, with ideas to try at home between meetings.",
        group_meetings=4,
    ),
    "abc_ar": Kind(
        "ABC på arabiska",
        "ABC-gruppen på arabiska, med samtalsledare som talar arabiska. Fyra träffar för föräldrar till barn 3–12 år.",
        Level.UNIVERSAL,
        (3, 12),
        ("group",),
        ("social_services_open",),
        ("parenting", "new_in_sweden"),
        "ABC",
        languages=("ar",),  # a group held in Arabic
        name_en="ABC in Arabic",
        group_meetings=4,
        translations={
            "name_ar": "ABC – كل الأطفال في المركز",
            "description_ar": "أربعة لقاءات جماعية باللغة العربية لأولياء أمور الأطفال من 3 إلى 12 سنة.",
        },
    ),
    "cope": Kind(
        "COPE – föräldrakurs",
        "Tio träffar för föräldrar som vill ha fler verktyg när vardagen med barnet är kämpig: bråk, "
        "utbrott och tjat. Ni lär av varandra i små grupper.",
        Level.SELECTIVE,
        (3, 12),
        ("group",),
        ("social_services_open",),
        ("communication",),
        "COPE",
        name_en="COPE parenting course",
        group_meetings=10,
    ),
    "connect": Kind(
        "Connect – för föräldrar till tonåringar",
        "Tio träffar för föräldrar till barn 10–18 år om att förstå tonåringen, behålla kontakten och hantera konflikter.",
        Level.SELECTIVE,
        (10, 18),
        ("group",),
        ("social_services_open",),
        ("communication", "crime"),
        "Connect",
        name_en="Connect – for parents of teenagers",
        group_meetings=10,
    ),
    "trygghetscirkeln": Kind(
        "Trygghetscirkeln – föräldragrupp",
        "Åtta träffar om barnets behov av trygghet, byggda på Circle of Security Parenting. För föräldrar till barn 0–6 år.",
        Level.UNIVERSAL,
        (0, 6),
        ("group",),
        ("bvc", "family_centre"),
        ("infants", "parenting"),
        "Circle of Security Parenting (Trygghetscirkeln)",
        name_en="Circle of Security parent group",
        group_meetings=8,
    ),
    "oppen_forskola": Kind(
        "Öppen förskola",
        "Kom och lek, sjung och träffa andra föräldrar. Ingen anmälan – kom när det passar. Förskollärare finns på plats.",
        Level.UNIVERSAL,
        (0, 5),
        ("drop_in",),
        ("open_preschool",),
        ("infants",),
        languages=("sv", "ar", "so"),
        name_en="Open preschool",
        description_en="Play, sing and meet other parents. No booking – drop in when it suits you.",
        hours=("MO,TU,TH", "09:00", "12:00"),
        translations={"name_so": "Dugsiga furan", "name_ar": "الروضة المفتوحة"},
    ),
    "familjecentral": Kind(
        "Familjecentralen – råd och stöd",
        "Barnmorska, BVC-sköterska, förskollärare och socionom på samma ställe. Boka ett samtal eller kom på drop-in.",
        Level.UNIVERSAL,
        (0, 6),
        ("individual", "drop_in"),
        ("family_centre", "bvc"),
        ("infants", "parenting"),
        languages=("sv", "ar", "so", "ti"),
        name_en="Family centre – advice and support",
        hours=("WE", "13:00", "16:00"),
    ),
    "foraldraskap_i_sverige": Kind(
        "Föräldraskap i Sverige",
        "Samtalsgrupp för föräldrar som är nya i Sverige: barns rättigheter, skolan, socialtjänsten och att vara förälder i ett nytt land. På ditt språk.",
        Level.UNIVERSAL,
        (0, 18),
        ("group",),
        ("social_services_open",),
        ("new_in_sweden", "parenting"),
        "Föräldraskap i Sverige",
        languages=("ar", "so", "ti", "fa", "prs"),
        name_en="Parenting in Sweden",
        description_en="A discussion group for parents who are new in Sweden, in your language.",
        group_meetings=7,
        translations={
            "name_ar": "الأبوة والأمومة في السويد",
            "name_so": "Waalidnimada Iswiidhan",
            "name_ti": "ወለድነት ኣብ ሽወደን",
            "name_fa": "فرزندپروری در سوئد",
        },
    ),
    "komet": Kind(
        "Komet för föräldrar",
        "Elva träffar för föräldrar till barn 3–11 år som ofta hamnar i konflikt med barnet. Fokus på positiv samvaro och tydliga förväntningar.",
        Level.SELECTIVE,
        (3, 11),
        ("group",),
        ("social_services_open",),
        ("communication",),
        "Komet",
        group_meetings=11,
    ),
    "telefon": Kind(
        "Föräldrarådgivning i telefon",
        "Ring och prata med en familjebehandlare om det du undrar över. Du behöver inte säga ditt namn.",
        Level.UNIVERSAL,
        (0, 18),
        ("phone",),
        ("social_services_open",),
        ("parenting",),
        languages=("sv", "en"),
        name_en="Advice line for parents",
        hours=("MO,TU,WE,TH,FR", "09:00", "16:00"),
    ),
    "familjebehandling": Kind(
        "Familjebehandling",
        "Samtal med hela familjen när det är svårt hemma, i skolan eller med kompisar. Hemma hos er eller på mottagningen.",
        Level.INDICATED,
        (6, 18),
        ("individual", "home_visit"),
        ("social_services_open",),
        ("communication", "school"),
        "Familjebehandling",
        interpretation=True,
        name_en="Family therapy",
    ),
    "hembesok": Kind(
        "Utökade hembesök",
        "BVC-sköterska och föräldrarådgivare från socialtjänsten besöker er hemma sex gånger under barnets första 15 månader.",
        Level.UNIVERSAL,
        (0, 1),
        ("home_visit",),
        ("bvc",),
        ("infants",),
        "Utökade hembesök",
        languages=("sv", "ar", "so"),
        name_en="Extended home visits",
    ),
    "mst": Kind(
        "MST – multisystemisk terapi",
        "Intensivt stöd i hemmet för familjer med barn 12–17 år med allvarliga beteendeproblem eller risk för kriminalitet.",
        Level.INDICATED,
        (12, 17),
        ("home_visit",),
        ("social_services_open",),
        ("crime", "drugs"),
        "MST",
        name_en="MST – multisystemic therapy",
    ),
    "fft": Kind(
        "FFT – funktionell familjeterapi",
        "Familjeterapi för familjer med ungdomar 11–18 år, 12–30 samtal under några månader.",
        Level.INDICATED,
        (11, 18),
        ("individual",),
        ("social_services_open",),
        ("communication", "crime"),
        "FFT",
    ),
    "cafe": Kind(
        "Föräldracafé",
        "Fika och samtal med andra föräldrar och en inbjuden gäst, t.ex. från skolan, fältassistenterna eller polisen.",
        Level.UNIVERSAL,
        (0, 18),
        ("drop_in",),
        ("civil_society",),
        ("parenting", "crime"),
        languages=("sv", "so", "ar"),
        name_en="Parents' café",
        hours=("SA", "11:00", "14:00"),
        translations={"name_so": "Kafeega waalidiinta"},
    ),
    "nattvandring": Kind(
        "Föräldravandring",
        "Vuxna på stan fredag och lördag kväll. Vi går i grupp, pratar med ungdomar och finns där. Gå med en kväll eller flera.",
        Level.UNIVERSAL,
        (12, 18),
        ("group",),
        ("civil_society",),
        ("crime",),
        languages=("sv", "so", "ar", "ti"),
        name_en="Parents walking the streets at night",
        hours=("FR,SA", "20:00", "23:00"),
    ),
    "tonar": Kind(
        "Tonårsföräldrar – samtalsgrupp",
        "Sex träffar om skärmar, sömn, kompisar, alkohol och droger – och om hur du behåller kontakten med din tonåring.",
        Level.SELECTIVE,
        (12, 18),
        ("group",),
        ("social_services_open",),
        ("screens", "drugs"),
        group_meetings=6,
    ),
    "familjeradgivning": Kind(
        "Familjerådgivning",
        "Samtal för par och familjer i kris eller konflikt. Tystnadsplikt och ingen journal.",
        Level.UNIVERSAL,
        (0, 18),
        ("individual",),
        ("family_counselling",),
        ("separation", "communication"),
        fee="400 kr per samtal; kostnadsfritt för dig med försörjningsstöd",
    ),
    "samarbetssamtal": Kind(
        "Samarbetssamtal vid separation",
        "Hjälp för föräldrar som separerar att komma överens om boende, umgänge och vårdnad, med barnets bästa i centrum.",
        Level.SELECTIVE,
        (0, 18),
        ("individual",),
        ("family_law",),
        ("separation",),
        languages=("sv", "en"),
    ),
    "elevhalsa": Kind(
        "Föräldraträffar i skolan",
        "Elevhälsan bjuder in till träffar om skolgång, frånvaro och trivsel. Tolk kan bokas.",
        Level.UNIVERSAL,
        (6, 15),
        ("group",),
        ("pupil_health",),
        ("school",),
        group_meetings=3,
    ),
    "npf": Kind(
        "Föräldrautbildning om NPF",
        "Studiecirkel för föräldrar till barn med adhd, autism eller liknande svårigheter.",
        Level.SELECTIVE,
        (4, 18),
        ("group",),
        ("study_association",),
        ("neurodevelopmental",),
        group_meetings=6,
        fee="200 kr för hela cirkeln",
    ),
    "skarmar": Kind(
        "Studiecirkel: Barn, skärmar och sociala medier",
        "Fem kvällar om spel, sociala medier och hur du pratar med ditt barn om det som händer på nätet.",
        Level.UNIVERSAL,
        (6, 15),
        ("group",),
        ("study_association",),
        ("screens",),
        group_meetings=5,
    ),
    "mvc": Kind(
        "Föräldragrupp på MVC",
        "Träffar för blivande föräldrar om förlossning, amning och den första tiden.",
        Level.UNIVERSAL,
        (0, 0),
        ("group",),
        ("mvc",),
        ("infants",),
        languages=("sv", "ar"),
        group_meetings=4,
    ),
    "faltare": Kind(
        "Fältassistenterna – stöd till föräldrar",
        "Fältassistenterna känner ungdomarna i området. Ring om du är orolig för var ditt barn är eller vilka det umgås med.",
        Level.SELECTIVE,
        (12, 18),
        ("individual", "phone"),
        ("social_services_open",),
        ("crime",),
        languages=("sv", "ar", "so"),
        name_en="Field workers – support for parents",
        hours=("MO,TU,WE,TH,FR", "13:00", "21:00"),
    ),
    "oro_kriminalitet": Kind(
        "Stöd vid oro för kriminalitet",
        "För dig som är orolig att ditt barn dras in i kriminalitet. Samtal inom en vecka, tillsammans med skola och fritid om du vill.",
        Level.INDICATED,
        (10, 18),
        ("individual",),
        ("social_services_open",),
        ("crime",),
        languages=("sv", "ar", "so", "ti"),
        name_en="Support when you fear your child is drawn into crime",
        translations={
            "name_ar": "الدعم عند القلق من انجراف طفلك نحو الجريمة",
            "name_so": "Taageero marka aad ka welwelsan tahay dembiyada",
        },
    ),
    "digitalt": Kind(
        "Chatta med en familjebehandlare",
        "Skriv anonymt och få svar samma dag. För föräldrar med barn i alla åldrar.",
        Level.UNIVERSAL,
        (0, 18),
        ("digital",),
        ("social_services_open",),
        ("parenting",),
        languages=("sv", "en"),
        name_en="Chat with a family counsellor",
    ),
}


@dataclass(frozen=True)
class Place:
    name: str
    address: str
    postal_code: str
    city: str
    area_code: str
    latitude: float
    longitude: float


PLACES = {
    "botkyrka": [
        Place("Familjecentralen Alby", "Albyvägen 12 (fiktiv)", "145 59", "Norsborg", "0127", 59.2390, 17.8450),
        Place("Fittja träffpunkt", "Fittja torg 3 (fiktiv)", "145 50", "Norsborg", "0127", 59.2470, 17.8610),
        Place("Hallunda familjehus", "Hallunda gård 7 (fiktiv)", "145 68", "Norsborg", "0127", 59.2430, 17.8250),
        Place("Tumba mottagning", "Tumba torg 20 (fiktiv)", "147 30", "Tumba", "0127", 59.1990, 17.8340),
        Place("Storvretens fritidsgård", "Storvretsvägen 4 (fiktiv)", "147 48", "Tumba", "0127", 59.1930, 17.8399),
    ],
    "sodertalje": [
        Place("Familjecentralen Hovsjö", "Hovsjö centrum 2 (fiktiv)", "151 48", "Södertälje", "0181", 59.1782, 17.6012),
        Place("Ronna träffpunkt", "Ronnavägen 5 (fiktiv)", "151 51", "Södertälje", "0181", 59.2032, 17.5922),
        Place("Geneta föräldrarum", "Genetavägen 9 (fiktiv)", "151 52", "Södertälje", "0181", 59.1927, 17.5863),
        Place(
            "Socialtjänsten Södertälje centrum",
            "Storgatan 14 (fiktiv)",
            "151 72",
            "Södertälje",
            "0181",
            59.1960,
            17.6260,
        ),
        Place("Saltskogs fritidsgård", "Saltskogsvägen 1 (fiktiv)", "151 55", "Södertälje", "0181", 59.1806, 17.6239),
    ],
    "skarholmen": [
        Place(
            "Familjecentralen Skärholmen",
            "Skärholmsplan 3 (fiktiv)",
            "127 48",
            "Skärholmen",
            "0180-skarholmen",
            59.2770,
            17.9070,
        ),
        Place(
            "Bredängs öppna förskola",
            "Bredängstorget 8 (fiktiv)",
            "127 32",
            "Skärholmen",
            "0180-skarholmen",
            59.2950,
            17.9330,
        ),
        Place(
            "Vårbergs träffpunkt",
            "Vårbergstorget 2 (fiktiv)",
            "127 43",
            "Skärholmen",
            "0180-skarholmen",
            59.2760,
            17.8900,
        ),
        Place(
            "Sätra föräldrarum", "Sätra torg 5 (fiktiv)", "127 38", "Skärholmen", "0180-skarholmen", 59.2850, 17.9210
        ),
    ],
    "stockholms-stad": [
        Place(
            "Husby familjecentral",
            "Husby centrum 6 (fiktiv)",
            "164 30",
            "Kista",
            "0180-rinkeby-kista",
            59.4100,
            17.9250,
        ),
        Place(
            "Rinkeby föräldrahus",
            "Rinkebytorget 4 (fiktiv)",
            "163 71",
            "Spånga",
            "0180-rinkeby-kista",
            59.3880,
            17.9280,
        ),
        Place("Tensta träff", "Tensta allé 10 (fiktiv)", "163 64", "Spånga", "0180-spanga-tensta", 59.3940, 17.9000),
        Place(
            "Hagsätra familjeträff",
            "Hagsätra torg 1 (fiktiv)",
            "124 73",
            "Bandhagen",
            "0180-enskede-arsta-vantor",
            59.2620,
            18.0120,
        ),
    ],
}
# Skåne, so that national pages compare more than one county: places inside Malmö's and Helsingborg's areas.
PLACES["malmo-stad"] = [
    Place("Familjecentralen Rosengård", "Amiralsgatan 90 (fiktiv)", "213 66", "Malmö", "1280", 55.5838, 13.0416),
    Place("Seveds föräldrarum", "Rasmusgatan 4 (fiktiv)", "214 36", "Malmö", "1280", 55.5828, 13.0150),
    Place("Holma träffpunkt", "Holmaplan 2 (fiktiv)", "215 71", "Malmö", "1280", 55.5739, 12.9801),
    Place("Lindängens familjehus", "Lindängstorget 1 (fiktiv)", "215 75", "Malmö", "1280", 55.5655, 13.0219),
    Place("Socialtjänsten Malmö centrum", "Storgatan 20 (fiktiv)", "211 41", "Malmö", "1280", 55.6030, 13.0010),
]
PLACES["helsingborgs-stad"] = [
    Place(
        "Drottninghögs familjecentral",
        "Drottninghögsvägen 10 (fiktiv)",
        "254 57",
        "Helsingborg",
        "1283",
        56.0665,
        12.7333,
    ),
    Place("Söders träffpunkt", "Södergatan 40 (fiktiv)", "252 25", "Helsingborg", "1283", 56.0347, 12.7087),
    Place("Socialtjänsten Helsingborg", "Stortorget 5 (fiktiv)", "252 23", "Helsingborg", "1283", 56.0450, 12.6940),
]
PLACES["region-stockholm"] = PLACES["botkyrka"][:2] + PLACES["skarholmen"][:2] + PLACES["sodertalje"][:1]
PLACES["foraldrakraft-alby"] = PLACES["botkyrka"][:3]
PLACES["mammor-pappor-hovsjo"] = PLACES["sodertalje"][:3]

# Which kinds each organisation offers; places are taken in turn. Together about 150 offerings.
PLAN = {
    "botkyrka": [
        "abc",
        "abc_ar",
        "cope",
        "connect",
        "komet",
        "oppen_forskola",
        "oppen_forskola",
        "oppen_forskola",
        "familjecentral",
        "familjecentral",
        "foraldraskap_i_sverige",
        "foraldraskap_i_sverige",
        "telefon",
        "familjebehandling",
        "mst",
        "fft",
        "tonar",
        "familjeradgivning",
        "samarbetssamtal",
        "elevhalsa",
        "elevhalsa",
        "faltare",
        "faltare",
        "oro_kriminalitet",
        "digitalt",
        "abc",
        "connect",
        "cope",
        "trygghetscirkeln",
        "trygghetscirkeln",
        "tonar",
        "elevhalsa",
    ],
    "sodertalje": [
        "abc",
        "abc_ar",
        "cope",
        "connect",
        "komet",
        "oppen_forskola",
        "oppen_forskola",
        "familjecentral",
        "familjecentral",
        "foraldraskap_i_sverige",
        "foraldraskap_i_sverige",
        "telefon",
        "familjebehandling",
        "mst",
        "fft",
        "tonar",
        "familjeradgivning",
        "samarbetssamtal",
        "elevhalsa",
        "faltare",
        "faltare",
        "oro_kriminalitet",
        "trygghetscirkeln",
        "connect",
        "abc",
        "elevhalsa",
        "tonar",
        "cope",
    ],
    "skarholmen": [
        "abc",
        "abc_ar",
        "cope",
        "connect",
        "oppen_forskola",
        "oppen_forskola",
        "oppen_forskola",
        "familjecentral",
        "foraldraskap_i_sverige",
        "foraldraskap_i_sverige",
        "familjebehandling",
        "tonar",
        "faltare",
        "oro_kriminalitet",
        "trygghetscirkeln",
        "elevhalsa",
        "komet",
        "connect",
        "abc",
        "cope",
        "hembesok",
        "fft",
    ],
    "stockholms-stad": [
        "telefon",
        "digitalt",
        "familjeradgivning",
        "samarbetssamtal",
        "mst",
        "hembesok",
        "abc",
        "connect",
        "foraldraskap_i_sverige",
        "oppen_forskola",
        "familjecentral",
        "faltare",
        "oro_kriminalitet",
        "trygghetscirkeln",
        "tonar",
        "cope",
        "abc_ar",
        "komet",
        "elevhalsa",
        "npf",
        "fft",
        "familjebehandling",
    ],
    "region-stockholm": [
        "mvc",
        "mvc",
        "mvc",
        "hembesok",
        "hembesok",
        "trygghetscirkeln",
        "trygghetscirkeln",
        "familjecentral",
        "familjecentral",
        "mvc",
        "hembesok",
        "trygghetscirkeln",
        "npf",
        "npf",
        "mvc",
        "trygghetscirkeln",
        "familjecentral",
        "hembesok",
    ],
    "foraldrakraft-alby": [
        "cafe",
        "cafe",
        "nattvandring",
        "foraldraskap_i_sverige",
        "skarmar",
        "npf",
        "cafe",
        "skarmar",
        "abc_ar",
        "nattvandring",
        "tonar",
        "cafe",
        "skarmar",
        "npf",
    ],
    "mammor-pappor-hovsjo": [
        "cafe",
        "nattvandring",
        "nattvandring",
        "foraldraskap_i_sverige",
        "cafe",
        "skarmar",
        "npf",
        "cafe",
        "tonar",
        "skarmar",
        "abc_ar",
        "cafe",
        "nattvandring",
        "foraldraskap_i_sverige",
    ],
}
PLAN["malmo-stad"] = [
    "abc",
    "abc_ar",
    "cope",
    "connect",
    "komet",
    "familjecentral",
    "foraldraskap_i_sverige",
    "familjebehandling",
    "mst",
    "tonar",
    "faltare",
    "oro_kriminalitet",
    "nattvandring",
    "telefon",
]
PLAN["helsingborgs-stad"] = ["abc", "abc_ar", "oppen_forskola", "familjecentral", "connect", "fft", "faltare", "cafe"]
# Areas each organisation's offerings serve, besides the municipality or district of the place.
SERVES = {
    "botkyrka": ["0127", "0127-uo-alby", "0127-uo-fittja", "0127-uo-hallunda-norsborg", "0127-uo-storvreten"],
    "sodertalje": ["0181", "0181-uo-hovsjo", "0181-uo-ronna", "0181-uo-geneta", "0181-uo-lina", "0181-uo-saltskog"],
    "skarholmen": ["0180-skarholmen", "0180-uo-bredang", "0180-uo-varberg"],
    "stockholms-stad": ["0180", "0180-uo-husby", "0180-uo-rinkeby", "0180-uo-tensta", "0180-uo-hagsatra-ragsved"],
    "region-stockholm": ["01"],
    "foraldrakraft-alby": ["0127", "0127-uo-alby", "0127-uo-fittja"],
    "mammor-pappor-hovsjo": ["0181", "0181-uo-hovsjo"],
    "malmo-stad": ["1280", "1280-uo-rosengard", "1280-uo-sodra-sofielund-seved", "1280-uo-holma-kroksback"],
    "helsingborgs-stad": ["1283", "1283-uo-dalhem-drottninghog-fredriksdal"],
}


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def load_offerings(organisations: dict[str, Organisation], user_email: str) -> int:
    """Create the demo offerings that do not exist yet; return how many were created."""
    rng = random.Random(2026)
    today = timezone.localdate()
    existing = set(Service.objects.filter(organisation__slug__in=PLAN).values_list("uuid", flat=True))
    areas = {
        a.code: a
        for a in Area.objects.filter(
            code__in={c for codes in SERVES.values() for c in codes}
            | {p.area_code for ps in PLACES.values() for p in ps}
        )
    }
    created = 0
    locations: dict[tuple[str, str], Location] = {}
    for slug, kinds in PLAN.items():
        organisation = organisations[slug]
        places = PLACES[slug]
        # The same kind at the same place is one offering: a group held twice is one offering with two group
        # series (each with its own weekday and start), not two offerings a parent cannot tell apart.
        draws: dict[int, list[tuple[float, float, int]]] = {}
        first: dict[tuple[str, str], int] = {}
        for index, key in enumerate(kinds):
            draw = (rng.random(), rng.random(), rng.randrange(3, 60))  # drawn even when skipped: stable output
            draws.setdefault(first.setdefault((key, places[index % len(places)].name), index), []).append(draw)
        for index, series in draws.items():
            key = kinds[index]
            service_uuid = uuid.uuid5(NAMESPACE, f"{slug}:{index}")
            draw = series[0]
            if service_uuid in existing:
                continue
            kind = KINDS[key]
            place = places[index % len(places)]
            served = [areas[c] for c in SERVES[slug] if c in areas]
            if place.area_code in areas and areas[place.area_code] not in served:
                served.append(areas[place.area_code])
            location = None
            if "phone" not in kind.formats and "digital" not in kind.formats:
                location = locations.get((slug, place.name)) or _location(organisation, place, areas)
                locations[(slug, place.name)] = location
            service = services.save_service(organisation, _data(kind, place, location, served, series, today))
            Service.objects.filter(pk=service.pk).update(uuid=service_uuid)
            service.uuid = service_uuid
            _set_freshness(service, draw[0], today, user_email)
            created += 1
    return created


def _location(organisation: Organisation, place: Place, areas: dict[str, Area]) -> Location:
    location, _created = Location.objects.get_or_create(
        organisation=organisation,
        name=place.name,
        defaults={
            "municipality": areas[place.area_code],
            "address": place.address,
            "postal_code": place.postal_code,
            "city": place.city,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "transportation_sv": "Buss eller tunnelbana till centrum, sedan några minuters promenad.",
            "transportation_en": "Bus or metro to the centre, then a few minutes' walk.",
        },
    )
    return location


def _data(
    kind: Kind,
    place: Place,
    location: Location | None,
    served: list[Area],
    series: list[tuple[float, float, int]],
    today: date,
) -> services.ServiceData:
    draw = series[0]
    name = f"{kind.name} – {place.name}"
    fields = {
        "name_sv": name,
        "description_sv": kind.description,
        "name_en": f"{kind.name_en} – {place.name}" if kind.name_en else "",
        "description_en": kind.description_en,
        "level": kind.level,
        "minimum_age": kind.ages[0],
        "maximum_age": kind.ages[1],
        "is_free": not kind.fee,
        "fees_description": kind.fee,
        "interpretation_available": kind.interpretation or draw[1] < 0.5,
        "method_name": kind.method,
        "email": "kontakt@" + place.city.lower().replace("ä", "a").replace("ö", "o").replace(" ", "") + ".demo.example",
        "application_process": "Ring eller mejla oss, så berättar vi mer. Du kan också komma förbi."
        if not kind.hours
        else "",
    }
    for key, value in kind.translations.items():
        fields[key] = f"{value} – {place.name}" if key.startswith("name_") else value
    schedules = []
    if kind.group_meetings:
        for number, (_roll, weekday_roll, days_ahead) in enumerate(series):
            weekday = (int(weekday_roll * 4) + number) % 4  # Monday to Thursday, another day for another series
            start = _weekday_on_or_after(today + timedelta(days=days_ahead + 70 * number), weekday)
            schedules.append(
                services.ScheduleData(
                    ["MO", "TU", "WE", "TH"][weekday : weekday + 1],
                    time(17, 30) if number == 0 else time(9, 30),
                    time(19, 30) if number == 0 else time(11, 30),
                    start,
                    None,
                    kind.group_meetings,
                )
            )
    elif kind.hours:
        days, opens, closes = kind.hours
        schedules.append(services.ScheduleData(days.split(","), time.fromisoformat(opens), time.fromisoformat(closes)))
    at_place = location is not None
    return services.ServiceData(
        fields=fields,
        terms={
            Taxonomy.FORMAT: list(kind.formats),
            Taxonomy.ARENA: list(kind.arenas),
            Taxonomy.TOPIC: list(kind.topics),
            Taxonomy.LANGUAGE: list(kind.languages),
        },
        areas=served,
        locations=[location] if location else [],
        schedules=schedules,
        contact_name=f"{place.name}, mottagningen" if at_place else "Föräldrarådgivningen",
        phone=f"08-123 {400 + int(draw[1] * 99):03d} {int(draw[0] * 89) + 10:02d}",
    )


def _set_freshness(service: Service, roll: float, today: date, user_email: str) -> None:
    """Most offerings were checked recently; some need checking, a few are a year old, a few are drafts."""
    if roll < 0.06:
        return  # stays a draft
    if roll < 0.14:
        checked = today - timedelta(days=400 + int(roll * 100))
    elif roll < 0.28:
        checked = today - timedelta(days=200 + int(roll * 300))
    else:
        checked = today - timedelta(days=int(roll * 90))
    Service.objects.filter(pk=service.pk).update(status=Status.ACTIVE, assured_date=checked, assurer_email=user_email)


# The county board's own additions to the national base texts (finder.base_pages): what is local.
PAGES = {
    PageKind.ABOUT_SOCIAL_SERVICES: {
        "title_sv": "Socialtjänsten i Stockholms län",
        "title_en": "Social services in Stockholm County",
        "title_ar": "الخدمات الاجتماعية في محافظة ستوكهولم",
        "title_so": "Adeegga bulshada ee gobolka Stockholm",
        "summary_sv": "Varje kommun i länet har en mottagning för barn och familjer som du kan ringa på dagtid.",
        "summary_en": "Every municipality in the county has a service for children and families you can call by day.",
        "summary_ar": "لكل بلدية في المحافظة مكتب للأطفال والأسر يمكنك الاتصال به نهارًا.",
        "summary_so": "Degmo kasta oo gobolka ku taal waxay leedahay xafiis carruurta iyo qoysaska oo aad maalintii wici karto.",
        "body_sv": "Många kommuner har öppna träffar på familjecentraler där du kan ställa frågor utan att boka tid. "
        "Du hittar dem i sökningen under ”Universellt stöd”.",
        "body_en": "Many municipalities hold open sessions at family centres where you can ask questions without an "
        "appointment. You find them in the search under “Universal support”.",
        "body_ar": "تنظم بلديات كثيرة لقاءات مفتوحة في مراكز الأسرة يمكنك فيها طرح الأسئلة دون موعد.",
        "body_so": "Degmooyin badan waxay xarumaha qoysaska ku qabtaan kulamo furan oo aad su'aalo ku weydiin karto "
        "adigoon ballan qabsan.",
    },
    PageKind.WORRIED_NOW: {
        "title_sv": "I Stockholms län",
        "title_en": "In Stockholm County",
        "title_ar": "في محافظة ستوكهولم",
        "title_so": "Gobolka Stockholm",
        "summary_sv": "Fältassistenter arbetar i alla kommuner med utsatta områden, ofta på kvällar.",
        "summary_en": "Field workers work in every municipality with vulnerable areas, often in the evenings.",
        "summary_ar": "يعمل العاملون الميدانيون في كل بلدية فيها مناطق ضعيفة، غالبًا في المساء.",
        "summary_so": "Shaqaalaha goobta waxay ka shaqeeyaan degmo kasta oo leh xaafado nugul, inta badan fiidkii.",
        "body_sv": "På kvällar och helger svarar socialjouren. Välj din kommun ovan så ser du numren.",
        "body_en": "In the evenings and at weekends, the emergency social services answer. Choose your municipality "
        "above to see the numbers.",
        "body_ar": "في المساء وفي عطلة نهاية الأسبوع تجيب خدمة الطوارئ الاجتماعية. اختر بلديتك أعلاه لترى الأرقام.",
        "body_so": "Fiidkii iyo dhammaadka toddobaadka waxaa ka jawaaba adeegga bulshada ee degdegga ah. Dooro "
        "degmadaada kor si aad u aragto lambarrada.",
    },
}

CONTACTS = [
    (
        "botkyrka",
        "0127",
        ContactKind.SOCIAL_SERVICES,
        "Socialtjänsten Botkyrka, mottagningen (demo)",
        "08-123 410 00",
        "Vardagar 8–16",
    ),
    (
        "botkyrka",
        "0127",
        ContactKind.EMERGENCY_SOCIAL_SERVICES,
        "Socialjouren Södertörn (demo)",
        "08-123 410 99",
        "Kvällar och helger",
    ),
    (
        "botkyrka",
        "0127",
        ContactKind.FIELD_WORKERS,
        "Fältassistenterna Botkyrka (demo)",
        "08-123 410 50",
        "Vardagar 13–21",
    ),
    (
        "sodertalje",
        "0181",
        ContactKind.SOCIAL_SERVICES,
        "Socialtjänsten Södertälje, mottagningen (demo)",
        "08-123 420 00",
        "Vardagar 8–16",
    ),
    (
        "sodertalje",
        "0181",
        ContactKind.EMERGENCY_SOCIAL_SERVICES,
        "Socialjouren Södertälje (demo)",
        "08-123 420 99",
        "Kvällar och helger",
    ),
    (
        "sodertalje",
        "0181",
        ContactKind.FIELD_WORKERS,
        "Fältgruppen Södertälje (demo)",
        "08-123 420 50",
        "Vardagar 14–22",
    ),
    (
        "skarholmen",
        "0180-skarholmen",
        ContactKind.SOCIAL_SERVICES,
        "Socialtjänsten Skärholmen, mottagningen (demo)",
        "08-123 430 00",
        "Vardagar 8–16",
    ),
    (
        "skarholmen",
        "0180-skarholmen",
        ContactKind.FIELD_WORKERS,
        "Fältassistenterna Skärholmen (demo)",
        "08-123 430 50",
        "Vardagar 13–21",
    ),
    (
        "stockholms-stad",
        "0180",
        ContactKind.EMERGENCY_SOCIAL_SERVICES,
        "Socialjouren Stockholm (demo)",
        "08-123 440 99",
        "Dygnet runt",
    ),
    (
        "stockholms-stad",
        "0180",
        ContactKind.PARENT_LINE,
        "Föräldratelefonen Stockholm (demo)",
        "08-123 440 10",
        "Vardagar 9–16",
    ),
]


CONTACTS += [
    (
        "malmo-stad",
        "1280",
        ContactKind.SOCIAL_SERVICES,
        "Socialtjänsten Malmö, mottagningen (demo)",
        "040-123 450 00",
        "Vardagar 8–16",
    ),
    (
        "malmo-stad",
        "1280",
        ContactKind.EMERGENCY_SOCIAL_SERVICES,
        "Socialjouren Malmö (demo)",
        "040-123 450 99",
        "Dygnet runt",
    ),
    (
        "helsingborgs-stad",
        "1283",
        ContactKind.SOCIAL_SERVICES,
        "Socialtjänsten Helsingborg, mottagningen (demo)",
        "042-123 460 00",
        "Vardagar 8–16",
    ),
]


# Languages the people who answer speak (demo): an interpreter can always be booked besides.
CONTACT_LANGUAGES = {
    "botkyrka": ["sv", "ar", "so", "tr"],
    "sodertalje": ["sv", "ar", "ti"],
    "skarholmen": ["sv", "so", "ar"],
    "stockholms-stad": ["sv", "en", "ar", "so", "fa"],
    "malmo-stad": ["sv", "ar", "bs"],
    "helsingborgs-stad": ["sv", "ar"],
}


def load_information(organisations: dict[str, Organisation]) -> None:
    """The county board's two trusted pages and the municipalities' local contacts (demo numbers)."""
    owner = organisations["lansstyrelsen-stockholm"]
    for kind, texts in PAGES.items():
        InformationPage.objects.update_or_create(organisation=owner, kind=kind, defaults=dict(texts))
    areas = {a.code: a for a in Area.objects.filter(code__in={c[1] for c in CONTACTS})}
    for slug, code, contact_kind, name, phone, hours in CONTACTS:
        LocalContact.objects.update_or_create(
            organisation=organisations[slug],
            area=areas[code],
            kind=contact_kind,
            name=name,
            defaults={"phone": phone, "hours": hours, "languages": CONTACT_LANGUAGES.get(slug, ["sv"])},
        )


# The same offering listed twice, as happens in a real directory: a spreadsheet imported on top of what was
# typed, and an association listing the course it runs with the municipality (its own place, same address).
# (organisation that lists it again, name of the published original, the name it is listed under again)
LISTED_TWICE = [
    ("botkyrka", "ABC – Alla Barn i Centrum – Familjecentralen Alby", "ABC Alla barn i centrum, Familjecentralen Alby"),
    ("foraldrakraft-alby", "COPE – föräldrakurs – Hallunda familjehus", "COPE föräldrakurs i Hallunda familjehus"),
]


def load_duplicates(organisations: dict[str, Organisation], user_email: str) -> int:
    """List a few offerings a second time (directory.duplicates flags the later listing); once."""
    from stodkedjan.accounts.models import User

    user = User.objects.filter(email=user_email).first()
    created = 0
    for slug, original_name, name in LISTED_TWICE:
        listed_uuid = uuid.uuid5(NAMESPACE, f"twice:{slug}:{name}")
        original = Service.objects.filter(name_sv=original_name, status=Status.ACTIVE).order_by("pk").first()
        if original is None or Service.objects.filter(uuid=listed_uuid).exists():
            continue
        copy = services.duplicate(original)
        organisation = organisations[slug]
        Service.objects.filter(pk=copy.pk).update(uuid=listed_uuid, name_sv=name, organisation=organisation)
        if organisation != original.organisation:  # its own place, at the same address
            for link in copy.service_at_locations.select_related("location"):
                place = link.location
                own, _created = Location.objects.get_or_create(
                    organisation=organisation,
                    name=place.name,
                    defaults={
                        "municipality": place.municipality,
                        "address": place.address,
                        "postal_code": place.postal_code,
                        "city": place.city,
                        "latitude": place.latitude,
                        "longitude": place.longitude,
                    },
                )
                link.location = own
                link.save()
        copy.refresh_from_db()
        services.set_status(copy, Status.ACTIVE, user)
        created += 1
    return created
