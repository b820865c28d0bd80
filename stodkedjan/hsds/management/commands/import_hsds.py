"""import_hsds PATH: HSDS JSON, a CSV tabular package (folder or zip) or XLSX; all or nothing, upsert by id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stodkedjan.hsds import exchange


class Command(BaseCommand):
    help = "Import HSDS 3.0 data (JSON, CSV folder or zip, XLSX). Idempotent; nothing is written if anything is wrong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            counts = exchange.import_tables(exchange.read(path))
        except exchange.ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(failed.problems)} problem(s) in {path}; nothing was imported") from None
        self.stdout.write(
            f"Imported {path}: {counts['organizations']} organizations, {counts['locations']} locations, "
            f"{counts['services']} services written, {counts['unchanged']} unchanged"
        )
