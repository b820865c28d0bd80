"""Fetching Kolada's answers into files for ``import_indicators`` (``manage.py fetch_kolada``).

Only this command talks to Kolada, and only when someone runs it where the network allows; the app itself
never fetches at run time. It builds the v3 addresses Kolada documents, follows ``next_url`` until the last
page, and writes every page as it came, so that the import can check that none is missing.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

KOLADA_V3 = "https://api.kolada.se/v3"
PER_PAGE = 5000  # Kolada's largest page
MAX_PAGES = 1000  # a chain of next_url longer than this is a loop, not an answer
TIMEOUT = 60


class FetchFailed(Exception):
    pass


def kolada_id(area_code: str) -> str:
    """Kolada's id for one of our area codes: ``SE`` → ``0000``, county ``01`` → region ``0001``."""
    if area_code == "SE":
        return "0000"
    if area_code.isdigit() and len(area_code) == 2:
        return f"00{area_code}"
    return area_code


def addresses(kpis: Iterable[str], areas: Iterable[str], years: Iterable[int], base: str = KOLADA_V3) -> list[str]:
    """The first pages to ask for: the KPIs' descriptions, and their values for the areas and years."""
    kpi_part = ",".join(quote(k, safe="") for k in kpis)
    area_part = ",".join(quote(kolada_id(a), safe="") for a in areas)
    year_part = ",".join(str(y) for y in years)
    out = [f"{base}/kpi/{kpi_part}?per_page={PER_PAGE}"]
    if area_part and year_part:
        out.append(f"{base}/data/kpi/{kpi_part}/municipality/{area_part}/year/{year_part}?per_page={PER_PAGE}")
    return out


def fetch(first: str, folder: Path, stem: str, opener: urllib.request.OpenerDirector | None = None) -> list[Path]:
    """Every page of one answer, written as ``<stem>-p1.json``, ``-p2.json`` …; the files written."""
    opener = opener or urllib.request.build_opener()
    for stale in folder.glob(f"{stem}-p*.json"):  # an earlier fetch's pages would join this one's
        stale.unlink()
    written, address, seen = [], first, set[str]()
    for number in range(1, MAX_PAGES + 1):
        if address in seen:
            raise FetchFailed(f"{address}: Kolada's next_url points back to a page already fetched")
        seen.add(address)
        try:
            with opener.open(address, timeout=TIMEOUT) as response:
                body = response.read()
        except OSError as error:
            raise FetchFailed(f"{address}: {error}") from None
        try:
            answer = json.loads(body)
        except json.JSONDecodeError:
            raise FetchFailed(f"{address}: the answer is not JSON") from None
        path = folder / f"{stem}-p{number}.json"
        path.write_bytes(body)
        written.append(path)
        following = answer.get("next_url") if isinstance(answer, dict) else None
        if not following:
            return written
        address = str(following)
    raise FetchFailed(f"{first}: more than {MAX_PAGES} pages")
