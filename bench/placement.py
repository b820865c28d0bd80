"""``make bench``: placing 100,000 places in the police's 2025 vulnerable areas by their coordinates.

On the data set ``bench.finder`` builds (100,000 places), with the 2025 list imported with its boundaries:
``geo.services.place_many`` for every place, beside the floor in the same run — the same shapely tree query on
points already made, without reading the shapes or mapping the answer. Goal: under 10 s. Figures, never a
pass or fail.
"""

from __future__ import annotations

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from django.db import connection  # noqa: E402

from bench.finder import build  # noqa: E402
from stodkedjan.directory.models import Location  # noqa: E402
from stodkedjan.geo import services, shapes  # noqa: E402
from stodkedjan.geo.models import Area, AreaKind  # noqa: E402

GOAL_SECONDS = 10.0


def main() -> None:
    build()
    if not Area.objects.filter(kind=AreaKind.VULNERABLE_AREA, list_year=2025, shape__isnull=False).exists():
        services.import_police_geojson(services.DATA_DIR / "utsatta_omraden_2025.geojson", 2025)
    points = [(lat or 0.0, lon or 0.0) for lat, lon in Location.objects.values_list("latitude", "longitude")]
    started = time.perf_counter()
    placed = services.place_many(points)
    ours = time.perf_counter() - started
    index = services.current_vulnerable_areas()
    geometries = shapes.points(points)
    started = time.perf_counter()
    index.tree.query(geometries, predicate="intersects")
    floor = time.perf_counter() - started
    inside = sum(p is not None for p in placed)
    print(f"\n{connection.vendor}: placing {len(points)} places in {len(index.keys)} vulnerable areas of 2025")
    print(f"{'':<22}{'seconds':>9}{'floor s':>9}{'ratio':>8}{'goal s':>8}")
    print(f"{'place_many':<22}{ours:>9.3f}{floor:>9.3f}{ours / max(floor, 1e-9):>8.1f}{GOAL_SECONDS:>8.0f}")
    print(f"{inside} places lie in a vulnerable area")


if __name__ == "__main__":
    main()
