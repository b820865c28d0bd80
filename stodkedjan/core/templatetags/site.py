"""The site's frame, drawn in Python where a template loop would be the page's costliest part."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from stodkedjan.core.context_processors import language_links

register = template.Library()


@register.simple_tag(takes_context=True)
def language_switcher(context: Any) -> SafeString:
    """The language links, one <li> each (``core.context_processors.language_links``): on every page, six links
    of five attributes each."""
    return format_html_join(
        "\n",
        '<li><a href="{}" lang="{}" hreflang="{}" dir="{}"{}>{}</a></li>',
        (
            (
                link["url"],
                link["code"],
                link["code"],
                "rtl" if link["bidi"] else "ltr",
                SafeString(' aria-current="true"') if link["current"] else "",
                link["name_local"],
            )
            for link in language_links(context["request"])
        ),
    )
