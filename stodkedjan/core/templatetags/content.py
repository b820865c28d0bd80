"""Template helpers for translated content, shared by the public pages of every app.

``translated`` gives a field in the reader's language, or the Swedish text marked as such, so a page can say
so (and mark it ``lang="sv"``); ``plain_text`` renders the plain-text bodies editors write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@dataclass
class Translated:
    text: str
    lang: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text


@register.simple_tag
def translated(obj: Any, field: str) -> Translated:
    """The field in the reader's language, or the Swedish text marked as such (so pages can say so)."""
    language = get_language() or settings.LANGUAGE_CODE
    text = getattr(obj, f"{field}_{language}", None)
    if text:
        return Translated(text, language, False)
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return Translated(getattr(obj, f"{field}_{source}", "") or "", source, language != source)


@register.filter
def plain_text(body: str) -> SafeString:
    """Render the information pages' plain text: paragraphs, "## " headings and "- " lists. Escapes all."""
    html: list[str] = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            html.append(f"<h2>{escape(lines[0][3:])}</h2>")
            lines = lines[1:]
        if lines and all(line.startswith("- ") for line in lines):
            html.append("<ul>" + "".join(f"<li>{_isolated(line[2:])}</li>" for line in lines) + "</ul>")
        elif lines:
            html.append("<p>" + "<br>".join(_isolated(line) for line in lines) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece of text above is escaped


NUMBER = re.compile(r"(?<![\w])\d[\d \-–]*\d(?![\w])|(?<![\w])\d(?![\w])")


def _isolated(line: str) -> str:
    """The line escaped, with numbers ("112", "114 14", "3–12") kept left-to-right inside right-to-left text
    (otherwise "114 14" reads "14 114")."""
    return NUMBER.sub(lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>', str(escape(line)))


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def age_range(service: Any) -> SafeString:
    """ "0–18", kept left-to-right inside right-to-left text (otherwise it reads "18–0")."""
    return format_html('<bdi dir="ltr">{}–{}</bdi>', service.minimum_age, service.maximum_age)


@register.filter
def local_date(value: date | datetime | None, style: str = "long") -> SafeString:
    """A date as the reader's language writes it (CLDR through Babel: "29 mars 2026", "29 مارس 2026",
    "29 Maarso 2026"), in a ``<time>`` element, isolated so that a right-to-left page keeps its order."""
    if not value:
        return mark_safe("")
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    language = (get_language() or settings.LANGUAGE_CODE).replace("-", "_")
    return format_html(
        '<bdi><time datetime="{}">{}</time></bdi>', value.isoformat(), format_date(value, style, locale=language)
    )
