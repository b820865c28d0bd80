from typing import Any

from django.core.management.base import BaseCommand

from stodkedjan.network.tasks import DAILY


class Command(BaseCommand):
    help = (
        "Enqueue the daily network tasks: the announcement digest, evaluation mails after events, and the "
        "deletion of registrations some time after each event. Run once a day (cron or a scheduler)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for daily in DAILY:
            result = daily.enqueue()
            outcome = result.return_value if result.is_finished else result.status
            self.stdout.write(f"{daily.name}: {outcome}")
