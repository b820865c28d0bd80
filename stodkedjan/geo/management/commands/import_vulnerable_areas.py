from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stodkedjan.geo import services


class Command(BaseCommand):
    help = (
        "Import one of the police's lists of vulnerable areas from CSV "
        "(columns: omrade, kommun, kommunkod, kategori, lista_ar, kalla). All rows or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            count = services.import_vulnerable_areas(path)
        except services.ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(rejected.errors)} errors; nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS(f"{count} rows imported."))
