"""A version of the areas, for what is drawn from them once and kept (the finder's area list): it changes
whenever an area is saved or deleted, so anything keyed by it is never stale."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache

KEY = "geo:areas-version"


def areas_version() -> str:
    version = cache.get(KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(KEY, version, timeout=None)
        version = cache.get(KEY, version)
    return str(version)


def areas_changed(**_kwargs: Any) -> None:
    cache.set(KEY, uuid.uuid4().hex, timeout=None)
