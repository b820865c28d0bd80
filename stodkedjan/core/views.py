"""Public pages of the site itself (home, accessibility statement), health check and error pages."""

import sys
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from stodkedjan.core.access import public
from stodkedjan.core.cache import browser_cache


@public
@require_safe
@browser_cache()
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
    if isinstance(sys.exc_info()[1], DatabaseError):
        return database_unavailable(request)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 when the database is restarting or locked by another writer, on any page. Nothing was saved; what
    was posted comes back as a form holding all of it, so one press sends it again — except passwords, which
    never go into a page, and files. Touches no database; never cached."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    fields: list[tuple[str, str]] = []
    secret: list[str] = []
    if request.method == "POST":
        fields = [(name, value) for name, values in request.POST.lists() for value in values]
        fields = [(name, value) for name, value in fields if name != "csrfmiddlewaretoken"]
        secret = [name for name, _value in fields if "password" in name]
        fields = [(name, value) for name, value in fields if name not in secret]
    with translation.override(language):
        context = {
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
            "fields": fields,
            "left_out": request.method == "POST" and bool(request.FILES or secret),
            "action": request.get_full_path(),
            "csrf_token": get_token(request),
        }
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = "5"
    add_never_cache_headers(response)
    return response
