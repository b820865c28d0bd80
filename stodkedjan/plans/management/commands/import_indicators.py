"""Import Kolada key figures from files saved from Kolada's open API.

``manage.py import_indicators --kolada FILE_OR_FOLDER …``: every page of a paged answer together (a folder's
``*.json`` files are read in name order).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stodkedjan.plans.indicators import KoladaRejected, import_kolada


class Command(BaseCommand):
    help = "Read Kolada JSON (KPI descriptions and/or values per municipality and year); all files or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kolada", type=Path, action="append", required=True, metavar="FILE_OR_FOLDER")

    def handle(self, *args: Any, **options: Any) -> None:
        files = []
        for path in options["kolada"]:
            if path.is_dir():
                files += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(path.glob("*.json"))]
            elif path.is_file():
                files.append((path.name, path.read_text(encoding="utf-8")))
            else:
                raise CommandError(f"{path} is not a file or a folder.")
        try:
            result = import_kolada(files)
        except KoladaRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(" ".join(x for x in (problem.file, problem.position) if x) + f": {problem.message}")
            raise CommandError(f"{len(rejected.problems)} problem(s); nothing was imported.") from None
        self.stdout.write(
            f"{result.indicators} indicators, {result.values} values imported, {result.unchanged} unchanged. "
            "Källa: Kolada."
        )
