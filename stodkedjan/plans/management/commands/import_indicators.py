"""Import Kolada key figures from files saved from Kolada's open API: ``manage.py import_indicators --kolada FILE``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stodkedjan.plans.indicators import KoladaRejected, import_kolada


class Command(BaseCommand):
    help = "Read Kolada JSON (KPI descriptions and/or values per municipality and year); all files or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kolada", type=Path, action="append", required=True, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        files = []
        for path in options["kolada"]:
            if not path.is_file():
                raise CommandError(f"{path} is not a file.")
            files.append((path.name, path.read_text(encoding="utf-8")))
        try:
            result = import_kolada(files)
        except KoladaRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(" ".join(x for x in (problem.file, problem.position) if x) + f": {problem.message}")
            raise CommandError(f"{len(rejected.problems)} problem(s); nothing was imported.") from None
        self.stdout.write(f"{result.indicators} indicators, {result.values} values imported. Källa: Kolada.")
