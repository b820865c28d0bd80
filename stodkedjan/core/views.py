"""Public pages of the site itself (home, accessibility statement), health check and error pages."""

import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from stodkedjan.core.access import public


@public
@require_safe
@cache_control(public=True, max_age=300)
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@public
@require_safe
@cache_control(no_store=True)
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with JSON when the app, its database and its cache answer; 503 (saying which) when one does not."""
    result = {"status": "ok", "database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        result.update(status="error", database="unavailable")
    probe = f"healthz-{uuid.uuid4().hex}"
    try:
        cache.set(probe, "1", timeout=5)
        answered = cache.get(probe) == "1"
        cache.delete(probe)
    except Exception:
        answered = False
    if not answered:
        result.update(status="error", cache="unavailable")
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the database or a context processor may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
