"""Logs that operations can search: every line knows its request id, and production writes JSON.

``RequestIdMiddleware`` takes the id a proxy sent in ``X-Request-ID`` (when it looks like one) or makes one,
answers with it, and keeps it in a context variable that ``RequestIdFilter`` puts on every log record of
that request. ``JsonFormatter`` writes one JSON object per line.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")
# What one request has looked up once and may ask for again (a version kept in the shared cache): a new dict per
# request, None outside one, so nothing crosses from one request to the next.
request_memo: ContextVar[dict[str, Any] | None] = ContextVar("request_memo", default=None)
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        current = given if ACCEPTED_ID.match(given) else uuid.uuid4().hex
        token, memo = request_id.set(current), request_memo.set({})
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
            request_memo.reset(memo)
        response[HEADER] = current
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
