"""An optional second factor for local accounts: a time-based one-time code (TOTP, django-otp) from an
authenticator app. Once a person has turned it on, their staff pages and the admin need the code after the
password; until then, nothing changes for them. Sign-in through the organisation's identity provider
(OIDC) leaves the second factor to the provider."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

PROTECTED = ("/admin/",)


def _confirmed_devices(user: object) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def confirmed_device(user: object) -> TOTPDevice | None:
    return _confirmed_devices(user).first()


def needs_code(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return False
    staff_page = "/staff/" in request.path or request.path.startswith(PROTECTED)
    return staff_page and _confirmed_devices(user).exists()


class RequireSecondFactorMiddleware:
    """After django-otp's middleware: a person with a confirmed device enters the code before staff pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_code(request):
            verify = reverse("accounts:two_factor_verify")
            return HttpResponseRedirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
