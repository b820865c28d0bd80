"""Operations: request ids in responses and logs, JSON logs, and the health check of database and cache."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys

from conftest import require_real_part
from stodkedjan.core.logging import JsonFormatter, RequestIdFilter, request_id

REDIS = ("127.0.0.1", 6379)


def redis_running() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def test_every_response_carries_a_request_id_and_keeps_a_proxys(client, db):
    made = client.get("/sv/")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/sv/")["X-Request-ID"] != made
    assert client.get("/sv/", HTTP_X_REQUEST_ID="proxy-abc-123")["X-Request-ID"] == "proxy-abc-123"
    forged = client.get("/sv/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert forged != "<script>alert(1)</script>"
    assert len(forged) == 32


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord("stodkedjan.test", logging.WARNING, __file__, 1, "Låst: %s", ("x",), None)
    token = request_id.set("abcdef123456")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abcdef123456"
    assert line["message"] == "Låst: x"
    assert line["level"] == "WARNING"


def test_the_health_check_uses_the_real_redis_cache_and_reports_a_dead_one(client, db, settings):
    require_real_part(redis_running(), "Redis (127.0.0.1:6379)")
    settings.CACHES = {
        "default": {"BACKEND": "stodkedjan.core.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    }
    from django.core.cache import caches

    caches["default"].set("stk-test", "kvar", 30)
    assert caches["default"].get("stk-test") == "kvar"
    assert caches["default"].get_many(["stk-test", "stk-none"]) == {"stk-test": "kvar"}
    clients = caches["default"]._cache
    assert clients.get_client() is clients.get_client(), "one Redis client, not one per call"
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    settings.CACHES = {
        "default": {"BACKEND": "stodkedjan.core.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unavailable"}


def test_a_cache_url_that_is_not_redis_stops_the_start():

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='stodkedjan.settings'; django.setup()",
        ],
        env={**os.environ, "CACHE_URL": "memcached://x"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "CACHE_URL must be a redis:// or rediss:// address" in result.stderr


def test_busy_public_pages_are_served_from_the_cache_without_queries_or_cookies(
    client, world, settings, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stodkedjan.directory.tests.factories import make_service

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    make_service(world.home, name="Föräldragrupp i cachen")
    first = client.get("/sv/search/?q=grupp")
    with django_assert_num_queries(0):
        again = client.get("/sv/search/?q=grupp")
    assert again.content == first.content
    assert again.cookies == {}
    assert "public" in again["Cache-Control"]
    assert client.get("/ar/search/?q=grupp").content != first.content  # each language its own page
    client.force_login(world.users["viewer"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sv/search/?q=grupp").status_code == 200
    assert len(queries) > 0  # signed in: made fresh, never from (or into) the public cache
    cache.clear()
