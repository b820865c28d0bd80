"""Demo survey: the county board's interview guide for parents (Swedish, Arabic, Somali, read from an
XLSForm), a round in Husby and Alby with fictional answers, coded free text, and one group (Somali) kept
under the minimum size so the analysis shows suppression. Every answer is invented."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.geo.models import Area
from stodkedjan.surveys import services, xlsform
from stodkedjan.surveys.models import Mode, Questionnaire, Response, SurveyRound
from stodkedjan.surveys.scrub import scrub

GUIDE = Path(__file__).parent / "data" / "intervjuguide_foraldrar.md"
TITLE = "Intervjuguide: vad behöver föräldrar? (demo)"
INTRO = {
    "sv": "Länsstyrelsen vill veta vilket stöd du som förälder vill ha och vad som gör det möjligt att söka det.",
    "ar": "تريد هيئة المقاطعة أن تعرف نوع الدعم الذي تريده كوالد وما الذي يسهل عليك طلبه.",
    "so": "Maamulka gobolku wuxuu rabaa inuu ogaado taageerada aad rabto adigoo waalid ah "
    "iyo waxa suurtagelinaya inaad raadsato.",
}
AREAS = ["0180-uo-husby", "0127-uo-alby"]
# (language, how many): Somali is kept under five so that its column is suppressed in the demo.
LANGUAGES = [("sv", 26), ("ar", 24), ("so", 3)]
TEXTS = [
    "Information på arabiska och någon att fråga på plats.",
    "Träffar på kvällen eller helgen, jag jobbar dagtid.",
    "Att någon förklarar vad socialtjänsten gör, många är rädda.",
    "Om förskolan berättar om grupperna.",
    "Ring mig gärna på 070-123 45 67 om det finns en grupp.",
    "Barnvakt under träffarna så att jag kan komma.",
    "Att det är gratis och att man inte behöver anmäla sig.",
    "Någon jag litar på, som pratar mitt språk.",
    "Att träffarna är nära, i Husby träff eller på biblioteket.",
    "Mer information i skolan om vart man kan vända sig.",
]
THEMES = {
    "Språk och information": [0, 3, 7, 9],
    "Tider och praktiska hinder": [1, 5, 6, 8],
    "Förtroende för socialtjänsten": [2, 7],
}


def load_surveys(organisations: dict[str, Organisation]) -> None:
    county_board = organisations["lansstyrelsen-stockholm"]
    if Questionnaire.objects.filter(organisation=county_board, title=TITLE).exists():
        return
    definition = xlsform.read_path(GUIDE)
    definition["intro"] = INTRO
    definition["title"].update({"ar": "ماذا تحتاج كوالد؟", "so": "Maxaad u baahan tahay adigoo waalid ah?"})
    questionnaire = services.create_questionnaire(county_board, TITLE, definition, source=GUIDE.name)
    today = timezone.localdate()
    areas = list(Area.objects.filter(code__in=AREAS).order_by("code"))
    survey_round = services.create_round(
        questionnaire,
        {
            "title": "Föräldraintervjuer i Husby och Alby hösten (demo)",
            "opens_on": today - timedelta(days=40),
            "closes_on": today + timedelta(days=40),
            "languages": ["sv", "ar", "so"],
            "min_cell_size": 5,
            "self_completion": True,
            "interviews": True,
            "layout": "paged",
            "areas": areas,
        },
    )
    rng = random.Random(2026)  # noqa: S311 - the same fictional answers on every machine, not a secret
    responses = []
    n = 0
    for language, count in LANGUAGES:
        for _i in range(count):
            answers: dict[str, object] = {
                "children_ages": sorted(rng.sample(["age_0_5", "age_6_12", "age_13_18"], rng.choice([1, 1, 2]))),
                "knows_support": rng.choice(["yes", "yes", "no"] if language == "sv" else ["yes", "no", "no"]),
                "wanted_support": sorted(rng.sample(["group", "talk", "own_language", "digital", "meet"], 2)),
                "trust_social": rng.choice(["1", "2", "2", "3", "3", "4"]),
                "barriers": sorted(rng.sample(["language", "time", "unknown", "fear", "shame"], rng.choice([1, 2]))),
            }
            if answers["knows_support"] == "yes":
                answers["used_support"] = rng.choice(["yes", "no"])
            if n < len(TEXTS) * 4 and n % 2 == 0:
                answers["what_helps"] = scrub(TEXTS[(n // 2) % len(TEXTS)])
            responses.append(
                Response(
                    round=survey_round,
                    area=areas[n % 2] if n % 17 else None,
                    language=language,
                    mode=Mode.INTERVIEWER if n % 3 == 0 else Mode.SELF,
                    answers=answers,
                    submitted_on=today - timedelta(days=rng.randint(0, 30)),
                    submission_key=f"demo-{n}",
                )
            )
            n += 1
    Response.objects.bulk_create(responses)
    _code_free_text(survey_round, responses)


def _code_free_text(survey_round: SurveyRound, responses: list[Response]) -> None:
    texts = [r for r in responses if "what_helps" in r.answers]
    by_text = {scrub(t): i for i, t in enumerate(TEXTS)}
    codes: dict[str, set[int]] = {}
    for name, indexes in THEMES.items():
        theme = services.add_theme(survey_round, "what_helps", name)
        for response in texts:
            if by_text.get(response.answers["what_helps"]) in indexes:
                codes.setdefault(str(response.pk), set()).add(theme.pk)
    services.code_answers(survey_round, "what_helps", codes)
