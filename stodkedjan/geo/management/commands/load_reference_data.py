from typing import Any

from django.core.management.base import BaseCommand

from stodkedjan.geo import services


class Command(BaseCommand):
    help = "Load Sweden's counties, municipalities, Stockholm's districts and the police's vulnerable areas."

    def handle(self, *args: Any, **options: Any) -> None:
        report = services.load_reference_data()
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded ({report.total('created')} new areas)."))
