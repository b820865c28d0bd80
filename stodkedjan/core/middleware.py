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


# Browser features no page of ours uses are switched off; the finder may ask for the position, on its own
# origin only ("Use my location").
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
