"""``make bench``: drawing the maps from the shipped boundaries, at national scale.

On the data set ``bench.finder`` builds (50,000 offerings over all 290 municipalities), with the reference
data's boundaries: the national overview (21 counties and the 65 vulnerable areas of 2025, every shape read
in one query and simplified to the map's scale) and the county map of Stockholm, each beside its floor in the
same run — reading the same shapes and simplifying them with shapely, without drawing. Coverage figures are
made once before (``bench.coverage`` measures them). Goal: the national map under 200 ms. Figures, never a
pass or fail.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402
from shapely.geometry import shape as as_shape  # noqa: E402

from bench.finder import build  # noqa: E402
from stodkedjan.geo.models import Area, AreaKind  # noqa: E402
from stodkedjan.insights import charts, queries  # noqa: E402
from stodkedjan.insights.coverage import Engine  # noqa: E402

GOAL_MS = 200.0
RUNS = 15


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """The median of RUNS calls in ms (after one warm-up), and the last answer."""
    answer = call()
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        answer = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), answer


def main() -> None:
    call_command("migrate", verbosity=0)
    build()
    translation.activate("sv")
    sweden = Area.objects.get(code="SE")
    stockholm = Area.objects.get(code="01")
    engine = Engine()
    counties = [engine.coverage(a) for a in engine.children_of(sweden, (AreaKind.COUNTY,))]
    municipalities = [engine.coverage(a) for a in engine.children_of(stockholm, (AreaKind.MUNICIPALITY,))]
    scale = charts.MAP_SIZE / 14  # about the national map's scale: Sweden is some 14 degrees tall

    def draw(coverages: list[Any], county_id: int | None) -> Callable[[], Any]:
        return lambda: charts.county_map(coverages, {}, "Karta", *queries.map_shapes(coverages, county_id))

    def floor(coverages: list[Any], county_id: int | None) -> Callable[[], Any]:
        def read_and_simplify() -> int:
            shapes, vulnerable = queries.map_shapes(coverages, county_id)
            everything = [*shapes.values(), *(s for _n, _c, s in vulnerable)]
            return sum(len(as_shape(s).simplify(charts.SIMPLIFY_PIXELS / scale).wkb) for s in everything)

        return read_and_simplify

    print(f"\n{connection.vendor}: drawing maps from the shipped boundaries (median of {RUNS}, ms)")
    print(f"{'':<26}{'ms':>9}{'floor ms':>10}{'ratio':>8}{'goal ms':>9}{'KB':>7}")
    for label, coverages, county_id, goal in [
        ("national (21 + 65 areas)", counties, None, f"{GOAL_MS:.0f}"),
        ("Stockholm county", municipalities, stockholm.pk, ""),
    ]:
        ours, svg = timed(draw(coverages, county_id))
        base, _size = timed(floor(coverages, county_id))
        size = len(str(svg or "").encode()) / 1024
        print(f"{label:<26}{ours:>9.1f}{base:>10.1f}{ours / max(base, 1e-9):>8.1f}{goal:>9}{size:>7.1f}")


if __name__ == "__main__":
    main()
