"""The national base texts of the two pages a worried parent reads ("Worried right now?" and "About social
services"), shipped in all six site languages (``texts/<kind>.<language>.md``, sources in ``texts/SOURCES.md``).

The base text always shows; a municipality's or county board's own page (``InformationPage``) is added after it,
so every parent gets the same checked facts and the local page adds what is local.

A file is ``key: value`` lines (``title``, ``summary``; ``review`` notes a translation that needs a native
speaker's review and is not shown), a line ``---``, then the body in the pages' plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings

TEXTS_DIR = Path(__file__).parent / "texts"
REVIEWED = date(2026, 12, 3)  # when the team last checked every text against its sources


@dataclass(frozen=True)
class BasePage:
    title: str
    summary: str
    body: str
    lang: str
    is_fallback: bool  # the reader's language has no text: this is the Swedish one
    reviewed: date = REVIEWED


@cache
def _read(kind: str, language: str) -> BasePage | None:
    path = TEXTS_DIR / f"{kind}.{language}.md"
    if not path.is_file():
        return None
    head, _rule, body = path.read_text(encoding="utf-8").partition("\n---\n")
    fields = dict(line.split(":", 1) for line in head.splitlines() if ":" in line)
    return BasePage(fields["title"].strip(), fields.get("summary", "").strip(), body.strip(), language, False)


def base_page(kind: str, language: str | None) -> BasePage | None:
    """The base text of a page in the reader's language, else the Swedish one (marked as a fallback)."""
    found = _read(kind, language or settings.LANGUAGE_CODE)
    if found is not None:
        return found
    source = _read(kind, settings.LANGUAGE_CODE)
    return None if source is None else replace(source, is_fallback=True)
