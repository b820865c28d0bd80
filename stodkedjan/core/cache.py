"""Whole public pages from the cache: the finder's busiest pages are the same for every visitor (no cookie,
no session, nothing personal), so each one is made once per ``PUBLIC_PAGE_CACHE_SECONDS`` and language.
With Redis as the cache (``CACHE_URL``) all app servers share the pages; 0 turns it off."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.cache import cache_page

from stodkedjan.core.access import View


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
