"""Survey spam is slowed down without storing who sent it.

Submissions are counted per source address and round in the cache, under a keyed hash of the address
that changes with every time window; the count expires with its window. Nothing about the sender reaches
the database, and the cache cannot be read back to an address without the secret key and the window.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from stodkedjan.surveys.models import SurveyRound


def client_address(request: HttpRequest) -> str:
    """The client's address; behind ``SURVEY_NUM_PROXIES`` reverse proxies, the one they saw."""
    proxies = settings.SURVEY_NUM_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def allow_submission(request: HttpRequest, survey_round: SurveyRound) -> bool:
    """Count one submission from this source; False once it has sent more than the limit in this window."""
    limit, seconds = settings.SURVEY_SUBMISSION_RATE
    window = int(time.time() // seconds)
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{client_address(request)}|{survey_round.pk}|{window}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    key = f"survey-rate:{digest}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit
