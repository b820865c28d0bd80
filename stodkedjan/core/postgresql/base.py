"""Django's PostgreSQL backend, whose health check asks the connection's socket before it asks the server.

With ``CONN_HEALTH_CHECKS``, Django checks a kept connection at the start of every request with ``SELECT 1``: a
round trip to the server, and half the queries a public page sends. A connection the server has ended (a restart,
an administrator, an idle timeout) has something to read — the server's goodbye or the end of the stream — while
a healthy idle one has nothing: psycopg has read every reply to the last query. So a connection with nothing to
read is taken as healthy without asking, and one with something to read gets Django's own check, which replaces
it if it fails.

A server gone without a word (the host lost, the network cut) is not noticed here, and was not by ``SELECT 1``
either, which waits on such a connection until the operating system gives up on it.
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    # Django's, which django-stubs do not declare.
    health_check_enabled: bool
    health_check_done: bool
    pool: object | None

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and not _has_something_to_read(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


def _has_something_to_read(connection: psycopg.Connection) -> bool:
    """Whether the server has sent anything since the last reply was read (or the socket is gone)."""
    try:
        socket = connection.pgconn.socket
    except psycopg.OperationalError:  # psycopg has closed it
        return True
    poller = select.poll()
    poller.register(socket, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
