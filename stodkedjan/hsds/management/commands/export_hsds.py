"""export_hsds --format json|csv|xlsx PATH: every published service, its organisation and places, in HSDS 3.0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stodkedjan.hsds import exchange

WRITERS = {"json": exchange.to_json, "csv": exchange.to_csv_zip, "xlsx": exchange.to_xlsx}


class Command(BaseCommand):
    help = "Export the published directory in HSDS 3.0: JSON (tabular), a CSV data package (zip) or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=sorted(WRITERS), default="json")
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        tables = exchange.export_tables()
        options["path"].write_bytes(WRITERS[options["format"]](tables))
        counts = ", ".join(f"{len(rows)} {name.removesuffix('.csv')}" for name, rows in tables.items() if rows)
        self.stdout.write(f"Wrote {options['path']}: {counts}")
