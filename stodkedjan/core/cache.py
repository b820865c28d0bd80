"""Caching of public pages. ``browser_cache``: what browsers and shared caches may keep, the same for every
visitor. ``cached_public_page``: the finder's busiest pages (no cookie, no session, nothing personal) made
once per ``PUBLIC_PAGE_CACHE_SECONDS`` and language; with Redis as the cache (``CACHE_URL``) all app servers
share them; 0 turns it off."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
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
