from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.conf import settings
from django.conf.locale import LANG_INFO

from stodkedjan.surveys.definition import text_in
from stodkedjan.surveys.forms import KINDS_LABELS, relevant_as_text

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """A language in its own name (how a speaker of it recognises it)."""
    return LANG_INFO.get(code, {}).get("name_local", code)


@register.filter
def direction(code: str) -> str:
    return "rtl" if code in settings.LANGUAGES_BIDI else "ltr"


@register.filter
def in_language(texts: dict[str, str], language: str) -> str:
    return text_in(texts, language, language)


@register.filter
def missing_languages(texts: dict[str, str], languages: list[str]) -> list[str]:
    return [language_name(code) for code in languages if not (texts or {}).get(code)]


@register.filter
def kind_label(kind: str) -> Any:
    return KINDS_LABELS.get(kind, kind)


@register.filter
def relevant_text(condition: dict[str, str]) -> str:
    return relevant_as_text(condition)


@register.filter
def is_open(survey_round: Any, today: date) -> bool:
    return survey_round.is_open(today)
