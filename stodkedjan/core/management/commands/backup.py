from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stodkedjan.core.backup import backup


class Command(BaseCommand):
    help = "Write a consistent snapshot of the database and the uploaded files to one .tar.gz file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="where to write the backup, e.g. /backups/stodkedjan.tar.gz")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        manifest = backup(path)
        rows = sum(manifest.counts.values())
        self.stdout.write(f"Backed up {rows} rows and {len(manifest.files)} files to {path}")
