from __future__ import annotations

import re
from datetime import date
from typing import Any

from babel import Locale, UnknownLocaleError
from django import template
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from stodkedjan.surveys.definition import text_in
from stodkedjan.surveys.forms import KINDS_LABELS, language_display_name, relevant_as_text

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """A language in its own name (how a speaker of it recognises it), from Django's list or CLDR's."""
    if code in LANG_INFO:
        return str(LANG_INFO[code].get("name_local", code))
    return language_display_name(code)


REASONS = {
    "privacy": _("Would identify a parent, a device or a place: never asked."),
    "metadata": _("Every response keeps its date anyway, and only the date."),
    "external_file": _("Its options are in a separate file, which Stödkedjan cannot read yet."),
    "unsupported": _("A question type Stödkedjan does not ask."),
    "duplicate": _("Another question has the same name."),
    "layout": _("A row that lays out a table, not a question."),
}


@register.filter
def left_out_reason(item: dict[str, str]) -> str:
    """Why an imported row is not asked, in the reader's language."""
    if item.get("reason") == "expression":
        return _("Its condition or calculation cannot be read: %(detail)s") % {"detail": item.get("detail", "")}
    if item.get("reason") == "invalid":
        return item.get("detail", "")
    return str(REASONS.get(item.get("reason", ""), item.get("reason", "")))


@register.filter
def expression_text(xpath: str) -> str:
    """An imported condition as its author wrote references: ``${name}`` again for ``/data/name``."""
    return re.sub(r"/data/([A-Za-z_][A-Za-z0-9_.-]*)", r"${\1}", xpath or "")


@register.filter
def direction(code: str) -> str:
    """Right to left for the site's own (Arabic, Persian) and for any other language CLDR writes so."""
    if code in settings.LANGUAGES_BIDI:
        return "rtl"
    try:
        return "rtl" if Locale.parse(code.replace("-", "_")).character_order == "right-to-left" else "ltr"
    except (UnknownLocaleError, ValueError):
        return "ltr"


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
