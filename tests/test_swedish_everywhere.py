"""Every staff and public page a role reaches by links from its home, in Swedish, holds no English from our own
catalogue and answers without a server error.

The check reads the catalogue, not a word list: any source text (msgid) of three words or more that has a
Swedish translation different from itself must not appear on a Swedish page — if it does, the page shows a
string that was never translated when rendered (marked too late, built outside gettext, a missing msgstr).
The crawl starts at the staff home, follows the links it finds (same site, Swedish, GET), and so also proves
that each page is reachable without typing an address."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from stodkedjan.accounts.models import User
from stodkedjan.demo import services as demo

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "sv" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(\(\w+\))?[sd]|\{[^}]*\}")
PAGES_PER_ROLE = 150
PAGES_OF_A_KIND = 2
SKIP = re.compile(r"\.(pdf|docx|xlsx|csv|ics|json|zip|png|svg)$|/logout|/account/|/admin/|format=|/print/|/export/")
ROLES = ["county.admin@demo.example", "local.editor@demo.example", "national.viewer@demo.example"]


def english_source_texts() -> list[str]:
    """Source texts of three words or more (placeholders cut out) that Swedish does not write the same way —
    whether translated or not: an untranslated one shows as English too."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    found = set()
    for message in catalogue:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        swedish = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in sources:
            if source in swedish:
                continue
            for piece in PLACEHOLDER.split(source):
                piece = (piece or "").strip(" .,:;–-")
                if len(piece.split()) >= 3:
                    found.add(piece)
    return sorted(found)


class Page(HTMLParser):
    """The page's visible text and the links in it."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def kind_of_page(url: str) -> str:
    """The page's kind: its path with every part that holds a number or a code put as "#" (one area page is
    much like another), so that the crawl sees many kinds of page rather than every area."""
    return re.sub(r"/[^/]*[\d-][^/]*", "/#", url.split("?")[0])


def crawl(client: Any, start: str) -> dict[str, str]:
    """Visible text of the Swedish pages reachable from ``start`` by links: up to PAGES_OF_A_KIND of each kind,
    PAGES_PER_ROLE in all."""
    seen: dict[str, str] = {}
    kinds: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url in seen or kinds.get(kind_of_page(url), 0) >= PAGES_OF_A_KIND:
            continue
        kinds[kind_of_page(url)] = kinds.get(kind_of_page(url), 0) + 1
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[url] = ""
            continue
        page = Page()
        page.feed(response.content.decode())
        seen[url] = " ".join(" ".join(page.text).split())
        for href in page.links:
            href = href.split("#")[0]
            if href.startswith("/sv/") and not SKIP.search(href) and href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize("email", ROLES)
def test_no_page_a_role_reaches_shows_english_from_the_catalogue(client: Any, db: Any, email: str) -> None:
    demo.load_demo()
    client.force_login(User.objects.get(email=email))
    pages = crawl(client, "/sv/staff/")
    assert len(pages) > 20, "the crawl reached the role's pages"
    texts = english_source_texts()
    assert len(texts) > 300
    found = [(url, msgid) for url, text in pages.items() for msgid in texts if msgid in text]
    assert found == []
