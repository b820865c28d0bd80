"""The PostgreSQL backend's health check: a kept connection is used without a round trip while the server has
said nothing, and replaced before a request uses it once the server has ended it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from stodkedjan.core.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend's own test: make test runs it on PostgreSQL"
)
PATIENCE_MS = 60_000  # how long the server may take to end a connection on a loaded machine


@pytest.fixture
def kept(db: None) -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own, kept between requests and checked at the start of each, as gunicorn's are."""
    wrapper = connections["default"].__class__(
        {**connections["default"].settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}, alias="kept"
    )
    assert isinstance(wrapper, DatabaseWrapper)
    yield wrapper
    wrapper.close()


def backend_of(wrapper: BaseDatabaseWrapper) -> int:
    """The server process behind the connection, asked as a request would: checked first, then queried."""
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def next_request(wrapper: BaseDatabaseWrapper) -> None:
    wrapper.close_if_unusable_or_obsolete()  # what Django does as a request ends and the next begins


def test_a_quiet_kept_connection_is_used_without_asking_the_server(kept, monkeypatch):
    first = backend_of(kept)
    asked = []

    def is_usable() -> bool:
        asked.append(True)
        return True

    monkeypatch.setattr(kept, "is_usable", is_usable)
    next_request(kept)

    assert backend_of(kept) == first
    assert asked == []


def test_a_connection_the_server_ended_is_replaced_before_a_request_uses_it(kept):
    ended = backend_of(kept)
    next_request(kept)
    with connection.cursor() as cursor:  # as an administrator would, waiting until the server process is gone
        cursor.execute("SELECT pg_terminate_backend(%s, %s)", [ended, PATIENCE_MS])
        assert cursor.fetchone()[0], "the server did not end the connection"

    assert backend_of(kept) != ended  # and no OperationalError: the request never saw the dead connection


def test_a_query_sent_again_and_again_is_prepared_on_the_server(kept):
    with kept.cursor() as cursor:
        for age in range(8):  # the same query with other values, as the finder sends it
            cursor.execute("SELECT count(*) FROM directory_searchentry WHERE minimum_age <= %s", [age])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]

    assert any("directory_searchentry WHERE minimum_age <= $1" in statement for statement in prepared)
