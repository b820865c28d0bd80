"""Staff sign-in through the organisation's own identity provider (OpenID Connect, mozilla-django-oidc).

Switched on by ``OIDC_RP_CLIENT_ID`` and the provider's endpoints (see README). Nobody gets an account by
signing in: the provider's verified e-mail address must belong to a user an organisation's admin has added,
so roles stay decided in Stödkedjan. Local accounts keep working beside it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from stodkedjan.accounts.models import User
from stodkedjan.core.access import public


class ExistingUserBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(email__iexact=str(claims.get("email", "")).strip(), is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:
        return None  # accounts are made by invitation, never by signing in


def _enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


@public
def start(request: HttpRequest) -> HttpResponse:
    """Off to the identity provider (404 when the site has none configured)."""
    _enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


@public
def callback(request: HttpRequest) -> HttpResponse:
    """Back from the identity provider: signed in, or sent to the sign-in page with a reason."""
    _enabled()
    return OIDCAuthenticationCallbackView.as_view()(request)
