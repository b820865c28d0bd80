"""Template helpers for the public pages: translated content with a visible fallback, plain-text bodies."""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

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


@register.simple_tag
def result_items(results: Any) -> SafeString:
    """The page's result cards (kept whole, ``finder.cards``) with what differs from one search to the next: the
    words each matched, and where it lies and how far. Drawn here rather than in a template loop, and joined as
    text: every results page has twenty, and the kept parts are safe HTML already; what the parent typed and the
    area's name are escaped once each (by the standard library's ``html.escape``, which Django's ``escape``
    calls after checking every value for lazy text)."""
    area = results.area
    matches = html.escape(gettext("Matches your words:"))
    here = away = ""
    if area is not None:
        here = html.escape(gettext("In %(area)s") % {"area": area.name})
        away = html.escape(gettext("Serves %(area)s from elsewhere") % {"area": area.name})
    about = html.escape(gettext("about %(km)s km away"))
    items = []
    for hit in results.page.object_list:
        lines = [hit.card.head]
        if hit.matched_words:
            words = ", ".join(f"<mark>{html.escape(word)}</mark>" for word in hit.matched_words)
            lines.append(f'<p class="result__why">{matches} {words}</p>')
        where = [here if hit.here else away] if area is not None else []
        if hit.distance_km is not None:  # the number kept left to right on a right-to-left page
            where.append(about % {"km": f'<bdi dir="ltr">{html.escape(number_format(hit.distance_km))}</bdi>'})
        if where:
            lines.append(f'<p class="result__where">{" · ".join(where)}</p>')
        lines.append(hit.card.body)
        body = "\n    ".join(lines)
        items.append(
            f'<li class="result">\n  <article aria-labelledby="result-{int(hit.pk)}">\n    {body}\n  </article>\n</li>'
        )
    return SafeString("\n".join(items))


@register.simple_tag
def select_options(field: Any, lang_attribute: bool = False, capitalise: bool = False) -> SafeString:
    """A choice field's <option>s with the submitted value chosen; with ``lang_attribute`` each option says which
    language its label is written in. The options are drawn once per language and field (every search page has
    twenty languages, each label a translation), then the chosen one is marked."""
    options = _options(field.form.__class__, field.name, get_language() or "", lang_attribute, capitalise)
    chosen = str(field.value() or "")
    if chosen:
        marker = format_html('value="{}"', chosen)
        options = options.replace(f"{marker}>", f"{marker} selected>", 1).replace(
            f"{marker} lang=", f"{marker} selected lang=", 1
        )
    return SafeString(options)


@lru_cache(maxsize=256)
def _options(form_class: Any, name: str, language: str, lang_attribute: bool, capitalise: bool) -> str:
    choices = form_class.base_fields[name].choices
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (
                value,
                format_html(' lang="{}"', value) if lang_attribute and value else "",
                capfirst(label) if capitalise else label,
            )
            for value, label in choices
        ),
    )
