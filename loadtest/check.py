"""After ``make loadtest``: the finder's figures against the goal (``LOAD_GOAL`` requests per second — 300 with
the page cache, 200 without — with p95 under 100 ms), and every survey answer that got the thank-you page in
the database, once."""

from __future__ import annotations

import csv
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from stodkedjan.surveys.models import Response  # noqa: E402

FINDER_PAGES = {"/home/", "/search/", "/service/"}
with open(os.environ.get("LOADTEST_STATS", "/tmp/stodkedjan-loadtest_stats.csv"), newline="") as handle:
    finder = [row for row in csv.DictReader(handle) if row["Name"] in FINDER_PAGES]
rate = sum(float(row["Requests/s"]) for row in finder)
goal = float(os.environ.get("LOAD_GOAL", "300"))
worst_p95 = max(float(row["95%"]) for row in finder)
met = rate >= goal and worst_p95 < 100
print(
    f"finder: {rate:.0f} requests/s, p95 at most {worst_p95:.0f} ms on any finder page "
    f"(goal: at least {goal:.0f}/s, p95 under 100 ms): {'met' if met else 'NOT MET'}"
)

setup = json.loads(os.environ["LOADTEST_SETUP"])
with open(os.environ.get("LOADTEST_ACCEPTED", "/tmp/stodkedjan-loadtest-accepted.txt")) as handle:
    accepted = int(handle.read() or 0)
stored = Response.objects.filter(round_id=setup["round_id"]).count() - setup["responses_before"]
print(f"survey answers accepted: {accepted}, stored: {stored}", "OK" if stored == accepted else "MISMATCH")
sys.exit(0 if stored == accepted else 1)
