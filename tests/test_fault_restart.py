"""The fault test: the app under gunicorn while parents send survey answers and a staff member edits, and the
database goes away underneath — PostgreSQL is stopped and started again, or the disk-backed SQLite file is held
by another writer. The database stays away until every client has run into it, however slow the machine is.

PostgreSQL here is a private cluster made for the test (a copy of the test database, on a port of its own), so
that stopping it disturbs nobody else: another test run on the same machine keeps its server.

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
from django.db import connection
from django.test import Client

from conftest import require_real_part
from stodkedjan.accounts.models import Organisation
from stodkedjan.core.tests.faults import hidden_fields
from stodkedjan.surveys.models import Response
from stodkedjan.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db(transaction=True)
RUN_BEFORE = 2.0  # seconds of ordinary traffic before the fault
RUN_AFTER = 3.0  # and after it
PATIENCE = 120.0  # how long any one wait may take on a loaded machine before it is a failure
ANSWER_TIMEOUT = 60.0  # seconds one request may take


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
    stop: threading.Event = field(default_factory=threading.Event)  # the clients finish what they hold, then stop
    parked: int = 0
    refused_clients: set[str] = field(default_factory=set)  # clients that have had a post refused (503)

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)

    def wait_for_the_fault(self) -> None:
        if self.hold.is_set() and not self.down.is_set():
            with self.lock:
                self.parked += 1
            if not self.down.wait(PATIENCE):
                self.problem("the fault never came")

    def park_everyone(self, clients: int) -> None:
        self.hold.set()
        if not wait_until(lambda: self.parked >= clients or bool(self.problems)):
            pytest.fail(f"only {self.parked} of {clients} clients stopped with a form in hand in {PATIENCE:.0f} s")

    def refused(self) -> None:
        with self.lock:
            self.refusals += 1
            self.refused_clients.add(threading.current_thread().name)

    def wait_until_every_client_was_refused(self, clients: int) -> None:
        if not wait_until(lambda: len(self.refused_clients) >= clients or bool(self.problems)):
            self.problem(f"only {len(self.refused_clients)} of {clients} clients ran into the fault")


def wait_until(condition: Callable[[], bool], patience: float = PATIENCE) -> bool:
    """Poll ``condition`` until it holds or ``patience`` seconds have passed; whether it held."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


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

        def healthy() -> bool:
            if server.poll() is not None:
                return True  # it exited: said below
            try:  # a slow first answer (workers still importing) is waited for, not taken as a failure
                return requests.get(f"{base}/healthz", timeout=10).status_code == 200
            except requests.RequestException:
                return False

        if not wait_until(healthy) or server.poll() is not None:
            output.flush()
            pytest.fail(
                f"gunicorn did not answer /healthz in {PATIENCE:.0f} s:\n{log.read_text(errors='replace')[-2000:]}"
            )
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            server.kill()
        output.close()


def send_until_stored(
    post: Callable[[dict[str, str]], requests.Response],
    fields: dict[str, str],
    typed: str,
    tally: Tally,
) -> bool:
    """Post; on a 503, check the page kept what was typed and send the page's form again."""
    tally.wait_for_the_fault()
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        try:
            answer = post(fields)
        except requests.RequestException as error:  # no answer in a minute: whether it was stored is unknown
            tally.problem(f"no answer at all: {error}")
            return False
        if answer.status_code == 302:
            return True
        if answer.status_code != 503:
            tally.problem(f"{answer.status_code} for {typed!r}")
            return False
        tally.refused()
        with tally.lock:
            tally.kept += typed in unescape(answer.text)
        if typed not in unescape(answer.text):
            tally.problem(f"the 503 page lost {typed!r}")
        fields = fields | hidden_fields(answer.text)
        time.sleep(0.2)
    tally.problem(f"never stored: {typed!r}")
    return False


