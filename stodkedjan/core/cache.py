"""Caching of public pages. ``browser_cache``: what browsers and shared caches may keep, the same for every
visitor. ``cached_public_page``: the finder's busiest pages (no cookie, no session, nothing personal) made
once per ``PUBLIC_PAGE_CACHE_SECONDS`` and language; with Redis as the cache (``CACHE_URL``) all app servers
share them; 0 turns it off."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control, cache_page

from stodkedjan.core.access import View

BROWSER_CACHE_SECONDS = 300


def browser_cache(max_age: int = BROWSER_CACHE_SECONDS) -> Callable[[View], View]:
    """A public page that browsers and shared caches may keep ``max_age`` seconds."""
    return cache_control(public=True, max_age=max_age)


def patch_browser_cache(response: HttpResponseBase, max_age: int = BROWSER_CACHE_SECONDS) -> None:
    patch_cache_control(response, public=True, max_age=max_age)


def cached_public_page(view: View) -> View:
    """Serve a public GET page from the cache for ``PUBLIC_PAGE_CACHE_SECONDS`` (keyed by the full URL,
    which holds the language and the search)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return cache_page(seconds, key_prefix="public")(view)(request, *args, **kwargs)

    return wrapped


_KEPT_HERE: dict[str, Any] = {}
KEPT_HERE_MAX = 4096  # a few MB: the area list, and the result cards and offering pages read most


def versioned(key: str, make: Callable[[], Any], timeout: int) -> Any:
    """The value under ``key`` — a key that carries the version of its data, so the value never changes — from
    this process's own copy, else the shared cache, else made now and stored in both. Large values read on every
    page (the area list) then cross the network to Redis once per process, not once per request."""
    if key in _KEPT_HERE:
        return _KEPT_HERE[key]
    value = cache.get(key)
    if value is None:
        value = make()
        if value is None:
            return None
        cache.set(key, value, timeout)
    _keep_here({key: value})
    return value


def versioned_many(keys: list[str]) -> dict[str, Any]:
    """The values under ``keys`` (each carrying the version of its data, as for ``versioned``) that are kept, from
    this process's own copy, else in one read of the shared cache."""
    found = {key: _KEPT_HERE[key] for key in keys if key in _KEPT_HERE}
    if len(found) < len(keys):
        shared = cache.get_many([key for key in keys if key not in found])
        _keep_here(shared)
        found.update(shared)
    return found


def keep_versioned(values: dict[str, Any], timeout: int) -> None:
    """Keep ``values`` under their versioned keys, in the shared cache and in this process."""
    cache.set_many(values, timeout)
    _keep_here(values)


def _keep_here(values: dict[str, Any]) -> None:
    if len(_KEPT_HERE) + len(values) > KEPT_HERE_MAX:
        _KEPT_HERE.clear()  # simpler than least-recently-used, and what is dropped is still in the shared cache
    _KEPT_HERE.update(values)


def forget_kept_here() -> None:
    """Drop this process's copies (tests, and the bench's "not kept" runs; in service, keys change instead)."""
    _KEPT_HERE.clear()


class FragmentCache(BaseCache):
    """``{% cache %}``'s store (``CACHES["template_fragments"]``): rendered fragments kept as they are, in this
    process's memory. ``LocMemCache`` pickles every value in and out and checks every key for memcached; a
    fragment is an immutable string under a key ``{% cache %}`` has hashed already, and every public page reads
    five or six, so here a read is a dictionary look-up. Full at ``MAX_ENTRIES``: emptied (what was dropped is
    drawn again once)."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._kept: dict[str, tuple[Any, float | None]] = {}

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        found = self._kept.get(self.make_key(key, version))
        if found is None:
            return default
        value, expires = found
        if expires is not None and expires <= time.monotonic():
            return default
        return value

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        if len(self._kept) >= self._max_entries:
            self._kept.clear()
        seconds = self._seconds(timeout)
        self._kept[self.make_key(key, version)] = (value, None if seconds is None else time.monotonic() + seconds)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        if self.has_key(key, version):
            return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        value = self.get(key, _MISSING, version)
        if value is _MISSING:
            return False
        self.set(key, value, timeout, version)
        return True

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._kept.pop(self.make_key(key, version), None) is not None

    def clear(self) -> None:
        self._kept.clear()

    def _seconds(self, timeout: Any) -> float | None:
        """How long from now a fragment is kept, or None for ever (``BaseCache.get_backend_timeout`` is the same
        for a time since the epoch)."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else max(0.0, float(timeout))


_MISSING = object()
