"""The fault test: the app under gunicorn while parents send survey answers and a staff member edits, and the
database goes away underneath — PostgreSQL is stopped and started again (down for a second), or the disk-backed
SQLite file is held by another writer for three seconds.

Afterwards every answer and edit that got a success answer is stored exactly once, every other request got a
503 page that kept what was sent, and sending that page again went through. No request ever gets a 500.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from conftest import require_real_part
from stodkedjan.accounts.models import Organisation
from stodkedjan.core.tests.faults import hidden_fields
from stodkedjan.surveys.models import Response
from stodkedjan.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db(transaction=True)
RUN_SECONDS = 9.0
FAULT_AT = 2.0
FAULT_SECONDS = 3.0  # how long the SQLite file is held; PostgreSQL is down a third of it, then starts again


def words(number: int) -> str:
    """A number written with letters, so the free-text filter (which removes phone numbers) leaves it alone."""
    return "".join("abcdefghij"[int(digit)] for digit in str(number))


@dataclass
class Tally:
    successes: list[str] = field(default_factory=list)
    refusals: int = 0  # posts answered 503
    kept: int = 0  # of those, pages that held what was typed
    pages_refused: int = 0  # page loads answered 503
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # So that posts are surely in flight while the database is away: when `hold` is set, each client stops
    # with a form in hand, and posts it once `down` is set (by the fault, the database being away).
    hold: threading.Event = field(default_factory=threading.Event)
    down: threading.Event = field(default_factory=threading.Event)
    parked: int = 0

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)

    def wait_for_the_fault(self) -> None:
        if self.hold.is_set() and not self.down.is_set():
            with self.lock:
                self.parked += 1
            self.down.wait(30)

    def park_everyone(self, clients: int) -> None:
        self.hold.set()
        for _attempt in range(200):
            if self.parked >= clients:
                return
            time.sleep(0.05)
        pytest.fail(f"only {self.parked} of {clients} clients stopped with a form in hand")


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, log: Path) -> Iterator[str]:
    """The app under gunicorn on loopback; what it logs (the database errors behind each 503) goes to ``log``."""
    port = free_port()
    env = os.environ | {
        "STODKEDJAN_ENV": "test",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",  # kept connections, as in production: they die with the restart
        "SQLITE_BUSY_TIMEOUT": "1",
        "SURVEY_SUBMISSIONS_PER_WINDOW": "1000000",
        "PUBLIC_PAGE_CACHE_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    command = [str(Path(sys.executable).with_name("gunicorn")), "stodkedjan.wsgi", "--workers", "3", "--threads", "4"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "critical"]
    output = log.open("wb")
    server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(60):
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.25)
        else:
            pytest.fail("gunicorn did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        output.close()


def send_until_stored(
    post: Callable[[dict[str, str]], requests.Response],
    fields: dict[str, str],
    typed: str,
    tally: Tally,
    deadline: float,
) -> bool:
    """Post; on a 503, check the page kept what was typed and send the page's form again."""
    tally.wait_for_the_fault()
    while time.monotonic() < deadline + 30:
        try:
            answer = post(fields)
        except requests.RequestException as error:
            tally.problem(f"no answer at all: {error}")
            return False
        if answer.status_code == 302:
            return True
        if answer.status_code != 503:
            tally.problem(f"{answer.status_code} for {typed!r}")
            return False
        with tally.lock:
            tally.refusals += 1
            tally.kept += typed in unescape(answer.text)
        if typed not in unescape(answer.text):
            tally.problem(f"the 503 page lost {typed!r}")
        fields = fields | hidden_fields(answer.text)
        time.sleep(0.2)
    tally.problem(f"never stored: {typed!r}")
    return False


def get_page(session: requests.Session, url: str, tally: Tally) -> str | None:
    for _attempt in range(100):
        page = session.get(url, timeout=30)
        if page.status_code == 200:
            return page.text
        if page.status_code != 503:
            tally.problem(f"GET {url}: {page.status_code}")
            return None
        with tally.lock:
            tally.pages_refused += 1
        time.sleep(0.2)
    tally.problem(f"GET {url} never answered")
    return None


def parents(base: str, link_key: str, area_id: str, numbers: Iterator[int], tally: Tally, deadline: float) -> None:
    url = f"{base}/sv/survey/{link_key}/"
    while time.monotonic() < deadline and not tally.problems:
        session = requests.Session()
        page = get_page(session, url, tally)
        if page is None:
            return
        typed = f"Svar {words(next(numbers))} om stödet"
        fields = hidden_fields(page) | {"q-support": "no", "q-why": typed, "area": area_id, "go": "next"}

        def post(data: dict[str, str], session: requests.Session = session) -> requests.Response:
            return session.post(url, data=data, allow_redirects=False, timeout=30)

        if send_until_stored(post, fields, typed, tally, deadline):
            with tally.lock:
                tally.successes.append(typed)