def get_page(session: requests.Session, url: str, tally: Tally) -> str | None:
    """The page, waiting through 503s and slow answers (a page load changes nothing, so it may be repeated)."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        try:
            page = session.get(url, timeout=ANSWER_TIMEOUT)
        except requests.RequestException:
            time.sleep(0.2)
            continue
        if page.status_code == 200:
            return page.text
        if page.status_code != 503:
            tally.problem(f"GET {url}: {page.status_code}")
            return None
        with tally.lock:
            tally.pages_refused += 1
        time.sleep(0.2)
    tally.problem(f"GET {url} never answered in {PATIENCE:.0f} s")
    return None


def parents(base: str, link_key: str, area_id: str, numbers: Iterator[int], tally: Tally) -> None:
    url = f"{base}/sv/survey/{link_key}/"
    while not tally.stop.is_set() and not tally.problems:
        session = requests.Session()
        page = get_page(session, url, tally)
        if page is None:
            return
        typed = f"Svar {words(next(numbers))} om stödet"
        fields = hidden_fields(page) | {"q-support": "no", "q-why": typed, "area": area_id, "go": "next"}

        def post(data: dict[str, str], session: requests.Session = session) -> requests.Response:
            return session.post(url, data=data, allow_redirects=False, timeout=ANSWER_TIMEOUT)

        if send_until_stored(post, fields, typed, tally):
            with tally.lock:
                tally.successes.append(typed)


def staff(base: str, session_cookie: str, tally: Tally) -> None:
    url = f"{base}/sv/staff/organisations/botkyrka/edit/"
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, session_cookie)
    for number in itertools.count():
        if tally.stop.is_set() or tally.problems:
            return
        page = get_page(session, url, tally)
        if page is None:
            return
        typed = f"Redigering {words(number)}"
        fields = hidden_fields(page) | {"name": "Botkyrka kommun", "description": typed, "email": "", "phone": ""}

        def post(data: dict[str, str]) -> requests.Response:
            return session.post(url, data=data, allow_redirects=False, headers={"Referer": url}, timeout=ANSWER_TIMEOUT)

        if send_until_stored(post, fields, typed, tally):
            with tally.lock:
                tally.successes.append(typed)


@dataclass
class Fault:
    database_url: str
    read: Callable[[str], list[tuple[Any, ...]]]
    # takes the database away, calls its argument (which returns when every client has run into the fault),
    # and brings the database back
    strike: Callable[[Callable[[], None]], None]


def as_root(command: list[str]) -> list[str]:
    """Debian's cluster tools run as root (``sudo -n`` for a developer who is not)."""
    return command if os.geteuid() == 0 else ["sudo", "-n", *command]


def run(command: list[str], what: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """Run a set-up command; if it fails, fail the test saying what could not be done and why."""
    try:
        return subprocess.run(command, check=True, capture_output=True, timeout=PATIENCE, **kwargs)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        said = getattr(error, "stderr", b"") or b""
        pytest.fail(f"the fault test could not {what}: {' '.join(command)}: {error} {said.decode(errors='replace')}")


@contextmanager
def postgres_fault() -> Iterator[Fault]:
    """A private PostgreSQL cluster with a copy of the test database, stopped and started by the fault.

    The machine's own cluster is never touched, so another test run beside this one keeps its database.
    """
    for tool in ("pg_createcluster", "pg_ctlcluster", "pg_dropcluster", "pg_dump", "psql"):
        require_real_part(bool(shutil.which(tool)), f"{tool} (for a private PostgreSQL cluster)")
    version = sorted(os.listdir("/etc/postgresql"), key=lambda name: [int(part) for part in name.split(".")])[-1]
    name, port = f"stodkedjan_fault_{os.getpid()}", free_port()
    params = connection.settings_dict
    source = ["-h", params["HOST"] or "127.0.0.1", "-p", str(params["PORT"] or 5432), "-U", params["USER"]]
    cluster = as_root(["pg_ctlcluster", "--skip-systemctl-redirect", version, name])
    run(as_root(["pg_createcluster", version, name, "-p", str(port)]), "create a private PostgreSQL cluster")
    try:
        hba = f"/etc/postgresql/{version}/{name}/pg_hba.conf"
        trust = "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
        run(as_root(["tee", hba]), "let the test's client in", input=trust.encode())
        run([*cluster, "start"], "start the private cluster")
        target = ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
        run(["createdb", *target, "stodkedjan"], "create its database")
        dump = run(["pg_dump", "--no-owner", "--no-privileges", *source, params["NAME"]], "copy the test database")
        run(["psql", "-q", "-v", "ON_ERROR_STOP=1", *target, "stodkedjan"], "load the copy", input=dump.stdout)
        url = f"postgres://postgres@127.0.0.1:{port}/stodkedjan"

        def strike(during: Callable[[], None]) -> None:
            run([*cluster, "stop", "-m", "fast"], "stop the private cluster")
            try:
                during()
            finally:
                run([*cluster, "start"], "start the private cluster again")

        def read(sql: str) -> list[tuple[Any, ...]]:
            import psycopg

            with psycopg.connect(url) as copy, copy.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())

        yield Fault(url, read, strike)
    finally:
        subprocess.run(as_root(["pg_dropcluster", "--stop", version, name]), capture_output=True, timeout=PATIENCE)


