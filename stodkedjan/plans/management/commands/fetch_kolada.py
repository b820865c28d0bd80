"""``manage.py fetch_kolada N15033 N15419 --areas 0127 01 SE --years 2023 2024 --out kolada/``.

Writes Kolada's answers (every page) to files; then ``import_indicators --kolada kolada/`` reads them.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stodkedjan.plans import kolada_fetch


class Command(BaseCommand):
    help = "Fetch KPI descriptions and values from Kolada's API v3 into files for import_indicators (network needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kpis", nargs="+", metavar="KPI")
        parser.add_argument("--areas", nargs="*", default=[], help="our area codes: municipalities, counties, SE")
        parser.add_argument("--years", nargs="*", type=int, default=[])
        parser.add_argument("--out", type=Path, required=True, help="a folder for the answers")
        parser.add_argument("--base-url", default=kolada_fetch.KOLADA_V3)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["out"]
        folder.mkdir(parents=True, exist_ok=True)
        first_pages = kolada_fetch.addresses(options["kpis"], options["areas"], options["years"], options["base_url"])
        written = []
        try:
            for stem, address in zip(("kpi", "data"), first_pages, strict=False):
                written += kolada_fetch.fetch(address, folder, stem)
        except kolada_fetch.FetchFailed as error:
            raise CommandError(
                f"{error}. Nothing more was fetched; the files written so far are in {folder}."
            ) from None
        self.stdout.write(f"{len(written)} pages written to {folder}. Import them: import_indicators --kolada {folder}")
