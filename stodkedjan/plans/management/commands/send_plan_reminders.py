"""Remind coordinators of follow-up rounds due soon. Run daily; a round is reminded once."""

from typing import Any

from django.core.management.base import BaseCommand

from stodkedjan.plans.services import send_reminders


class Command(BaseCommand):
    help = "E-mail the coordinators of every follow-up round whose deadline is near and that is not submitted."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_reminders()
        self.stdout.write(f"{run.rounds} rounds reminded, {run.emails} e-mails sent.")
