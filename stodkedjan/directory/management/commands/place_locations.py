"""``manage.py place_locations``: place every location with coordinates again (after a new police list)."""

from typing import Any

from django.core.management.base import BaseCommand

from stodkedjan.directory.models import Location
from stodkedjan.geo import services


class Command(BaseCommand):
    help = "Place every location with coordinates in its vulnerable area again, e.g. after a new police list."

    def handle(self, *args: Any, **options: Any) -> None:
        located = list(
            Location.objects.filter(latitude__isnull=False, longitude__isnull=False).only(
                "pk", "latitude", "longitude", "vulnerable_area"
            )
        )
        areas = services.place_many([(loc.latitude or 0.0, loc.longitude or 0.0) for loc in located])
        changed = []
        for location, area in zip(located, areas, strict=True):
            if location.vulnerable_area_id != area:
                location.vulnerable_area_id = area
                changed.append(location)
        Location.objects.bulk_update(changed, ["vulnerable_area"], batch_size=1000)
        self.stdout.write(f"{len(located)} located places, {len(changed)} placed anew.")
