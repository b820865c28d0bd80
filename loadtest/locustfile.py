"""``make loadtest``: parents using the finder, and parents answering a survey, against gunicorn on loopback.

Each answer that gets the thank-you redirect is counted as accepted (written to ACCEPTED_FILE at the end), so
the make target can check that every accepted answer is in the database.
"""

from __future__ import annotations

import json
import os
import random
import re
from urllib.parse import quote

from locust import FastHttpUser, constant_throughput, events, task

SETUP = json.loads(os.environ["LOADTEST_SETUP"])
# Paced, not flat out: each parent asks for PARENT_RATE pages a second, so the load is a demand (36 parents at
# 10/s: 360 finder requests a second) and the response times are those at that demand, not queueing behind
# the load generator's own backlog. LOAD_PARENT_RATE=100 drives the server flat out to find its ceiling.
PARENT_RATE = float(os.environ.get("LOAD_PARENT_RATE", "10"))
ACCEPTED_FILE = os.environ.get("LOADTEST_ACCEPTED", "/tmp/stodkedjan-loadtest-accepted.txt")
SEARCHES = [
    "/sv/search/?q=f%C3%B6r%C3%A4ldrar",
    "/sv/search/?area=0127&age=7",
    "/ar/search/?language=ar&format=group",
    "/so/search/?q=grupp&area=0127&age=10&language=so",
    "/sv/search/?area=0180-skarholmen&sort=distance",
]
# Parents search many ways, so most searches are not the page another parent just saw: every area with
# offerings, with and without a child's age, besides the fixed searches above.
SEARCHES += [
    f"/{lang}/search/?area={area}" + (f"&age={age}" if age is not None else "")
    for area in SETUP["areas"]
    for lang, age in (("sv", None), ("sv", 3), ("ar", 8), ("so", 14))
]
# LOAD_DISTINCT_SEARCHES=N (the run with the page cache off): N different searches a parent might make —
# words alone and in pairs, in six languages, with and without an area and a child's age — so that nearly
# every request is one the server has not answered before.
DISTINCT = int(os.environ.get("LOAD_DISTINCT_SEARCHES", "0"))
if DISTINCT:
    WORDS = [
        "föräldrar",
        "grupp",
        "tonåring",
        "bråk",
        "arabiska",
        "somaliska",
        "tolk",
        "stöd",
        "samtal",
        "familj",
        "småbarn",
        "kurs",
        "connect",
        "abc",
        "oro",
        "skola",
        "parenting",
        "turjubaan",
        "مترجم",
        "foraldragrup",
    ]
    queries = WORDS + [f"{a} {b}" for a in WORDS for b in WORDS if a < b]
    combos = [
        (lang, q, area, age)
        for lang in ("sv", "ar", "so", "ti", "fa", "en")
        for q in queries
        for area in ["", *SETUP["areas"][:6]]
        for age in (None, 4, 11, 15)
    ]
    chosen = random.Random(1).sample(combos, min(DISTINCT, len(combos)))
    SEARCHES = [
        f"/{lang}/search/?q={quote(q)}" + (f"&area={area}" if area else "") + (f"&age={age}" if age else "")
        for lang, q, area, age in chosen
    ]
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
AREAS = re.compile(r'<select name="area"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
accepted = 0


class Parent(FastHttpUser):
    wait_time = constant_throughput(PARENT_RATE)
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


class Respondent(FastHttpUser):
    wait_time = constant_throughput(PARENT_RATE / 2)  # a form and an answer each time
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
