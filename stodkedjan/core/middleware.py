from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class SwedishAdminMiddleware:
    """Show the Django admin in Swedish whatever the browser asks for: it has no /<lang>/ prefix."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/admin/"):
            translation.activate("sv")
            request.LANGUAGE_CODE = "sv"
        return self.get_response(request)
