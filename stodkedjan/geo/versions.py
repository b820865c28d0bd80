"""A version of the areas, for what is drawn from them once and kept (the finder's area list): it changes
whenever an area is saved or deleted, so anything keyed by it is never stale."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache

from stodkedjan.core.logging import request_memo

KEY = "geo:areas-version"


def areas_version() -> str:
    """The current version, asked of the shared cache once per request (a search page asks twice)."""
    memo = request_memo.get()
    if memo is not None and KEY in memo:
        return str(memo[KEY])
    version = cache.get(KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(KEY, version, timeout=None)
        version = cache.get(KEY, version)
    if memo is not None:
        memo[KEY] = version
    return str(version)


def areas_changed(**_kwargs: Any) -> None:
    cache.set(KEY, uuid.uuid4().hex, timeout=None)
    memo = request_memo.get()
    if memo is not None:
        memo.pop(KEY, None)
