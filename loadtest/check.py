"""After ``make loadtest``: every survey answer that got the thank-you page is in the database, once."""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from stodkedjan.surveys.models import Response  # noqa: E402

setup = json.loads(os.environ["LOADTEST_SETUP"])
with open(os.environ.get("LOADTEST_ACCEPTED", "/tmp/stodkedjan-loadtest-accepted.txt")) as handle:
    accepted = int(handle.read() or 0)
stored = Response.objects.filter(round_id=setup["round_id"]).count() - setup["responses_before"]
print(f"survey answers accepted: {accepted}, stored: {stored}", "OK" if stored == accepted else "MISMATCH")
sys.exit(0 if stored == accepted else 1)
