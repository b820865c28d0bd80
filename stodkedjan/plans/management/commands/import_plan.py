"""Import a plan from a DOCX table, XLSX or CSV/TSV: ``manage.py import_plan PATH --organisation SLUG``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stodkedjan.accounts.models import Organisation
from stodkedjan.plans import importer, services
from stodkedjan.plans.models import PlanImport, Strategy
from stodkedjan.plans.tables import PlanRejected


class Command(BaseCommand):
    help = "Read a plan table (DOCX, XLSX, CSV/TSV) and save it as the organisation's action plan; all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--organisation", required=True, help="the owning organisation's slug")
        parser.add_argument("--strategy", help="slug of the strategy whose priorities the plan follows")
        parser.add_argument("--dry-run", action="store_true", help="read and check only")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist as error:
            raise CommandError(f"No organisation with the slug {options['organisation']!r}.") from error
        strategy = None
        if options["strategy"]:
            strategy = Strategy.objects.filter(slug=options["strategy"]).first()
            if strategy is None:
                raise CommandError(f"No strategy with the slug {options['strategy']!r}.")
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            parsed = importer.parse_plan(path.name, path.read_bytes(), strategy)
        except PlanRejected as rejected:
            for p in rejected.problems:
                where = ", ".join(str(x) for x in (p.table, p.row and f"row {p.row}", p.column) if x)
                self.stderr.write(f"{where}: {p.message}" if where else p.message)
            raise CommandError(f"{len(rejected.problems)} problem(s); nothing was imported.") from None
        if options["dry_run"]:
            self.stdout.write(f"{parsed['title']}: {parsed['activity_count']} activities, no problems (dry run).")
            return
        batch = PlanImport.objects.create(
            organisation=organisation,
            strategy=strategy,
            filename=path.name[:200],
            parsed=parsed,
        )
        plan = services.save_imported_plan(batch, None)
        self.stdout.write(f"Imported “{plan.title}” ({plan.pk}) with {parsed['activity_count']} activities.")
