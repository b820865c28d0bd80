"""``manage.py reindex_search``: rewrite every offering's search rows (after the index's words change), oldest
first, which also flags likely duplicates (the newer of two) as directory.duplicates describes."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from stodkedjan.directory.models import Service
from stodkedjan.directory.services import reindex


class Command(BaseCommand):
    help = "Rewrite the search index of every offering, e.g. after an upgrade that indexes new facts."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        with transaction.atomic():
            for service in (
                Service.objects.select_related("organisation").order_by("created_at", "pk").iterator(chunk_size=500)
            ):
                reindex(service)
                count += 1
        self.stdout.write(f"{count} offerings indexed anew.")
