"""Faults while parents answer: a database locked by another writer (SQLite) or a table lock that does not
clear in time (PostgreSQL). The answer is not stored, the page comes back with every answer and a plain
message, and pressing Send again stores it exactly once."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from stodkedjan.surveys.models import Response
from stodkedjan.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db(transaction=True)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@contextmanager
def another_writer() -> Iterator[None]:
    """A second connection that holds the response table for writing, as a long import or backup would."""
    table = Response._meta.db_table
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute(f"UPDATE {table} SET language = language")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    import psycopg

    params = connection.get_connection_params()
    other_pg = psycopg.connect(
        **{k: v for k, v in params.items() if k in {"dbname", "user", "host", "port", "password"}}
    )
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    try:
        other_pg.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        other_pg.rollback()
        other_pg.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def form_fields(html: str, **answers: Any) -> dict[str, Any]:
    fields = dict(HIDDEN.findall(html))
    fields.update(answers)
    return fields


def test_a_locked_database_keeps_the_answers_and_a_retry_stores_them_once(client, world):
    survey_round = make_round(world.home)
    url = f"/sv/survey/{survey_round.link_key}/"
    page = client.get(url).content.decode()
    area = re.findall(r'<option value="([^"]+)"', page.split('name="area"', 1)[1])[0]
    fields = form_fields(page, **{"q-support": "no", "area": area, "go": "next"})
    fields["q-why"] = "Jag vet inte vart jag ska vända mig."
    with another_writer():
        refused = client.post(url, fields)
    html = refused.content.decode()
    assert refused.status_code == 503
    assert "kunde inte sparas just nu" in html
    assert "Jag vet inte vart jag ska vända mig." in html
    assert re.search(r'value="no"[^>]*checked', html)
    assert Response.objects.count() == 0
    again = form_fields(html, **{"q-support": "no", "area": area, "go": "next", "q-why": fields["q-why"]})
    stored = client.post(url, again)
    assert stored.status_code == 302, re.findall(r"error-message[^>]*>([^<]*)", stored.content.decode())
    assert client.post(url, again).status_code == 302  # pressed once more: still one
    assert Response.objects.count() == 1
