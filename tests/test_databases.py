"""The suite runs twice, on SQLite and on PostgreSQL; this makes sure the second run really is PostgreSQL."""

import os

from django.db import connection


def test_the_database_is_the_one_asked_for(db):
    expected = os.environ.get("STODKEDJAN_EXPECT_DATABASE", "sqlite")
    assert connection.vendor == expected
