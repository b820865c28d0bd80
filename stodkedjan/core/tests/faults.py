"""A second database connection that holds a table for writing, as a long import or a backup would: SQLite's
write lock, or PostgreSQL's table lock with a short lock_timeout for our own connection. And the hidden fields
of a page, which a browser sends back when the form on a refusal page is sent again."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import unescape
from typing import Any

from django.db import connection, models

INPUT = re.compile(r"<input\b[^>]*>")


def hidden_fields(html: str) -> dict[str, str]:
    """Name → value of the page's hidden inputs, unescaped, whatever the order of their attributes."""
    fields = {}
    for tag in INPUT.findall(html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if 'type="hidden"' in tag and name:
            fields[name[1]] = unescape(value[1]) if value else ""
    return fields


@contextmanager
def _held(table: str, vendor: str, params: dict[str, Any]) -> Iterator[None]:
    if vendor == "sqlite":
        other = sqlite3.connect(params["NAME"], uri=True, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute(f"UPDATE {table} SET id = id WHERE 0")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    import psycopg

    keys = {"dbname", "user", "host", "port", "password"}
    other_pg = psycopg.connect(**{key: value for key, value in params.items() if key in keys})
    try:
        other_pg.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        other_pg.rollback()
        other_pg.close()


@contextmanager
def _giving_up_quickly() -> Iterator[None]:
    """On PostgreSQL our connection waits 300 ms for a lock, not for ever (SQLite's shared cache fails at once)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def _where(model: type[models.Model]) -> tuple[str, str, dict[str, Any]]:
    params = connection.settings_dict if connection.vendor == "sqlite" else connection.get_connection_params()
    return model._meta.db_table, connection.vendor, dict(params)


@contextmanager
def another_writer(model: type[models.Model]) -> Iterator[None]:
    """The table is held for the whole block."""
    with _held(*_where(model)), _giving_up_quickly():
        yield


@contextmanager
def another_writer_until(
    model: type[models.Model], let_go: Callable[[], bool], patience: float = 120
) -> Iterator[None]:
    """The table is held from the start of the block until ``let_go()`` holds (polled by another thread), so a
    test sees the holder and then its release in that order however slow the machine is."""
    where, ready, gave_up = _where(model), threading.Event(), threading.Event()

    def hold() -> None:
        with _held(*where):
            ready.set()
            deadline = time.monotonic() + patience
            while not let_go():
                if time.monotonic() > deadline:
                    gave_up.set()
                    return
                time.sleep(0.02)

    holder = threading.Thread(target=hold)
    holder.start()
    if not ready.wait(patience):
        raise AssertionError(f"the other writer could not take {model._meta.db_table} in {patience:.0f} s")
    try:
        with _giving_up_quickly():
            yield
    finally:
        holder.join()
    if gave_up.is_set():
        raise AssertionError(f"the other writer held {model._meta.db_table} {patience:.0f} s without being let go")
