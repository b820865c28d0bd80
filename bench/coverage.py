"""``make bench``: the coverage engine at national scale (50,000 services), against hand-written SQL.

On the data set ``bench.finder`` builds, measures the support chain (coverage by age band × level, verified
and not, arenas and languages) for every area of Sweden at once, and for one county (Stockholms län) with
every area in it, as the county overview computes it. The baseline in the same run is one SQL query that
counts active services per municipality and level. Prints p50/p95 and the ratio; never fails a build.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.finder import build  # noqa: E402
from stodkedjan.directory.models import Service, ServiceArea  # noqa: E402
from stodkedjan.geo.models import Area  # noqa: E402
from stodkedjan.insights.coverage import Engine  # noqa: E402

RUNS = 10


def everything(scope: Area | None) -> int:
    engine = Engine(scope=scope)
    return sum(engine.coverage(area).verified for area in engine.areas.values())


def baseline() -> int:
    sql = (
        f"SELECT sa.area_id, s.level, COUNT(*) FROM {ServiceArea._meta.db_table} sa "
        f"JOIN {Service._meta.db_table} s ON s.id = sa.service_id WHERE s.status = %s GROUP BY sa.area_id, s.level"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ["active"])
        return len(cursor.fetchall())


def timed(work: object) -> list[float]:
    times = []
    for run in range(RUNS + 1):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        if run:
            times.append((time.perf_counter() - started) * 1000)
    return times


def measure() -> None:
    county = Area.objects.get(code="01")
    print(f"\n{connection.vendor}: coverage of {Service.objects.count()} services, {RUNS} runs (first discarded)")
    print(f"{'coverage':<22}{'p50 ms':>9}{'p95 ms':>9}{'SQL p50':>9}{'ratio p50':>11}{'goal':>10}")
    sql = timed(baseline)
    p = lambda xs, q: statistics.quantiles(xs, n=20)[q - 1] if q < 20 else max(xs)  # noqa: E731
    for name, scope, goal in [("all of Sweden", None, 1000), ("Stockholms län", county, 100)]:
        view = timed(lambda scope=scope: everything(scope))
        p50, p95 = statistics.median(view), p(view, 19)
        print(
            f"{name:<22}{p50:>9.1f}{p95:>9.1f}{statistics.median(sql):>9.1f}{p50 / statistics.median(sql):>10.1f}x"
            f"{'< ' + str(goal) + ' ms':>10}{'' if p95 < goal else '  (over the goal)'}",
            flush=True,
        )


def mark_checked() -> None:
    """The finder's data set leaves offerings unchecked; mark most as checked so both counts are exercised."""
    if not Service.objects.filter(assured_date__isnull=False).exists():
        Service.objects.exclude(name_sv__endswith="3").update(assured_date=timezone.localdate())


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    build()
    mark_checked()
    measure()
    sys.exit(0)
