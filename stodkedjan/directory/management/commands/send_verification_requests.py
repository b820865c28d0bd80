"""Ask the editors of every offering due for review whether it is still correct, remind them, and flag what
went unanswered to the county board. Run daily; a second run the same day sends nothing."""

from typing import Any

from django.core.management.base import BaseCommand

from stodkedjan.directory.verification import send_due


class Command(BaseCommand):
    help = "Send today's verification requests and reminders (one e-mail per editor) and flag unanswered ones."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_due()
        self.stdout.write(f"{run.emails} e-mails with {run.requests} links sent; {run.flagged} offerings flagged.")
