"""A short starting set of Kolada KPIs that speak to parenting support and children's conditions, offered when a
coordinator adds an indicator (issue 25). Chosen by the team; each id and its title are as Kolada's open API gave
them in the public file named in ``found_in`` (repository, path and commit), since this machine cannot reach
Kolada. Kolada renames KPIs now and then: importing the KPI list (``import_indicators --kolada``) replaces the
title and description with Kolada's current ones. ``why`` is the team's own words on what the figure tells a
county board or a municipality working with parenting support."""

from __future__ import annotations

from dataclasses import dataclass

MERIDIUM = "meridiumlabs/kolada, scripts/kolada.js @ 2445fb499c60ec1beacead94aac1bd786bbeb37a"
HELSINGBORG = "OppnaHelsingborgLabs/Kolada, kolada.js @ b47737dc5969e3ec2e07928dabc8f21deee0af2d"
LAB5 = "duckduckquack/packagelab5, tests/testthat/test-get_kpi_id.R @ 4ccc5c14dd7aca702cebc90e76ef32b564f6f8e5"


@dataclass(frozen=True)
class StarterKpi:
    code: str
    title: str
    why: str
    found_in: str


STARTING_SET: tuple[StarterKpi, ...] = (
    StarterKpi(
        "N02904",
        "Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%)",
        "Barnfattigdom: en av de starkaste riskfaktorerna, och skäl att erbjuda stöd avgiftsfritt och nära.",
        LAB5,
    ),
    StarterKpi(
        "N33009",
        "Kostnad öppna insatser barn och unga, kr/inv",
        "Hur mycket kommunen lägger på öppna insatser för barn och unga, där mycket av föräldrastödet ingår.",
        MERIDIUM,
    ),
    StarterKpi(
        "N33100",
        "Kostnad/vårddygn för institutionsvård av barn och unga 0-20 år, kr (genomsnitt)",
        "Vad vård utanför hemmet kostar, mot vilket tidigt stöd till föräldrar kan vägas.",
        MERIDIUM,
    ),
    StarterKpi(
        "N33101",
        "Kostnad/vårddygn för familjehemsvård av barn och unga 0-20 år, kr (genomsnitt)",
        "Familjehemsvårdens kostnad, för samma jämförelse med förebyggande stöd.",
        MERIDIUM,
    ),
    StarterKpi(
        "N33900",
        "Invånare 0-20 år, andel (%)",
        "Hur stor del av invånarna som är barn och unga, för att se hur stort behovet av stöd kan bli.",
        MERIDIUM,
    ),
    StarterKpi(
        "N01804",
        "Födda, antal",
        "Hur många som blir föräldrar varje år: underlag för föräldragrupper kring graviditet och de första åren.",
        HELSINGBORG,
    ),
    StarterKpi(
        "N11102",
        "Barn per årsarbetare i förskolan, antal",
        "Förskolan är en arena för universellt föräldraskapsstöd; personaltätheten säger något om utrymmet.",
        HELSINGBORG,
    ),
    StarterKpi(
        "U11401",
        "U. Plats på förskola på önskat placeringsdatum, andel barn (%)",
        "Om familjer får förskoleplats när de behöver, en skyddsfaktor för barnet och en kontaktväg till föräldrar.",
        MERIDIUM,
    ),
    StarterKpi(
        "N15418",
        "Elever i åk. 9 som uppnått målen i alla ämnen, lägeskommun, andel (%)",
        "Skolresultat: att klara skolan är en av de viktigaste skyddsfaktorerna mot att dras in i kriminalitet.",
        HELSINGBORG,
    ),
    StarterKpi(
        "U60900",
        "U. Elever i åk. 9 behöriga till gymnasieskolan, andel (%)",
        "Behörighet till gymnasiet, samma skyddsfaktor sedd vid övergången till gymnasiet.",
        MERIDIUM,
    ),
    StarterKpi(
        "U09800",
        "U. Deltagartillfällen i idrottsföreningar, antal/inv 7-20 år",
        "En meningsfull fritid i föreningslivet, en skyddsfaktor som föräldrar kan stödja.",
        MERIDIUM,
    ),
    StarterKpi(
        "N09805",
        "Aktiviteter kommunala bibliotek för barn och unga, antal/1000 inv 0-20 år",
        "Öppna arenor för barn och familjer där föräldrar kan nås.",
        MERIDIUM,
    ),
    StarterKpi(
        "N07403",
        "Anmälda våldsbrott i kommunen, antal/100 000 inv",
        "Våldsbrottsligheten i kommunen, ett av lägesmåtten för det brottsförebyggande arbetet.",
        HELSINGBORG,
    ),
)

BY_CODE = {kpi.code: kpi for kpi in STARTING_SET}


def matching(query: str) -> list[StarterKpi]:
    """The starting set's KPIs whose id, title or reason holds every word of ``query`` (any case)."""
    words = query.casefold().split()
    return [kpi for kpi in STARTING_SET if all(w in f"{kpi.code} {kpi.title} {kpi.why}".casefold() for w in words)]
