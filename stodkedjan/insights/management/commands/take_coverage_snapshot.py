from typing import Any

from django.core.management.base import BaseCommand

from stodkedjan.insights.tasks import take_coverage_snapshot


class Command(BaseCommand):
    help = "Store this month's coverage of every area (run monthly, or daily: a month is stored once, updated)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = take_coverage_snapshot.enqueue()
        outcome = result.return_value if result.is_finished else result.status
        self.stdout.write(f"coverage snapshot: {outcome}")