@contextmanager
def sqlite_fault(tmp_path: Path) -> Iterator[Fault]:
    path = tmp_path / "stodkedjan.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)  # the test's in-memory database, on disk for gunicorn

    def strike(during: Callable[[], None]) -> None:
        with closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # a long import or a backup holding the file
            try:
                during()
            finally:
                other.execute("ROLLBACK")

    def read(sql: str) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(path)) as reader:
            return reader.execute(sql).fetchall()

    yield Fault(f"sqlite:///{path}", read, strike)


def test_answers_and_edits_survive_the_database_going_away(world, tmp_path):
    survey_round = make_round(world.home)
    area_id = survey_round.areas.first().code
    staff_client = Client()
    staff_client.force_login(world.users["admin"])
    tally = Tally()
    numbers = itertools.count()
    log = tmp_path / "gunicorn.log"
    cookie = staff_client.cookies[settings.SESSION_COOKIE_NAME].value
    faulty = postgres_fault() if connection.vendor == "postgresql" else sqlite_fault(tmp_path)
    with faulty as fault, gunicorn(fault.database_url, log) as base:
        workers = [
            threading.Thread(target=parents, args=(base, survey_round.link_key, area_id, numbers, tally), name=f"p{n}")
            for n in range(3)
        ]
        workers.append(threading.Thread(target=staff, args=(base, cookie, tally), name="staff"))
        for worker in workers:
            worker.start()
        time.sleep(RUN_BEFORE)
        tally.park_everyone(len(workers))

        def during() -> None:
            tally.down.set()
            tally.wait_until_every_client_was_refused(len(workers))

        fault.strike(during)
        time.sleep(RUN_AFTER)
        tally.stop.set()
        for worker in workers:
            worker.join(timeout=PATIENCE * 2)
        assert not any(worker.is_alive() for worker in workers), "a client never finished"
        answers = [
            json.loads(row[0]) if isinstance(row[0], str) else row[0]
            for row in fault.read(f"SELECT answers FROM {Response._meta.db_table} WHERE round_id = {survey_round.pk}")
        ]
        description = fault.read(f"SELECT description FROM {Organisation._meta.db_table} WHERE slug = 'botkyrka'")

    assert tally.problems == [], log.read_text(errors="replace")[-4000:]
    assert len(tally.refused_clients) == len(workers)  # every client ran into the fault
    assert tally.kept == tally.refusals
    stored = sorted(answer["why"] for answer in answers)
    sent = sorted(text for text in tally.successes if text.startswith("Svar"))
    assert stored == sent  # each answer that got the thank-you page, once; nothing else
    edits = [text for text in tally.successes if text.startswith("Redigering")]
    assert edits
    assert description == [(edits[-1],)]
    print(
        f"\nfault test ({connection.vendor}): {len(sent)} answers and {len(edits)} edits stored, "
        f"{tally.refusals} posts refused with 503 during the fault ({tally.kept} kept what was sent and went through "
        f"when sent again), {tally.pages_refused} page loads refused with 503"
    )
