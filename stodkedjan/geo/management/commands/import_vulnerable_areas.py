from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stodkedjan.geo import services


class Command(BaseCommand):
    help = (
        "Import one of the police's lists of vulnerable areas: the police's GeoJSON as published (boundaries "
        "in any coordinate system it names; --year, or the year in the file name) or a CSV "
        "(columns: omrade, kommun, kommunkod, kategori, lista_ar, kalla). All areas or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, help="the list's year (GeoJSON; default: the year in the file name)")

    def handle(self, *args: Any, path: Path, year: int | None = None, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            if path.suffix.lower() in (".geojson", ".json"):
                year = year or services.list_year_of(path)
                if year is None:
                    raise CommandError("Give the list's year with --year (the file name has none).")
                count = services.import_police_geojson(path, year)
            else:
                count = services.import_vulnerable_areas(path)
        except services.ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(rejected.errors)} errors; nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS(f"{count} areas imported."))
