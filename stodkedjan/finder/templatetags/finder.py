"""Template helpers for the public pages: translated content with a visible fallback, plain-text bodies."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from stodkedjan.core.templatetags import content
from stodkedjan.directory.models import LANGUAGE_NAMES, choices_of

register = template.Library()
# The finder's templates load one library; the shared helpers come from core.
register.simple_tag(content.translated)
register.filter("plain_text", content.plain_text)
register.filter("get_item", content.get_item)
register.filter("local_date", content.local_date)
register.filter("age_range", content.age_range)


@register.filter
def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@register.filter
def terms_of(service: Any, taxonomy: str) -> list[Any]:
    """The service's terms of one taxonomy (from the prefetched ``terms``), as readable labels."""
    labels = dict(choices_of(taxonomy))
    return [labels.get(t.code, t.code) for t in service.terms.all() if t.taxonomy == taxonomy]


@register.filter
def language_codes(service: Any) -> list[str]:
    return [t.code for t in service.terms.all() if t.taxonomy == "language"]


@register.filter
def weekdays(schedule: Any) -> str:
    """The schedule's weekdays in the reader's language ("Monday, Thursday")."""
    from stodkedjan.directory.models import Weekday

    labels = dict(Weekday.choices)
    return ", ".join(str(labels.get(d, d)) for d in schedule.days)


@register.filter
def time_range(schedule: Any) -> SafeString:
    return format_html(
        '<bdi dir="ltr">{}–{}</bdi>', schedule.opens_at.strftime("%H:%M"), schedule.closes_at.strftime("%H:%M")
    )


@register.simple_tag
def area_option_groups(groups: list[tuple[str, list[tuple[str, str]]]], selected: Any = "") -> SafeString:
    """The area filter's <optgroup>s, one per county. Rendered here, not in a template loop: the list has
    every municipality, district and vulnerable area, and a loop over it was most of a search page's time."""
    selected = str(selected or "")
    parts: list[str] = []
    for county, options in groups:
        parts.append(format_html('<optgroup label="{}">', county))
        parts.extend(
            format_html('<option value="{}"{}>{}</option>', code, " selected" if code == selected else "", name)
            for code, name in options
        )
        parts.append("</optgroup>")
    return SafeString("".join(parts))
