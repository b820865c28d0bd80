from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from stodkedjan.accounts import queries


def _workspace(request: HttpRequest) -> dict[str, Any]:
    memberships = queries.user_memberships(request.user)
    current = queries.current_membership(request, memberships)
    path = request.path
    navigation = [
        {"url": (url := reverse(name)), "label": label, "current": path == url}
        for name, label, perm in settings.STAFF_NAVIGATION
        if perm is None or request.user.has_perm(perm)
    ]
    return {"memberships": memberships, "current": current, "navigation": navigation}


def workspace(request: HttpRequest) -> dict[str, Any]:
    """Staff context (memberships, current organisation, navigation), computed only when a page uses it."""
    if not request.user.is_authenticated:
        return {}
    return {"workspace": SimpleLazyObject(lambda: _workspace(request))}
