"""A second database connection that holds a table for writing, as a long import or a backup would: SQLite's
write lock, or PostgreSQL's table lock with a short lock_timeout for our own connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models


@contextmanager
def another_writer(model: type[models.Model]) -> Iterator[None]:
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute(f"UPDATE {table} SET id = id WHERE 0")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    import psycopg

    params = connection.get_connection_params()
    keys = {"dbname", "user", "host", "port", "password"}
    other_pg = psycopg.connect(**{key: value for key, value in params.items() if key in keys})
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
