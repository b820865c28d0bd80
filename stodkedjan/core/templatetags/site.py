"""The site's frame, drawn in Python where a template loop would be the page's costliest part."""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

from django import template
from django.utils.safestring import SafeString

from stodkedjan.core.context_processors import language_links

register = template.Library()


@register.simple_tag(takes_context=True)
def language_switcher(context: Any) -> SafeString:
    """The language links, one <li> each (``core.context_processors.language_links``): on every page, six links
    of five attributes each. Only the address differs from page to page; the rest of each link is written once
    per language and kept, and the address is escaped with the standard library's ``html.escape`` (what Django's
    ``escape`` calls, without its check for lazy text on every value)."""
    items = []
    for link in language_links(context["request"]):
        rest = _link_rest(link["code"], link["name_local"], link["bidi"], link["current"])
        items.append(f'<li><a href="{html.escape(link["url"])}"{rest}')
    return SafeString("\n".join(items))


@lru_cache(maxsize=64)
def _link_rest(code: str, name: str, bidi: bool, current: bool) -> str:
    """A language link after its address: its language, direction, whether it is the page's, and its name."""
    language = html.escape(code)
    marked = ' aria-current="true"' if current else ""
    direction = "rtl" if bidi else "ltr"
    return f' lang="{language}" hreflang="{language}" dir="{direction}"{marked}>{html.escape(name)}</a></li>'
