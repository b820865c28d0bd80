"""``make bench``: the HSDS API at national scale, with Datasette as a side-by-side peer on SQLite.

On the data set ``bench.finder`` builds (50,000 services), measures through each app in-process (Django's
test client; Datasette's own internal ASGI client, so neither pays for a socket):

- a page of 50 services (``/api/hsds/services?per_page=50&page=N``, the HSDS list items with their
  organisation) against Datasette's JSON of the same SQLite file's ``directory_service`` table
  (``?_size=50&_shape=objects``, keyset page at the same offset);
- the same page fully nested (``full=true``: every service with its places, schedules, languages,
  attributes), for what a harvester asks for;
- one service with all its resources (``/api/hsds/services/{id}``) against Datasette's row JSON.

Prints p50/p95 and the ratio ours/Datasette. Target (issue 5): the list page no slower than 1.5×.
"""

from __future__ import annotations

import asyncio
import logging
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from bench.finder import build
from stodkedjan.directory.models import Service, Status

logging.getLogger("httpx").setLevel(logging.WARNING)  # Datasette's internal client logs every request
RUNS = 60
PER_PAGE = 50


def quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def timed(call: Callable[[int], Any], runs: int) -> list[float]:
    times = []
    for run in range(runs + 1):
        started = time.perf_counter()
        call(run)
        if run:  # the first run warms caches
            times.append((time.perf_counter() - started) * 1000)
    return times


def row(label: str, ours: list[float], peer: list[float] | None) -> None:
    line = f"{label:<34}{quantile(ours, 50):>9.1f}{quantile(ours, 95):>9.1f}"
    if peer:
        line += (
            f"{quantile(peer, 50):>11.1f}{quantile(peer, 95):>11.1f}{quantile(ours, 50) / quantile(peer, 50):>9.2f}x"
        )
    print(line, flush=True)


def measure() -> None:
    client = Client()
    settings.HSDS_ANONYMOUS_RATE = "100000000/min"
    published = Service.objects.filter(status=Status.ACTIVE)
    total = published.count()
    pages = max(1, total // PER_PAGE)
    rng = random.Random(5)
    page_numbers = [rng.randrange(1, pages + 1) for _ in range(RUNS + 1)]
    sample = list(published.order_by("?").values_list("pk", "uuid")[: RUNS + 1])

    def ours_list(run: int, full: bool = False) -> None:
        url = f"/api/hsds/services?per_page={PER_PAGE}&page={page_numbers[run]}" + ("&full=true" if full else "")
        response = client.get(url)
        assert response.status_code == 200, response.content[:200]

    def ours_one(run: int) -> None:
        assert client.get(f"/api/hsds/services/{sample[run][1]}").status_code == 200

    peer = datasette_peer(page_numbers, [pk for pk, _u in sample])
    print(f"\n{connection.vendor}: HSDS API on {total} published services, {RUNS} runs (first discarded)")
    print(f"{'request':<34}{'p50 ms':>9}{'p95 ms':>9}{'Datasette':>11}{'p95':>11}{'ratio p50':>10}")
    row("list, 50 per page", timed(ours_list, RUNS), peer.get("list"))
    row("list, 50 per page, full=true", timed(lambda run: ours_list(run, full=True), RUNS), peer.get("list"))
    row("one service, all resources", timed(ours_one, RUNS), peer.get("one"))
    if not peer:
        print("(Datasette serves SQLite only: the side-by-side figures are in the SQLite run)")


def datasette_peer(page_numbers: list[int], pks: list[int]) -> dict[str, list[float]]:
    if connection.vendor != "sqlite":
        return {}
    from datasette.app import Datasette

    path = str(connection.settings_dict["NAME"])
    name = path.rsplit("/", 1)[-1].removesuffix(".sqlite3")
    datasette = Datasette([path], settings={"max_returned_rows": 1000})
    with connection.cursor() as cursor:  # keyset page starts at the same offsets as ours
        cursor.execute("SELECT id FROM directory_service WHERE status = 'active' ORDER BY id")
        ids = [r[0] for r in cursor.fetchall()]
    starts = [ids[(n - 1) * PER_PAGE - 1] if n > 1 else 0 for n in page_numbers]

    async def run() -> dict[str, list[float]]:
        await datasette.invoke_startup()

        async def timed_async(make_url: Callable[[int], str]) -> list[float]:
            times = []
            for i in range(RUNS + 1):
                started = time.perf_counter()
                response = await datasette.client.get(make_url(i))
                assert response.status_code == 200, response.text[:200]
                if i:
                    times.append((time.perf_counter() - started) * 1000)
            return times

        table = f"/{name}/directory_service.json?_shape=objects&_size={PER_PAGE}&status=active"
        return {
            "list": await timed_async(lambda i: f"{table}&_next={starts[i]}" if starts[i] else table),
            "one": await timed_async(lambda i: f"/{name}/directory_service/{pks[i]}.json?_shape=objects"),
        }

    return asyncio.run(run())


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    build()
    measure()
    sys.exit(0)
