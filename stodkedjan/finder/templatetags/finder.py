"""Template helpers for the public pages: translated content with a visible fallback, plain-text bodies."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from stodkedjan.core.templatetags import content
from stodkedjan.directory.models import LANGUAGE_NAMES, choices_of
from stodkedjan.finder import queries

register = template.Library()
# The finder's templates load one library; the shared helpers come from core.
register.simple_tag(content.translated)
register.filter("plain_text", content.plain_text)
register.filter("get_item", content.get_item)
register.filter("local_date", content.local_date)
register.filter("age_range", content.age_range)


@register.filter
def date_list(days: list[Any]) -> SafeString:
    """Dates as the reader's language writes them, each isolated, in a list."""
    return SafeString(", ".join(content.local_date(day, "medium") for day in days))


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
def area_option_groups(selected: Any = "") -> SafeString:
    """The area filter's <optgroup>s, one per county, with ``selected`` chosen (see ``queries.area_options_html``)."""
    return queries.area_options_html(str(selected or ""))
