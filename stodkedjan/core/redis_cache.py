"""Django's Redis cache with one Redis client per connection pool instead of one per call.

Django builds a new ``redis.Redis`` for every cache operation, and each sets up its table of some 300 response
callbacks (~0.15 ms): a search page with its area and cards paid that three times. A client is safe to share
between threads (each command takes a connection from the pool), so one per pool is kept.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """One client for writing and one for reading (with replicas, a process reads from the one it met first)."""
        client = self._clients.get(write)
        if client is None:
            client = self._clients.setdefault(write, super().get_client(key, write=write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _SharedClients