def staff(base: str, session_cookie: str, tally: Tally, deadline: float) -> None:
    url = f"{base}/sv/staff/organisations/botkyrka/edit/"
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, session_cookie)
    for number in itertools.count():
        if time.monotonic() >= deadline or tally.problems:
            return
        page = get_page(session, url, tally)
        if page is None:
            return
        typed = f"Redigering {words(number)}"
        fields = hidden_fields(page) | {"name": "Botkyrka kommun", "description": typed, "email": "", "phone": ""}

        def post(data: dict[str, str]) -> requests.Response:
            return session.post(url, data=data, allow_redirects=False, headers={"Referer": url}, timeout=30)

        if send_until_stored(post, fields, typed, tally, deadline):
            with tally.lock:
                tally.successes.append(typed)


@dataclass
class Fault:
    database_url: str
    read: Callable[[str], list[tuple[Any, ...]]]
    strike: Callable[[Callable[[], None]], None]  # takes the database away, calls its argument, brings it back


def postgres_fault() -> Fault:
    require_real_part(bool(shutil.which("pg_ctlcluster")), "pg_ctlcluster (to restart PostgreSQL)")
    version = sorted(os.listdir("/etc/postgresql"), key=lambda name: [int(part) for part in name.split(".")])[-1]
    params = connection.settings_dict
    url = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"

    def strike(when_down: Callable[[], None]) -> None:
        cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
        subprocess.run([*cluster, "stop", "-m", "fast"], check=True, capture_output=True, timeout=60)
        try:
            when_down()
            time.sleep(FAULT_SECONDS / 3)  # down long enough that every client runs into it
        finally:
            subprocess.run([*cluster, "start"], check=True, capture_output=True, timeout=60)
            connections.close_all()  # ours died with the restart

    def read(sql: str) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    return Fault(url, read, strike)


def sqlite_fault(tmp_path: Path) -> Fault:
    path = tmp_path / "stodkedjan.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)  # the test's in-memory database, on disk for gunicorn

    def strike(when_down: Callable[[], None]) -> None:
        with closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # a long import or a backup holding the file
            when_down()
            time.sleep(FAULT_SECONDS)
            other.execute("ROLLBACK")

    def read(sql: str) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(path)) as reader:
            return reader.execute(sql).fetchall()

    return Fault(f"sqlite:///{path}", read, strike)


def test_answers_and_edits_survive_the_database_going_away(world, tmp_path):
    survey_round = make_round(world.home)
    area_id = survey_round.areas.first().code
    staff_client = Client()
    staff_client.force_login(world.users["admin"])
    fault = postgres_fault() if connection.vendor == "postgresql" else sqlite_fault(tmp_path)
    tally = Tally()
    numbers = itertools.count()
    log = tmp_path / "gunicorn.log"
    with gunicorn(fault.database_url, log) as base:
        deadline = time.monotonic() + RUN_SECONDS
        workers = [
            threading.Thread(target=parents, args=(base, survey_round.link_key, area_id, numbers, tally, deadline))
            for _ in range(3)
        ]
        workers.append(
            threading.Thread(
                target=staff, args=(base, staff_client.cookies[settings.SESSION_COOKIE_NAME].value, tally, deadline)
            )
        )
        for worker in workers:
            worker.start()
        time.sleep(FAULT_AT)
        tally.park_everyone(len(workers))
        fault.strike(tally.down.set)
        for worker in workers:
            worker.join(timeout=90)

    assert tally.problems == [], log.read_text(errors="replace")[-4000:]
    assert tally.refusals > 0, "the fault came and went without any answer or edit running into it"
    assert tally.kept == tally.refusals
    answers = [
        json.loads(row[0]) if isinstance(row[0], str) else row[0]
        for row in fault.read(f"SELECT answers FROM {Response._meta.db_table} WHERE round_id = {survey_round.pk}")
    ]
    stored = sorted(answer["why"] for answer in answers)
    sent = sorted(text for text in tally.successes if text.startswith("Svar"))
    assert stored == sent  # each answer that got the thank-you page, once; nothing else
    edits = [text for text in tally.successes if text.startswith("Redigering")]
    assert edits
    description = fault.read(f"SELECT description FROM {Organisation._meta.db_table} WHERE slug = 'botkyrka'")
    assert description == [(edits[-1],)]
    print(
        f"\nfault test ({connection.vendor}): {len(sent)} answers and {len(edits)} edits stored, "
        f"{tally.refusals} posts refused with 503 during the fault ({tally.kept} kept what was sent and went through "
        f"when sent again), {tally.pages_refused} page loads refused with 503"
    )
