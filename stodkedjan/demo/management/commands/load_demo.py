from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stodkedjan.demo import services


class Command(BaseCommand):
    help = "Load the fictional demo world (organisations and one user per role and level). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")
        parser.add_argument("--force", action="store_true", help="Allow loading demo data in production.")

    def handle(self, *args: Any, quiet_logins: bool = False, force: bool = False, **options: Any) -> None:
        if settings.PRODUCTION and not force:
            raise CommandError("Refusing to load demo users with a known password in production (use --force).")
        users = services.load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if quiet_logins:
            return
        self.stdout.write(f"\nDemo logins (password for all: {services.DEMO_PASSWORD}):")
        for user in users:
            roles = ", ".join(f"{role} @ {slug}" for slug, role in user.memberships) or "superuser (Django admin)"
            self.stdout.write(f"  {user.email:<42} {roles}")
