"""Open the follow-up rounds the organisations' schedules say are open by now. Run daily; a round opens once."""

from typing import Any

from django.core.management.base import BaseCommand

from stodkedjan.plans.services import open_scheduled_rounds


class Command(BaseCommand):
    help = "Open every scheduled T1, T2 and VB whose day has come, for every plan that runs that year."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{open_scheduled_rounds()} follow-up rounds opened.")
