"""``make loadtest``: parents using the finder, and parents answering a survey, against gunicorn on loopback.

Each answer that gets the thank-you redirect is counted as accepted (written to ACCEPTED_FILE at the end), so
the make target can check that every accepted answer is in the database.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, events, task

SETUP = json.loads(os.environ["LOADTEST_SETUP"])
ACCEPTED_FILE = os.environ.get("LOADTEST_ACCEPTED", "/tmp/stodkedjan-loadtest-accepted.txt")
SEARCHES = [
    "/sv/search/?q=f%C3%B6r%C3%A4ldrar",
    "/sv/search/?area=0127&age=7",
    "/ar/search/?language=ar&format=group",
    "/so/search/?q=grupp&area=0127&age=10&language=so",
    "/sv/search/?area=0180-skarholmen&sort=distance",
]
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
AREAS = re.compile(r'<select name="area"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
accepted = 0


class Parent(HttpUser):
    wait_time = between(0, 0.05)
    weight = 9

    @task(5)
    def search(self) -> None:
        self.client.get(random.choice(SEARCHES), name="/search/")

    @task(3)
    def offering(self) -> None:
        self.client.get(f"/sv/service/{random.choice(SETUP['services'])}/", name="/service/")

    @task(1)
    def home(self) -> None:
        self.client.get(random.choice(["/sv/", "/ar/", "/ti/"]), name="/home/")


class Respondent(HttpUser):
    wait_time = between(0, 0.1)
    weight = 1

    @task
    def answer(self) -> None:
        global accepted
        url = f"/sv/survey/{SETUP['link_key']}/"
        page = self.client.get(url, name="/survey/ (form)")
        fields = dict(HIDDEN.findall(page.text))
        areas = AREAS.search(page.text)
        choices = OPTION.findall(areas.group(1)) if areas else []
        fields.update({"q-support": random.choice(["yes", "no"]), "go": "next"})
        if choices:
            fields["area"] = random.choice(choices)
        with self.client.post(
            url, data=fields, name="/survey/ (send)", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code == 302 and "/thanks/" in r.headers.get("Location", ""):
                accepted += 1
                r.success()
            else:
                r.failure(f"not stored: {r.status_code}")


@events.quitting.add_listener
def _write_accepted(environment, **kwargs) -> None:  # type: ignore[no-untyped-def]
    with open(ACCEPTED_FILE, "w") as handle:
        handle.write(str(accepted))
