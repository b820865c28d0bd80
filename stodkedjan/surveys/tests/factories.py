"""Test data for surveys: a small questionnaire in Swedish and Arabic, and a round of it."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.surveys import services
from stodkedjan.surveys.models import Mode, Response, SurveyRound

_keys = itertools.count()


def yes_no() -> list[dict[str, Any]]:
    return [{"name": "yes", "label": {"sv": "Ja", "ar": "نعم"}}, {"name": "no", "label": {"sv": "Nej", "ar": "لا"}}]


def definition() -> dict[str, Any]:
    return {
        "languages": ["sv", "ar"],
        "title": {"sv": "Vad behöver du?", "ar": "ماذا تحتاج؟"},
        "intro": {"sv": "Några frågor om stöd."},
        "questions": [
            {
                "name": "support",
                "kind": "select_one",
                "label": {"sv": "Får du stöd?", "ar": "هل تحصل على دعم؟"},
                "required": True,
                "choices": yes_no(),
            },
            {
                "name": "why",
                "kind": "text",
                "label": {"sv": "Varför inte?", "ar": "لماذا لا؟"},
                "relevant": {"question": "support", "operator": "=", "value": "no"},
            },
            {"name": "kids", "kind": "integer", "label": {"sv": "Hur många barn har du?", "ar": "كم طفلا لديك؟"}},
            {
                "name": "arenas",
                "kind": "select_multiple",
                "label": {"sv": "Var?", "ar": "أين؟"},
                "choices": [
                    {"name": "bvc", "label": {"sv": "BVC"}},
                    {"name": "school", "label": {"sv": "Skolan"}},
                    {"name": "library", "label": {"sv": "Biblioteket"}},
                ],
            },
            {
                "name": "trust",
                "kind": "likert",
                "label": {"sv": "Förtroende?", "ar": "ثقة؟"},
                "choices": [{"name": str(n), "label": {"sv": str(n)}} for n in range(1, 5)],
            },
        ],
    }


def make_areas(organisation: Organisation) -> list[Area]:
    """Two vulnerable areas inside the organisation's municipality."""
    parent = organisation.area
    return [
        Area.objects.get_or_create(
            code=f"{parent.code}-uo-{slug}",
            defaults={"name": name, "kind": AreaKind.VULNERABLE_AREA, "parent": parent, "county": parent.county},
        )[0]
        for slug, name in (("norra", "Norra"), ("sodra", "Södra"))
    ]


def make_round(organisation: Organisation, **overrides: Any) -> SurveyRound:
    questionnaire = services.create_questionnaire(organisation, "Enkät", overrides.pop("definition", definition()))
    today = timezone.localdate()
    data = {
        "title": "Höstens intervjuer",
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=30),
        "languages": ["sv", "ar"],
        "min_cell_size": 5,
        "self_completion": True,
        "interviews": True,
        "layout": "single",
        "areas": make_areas(organisation),
        **overrides,
    }
    return services.create_round(questionnaire, data)


def add_responses(
    survey_round: SurveyRound, count: int, area: Area | None = None, language: str = "sv", **answers: Any
) -> None:
    Response.objects.bulk_create(
        Response(
            round=survey_round,
            area=area,
            language=language,
            mode=Mode.SELF,
            answers=answers,
            submitted_on=timezone.localdate(),
            submission_key=f"test-{next(_keys)}",
        )
        for _n in range(count)
    )
