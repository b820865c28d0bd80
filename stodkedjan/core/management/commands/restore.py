from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stodkedjan.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into this migrated database (empty, or replaced with --force) and MEDIA_ROOT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--force", action="store_true", help="replace the data already in the database")

    def handle(self, *args: Any, path: Path, force: bool = False, **options: Any) -> None:
        try:
            manifest = restore(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest.counts.values())
        self.stdout.write(f"Restored {rows} rows and {len(manifest.files)} files from {path} (all checked)")
