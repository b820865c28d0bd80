"""validate_hsds: export the published directory in every format and check it as Open Referral's tools do."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client

from stodkedjan.hsds import conformance


def client_get(client: Client) -> conformance.Get:
    def get(path: str) -> tuple[int, dict[str, str], Any]:
        response = client.get(f"/api/hsds{path}")
        body = json.loads(response.content) if response.get("Content-Type", "").startswith("application/json") else None
        return response.status_code, dict(response.headers), body

    return get


class Command(BaseCommand):
    help = (
        "Export the directory as JSON, a CSV data package and XLSX and validate each with frictionless and the "
        "official compiled HSDS 3.0 schemas (additional properties forbidden); then walk the API the same way. "
        "Fails on any problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--keep", type=Path, help="a folder to keep the exported files in")

    def handle(self, *args: Any, **options: Any) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            folder = options["keep"] or Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            problems = conformance.check_exports(folder)
            self.stdout.write(f"Exports (JSON, CSV data package, XLSX) in {folder}: {len(problems)} problem(s)")
        api_problems, requests = conformance.check_api(client_get(Client(HTTP_HOST="localhost")))
        self.stdout.write(f"API: {requests} requests, {len(api_problems)} problem(s)")
        problems += api_problems
        for problem in problems[:200]:
            self.stderr.write(f"  {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) against HSDS 3.0")
        self.stdout.write(self.style.SUCCESS("Valid HSDS 3.0: 0 errors."))
