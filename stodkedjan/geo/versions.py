"""A version of the areas, for what is drawn from them once and kept (the finder's area list): it changes
whenever an area is saved or deleted, so anything keyed by it is never stale.

Every search and the home page ask for it. It lives in the shared cache, and each process keeps the copy it read
for ``KEPT_SECONDS``: a change made in one process is seen by the others within that time (areas change a few
times a year, by an import), and a page does not pay a round trip to Redis for it."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.core.cache import cache

from stodkedjan.core.logging import request_memo

KEY = "geo:areas-version"
KEPT_SECONDS = 5.0
_kept: dict[str, Any] = {}  # "version", and "until" (time.monotonic()) it is asked again


def areas_version() -> str:
    """The current version: this process's copy while it is fresh, else asked of the shared cache (once per
    request: a search page asks twice)."""
    memo = request_memo.get()
    if memo is not None and KEY in memo:
        return str(memo[KEY])
    if _kept.get("until", 0.0) > time.monotonic():
        version = _kept["version"]
    else:
        version = cache.get(KEY)
        if version is None:
            version = uuid.uuid4().hex
            cache.add(KEY, version, timeout=None)
            version = cache.get(KEY, version)
        _keep(version)
    if memo is not None:
        memo[KEY] = version
    return str(version)


def areas_changed(**_kwargs: Any) -> None:
    version = uuid.uuid4().hex
    cache.set(KEY, version, timeout=None)
    _keep(version)
    memo = request_memo.get()
    if memo is not None:
        memo.pop(KEY, None)


def forget_kept_version() -> None:
    """Drop this process's copy (tests: the shared cache is emptied between them)."""
    _kept.clear()


def _keep(version: str) -> None:
    _kept.update(version=version, until=time.monotonic() + KEPT_SECONDS)
