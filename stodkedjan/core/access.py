"""Every view states who may see it, through one of these decorators.

``public`` marks a page anyone may read. ``rule_required`` checks a permission from
``accounts/rules.py`` (via the ``rules`` backend), optionally against an object looked up from the URL.
The permission-matrix test refuses any view that carries neither mark, so a new view cannot be added
without a decision about who may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

PUBLIC = "public"

View = Callable[..., HttpResponseBase]


def public(view: View) -> View:
    """Mark a view as readable by anyone, signed in or not."""
    view.access_rule = PUBLIC  # type: ignore[attr-defined]
    return view


def rule_required(perm: str, lookup: Callable[..., Any] | None = None) -> Callable[[View], View]:
    """Require ``perm`` for the signed-in user.

    With ``lookup``, the URL's keyword arguments are passed to it; it returns the object the rule is
    checked against (or raises Http404), and the view receives that object instead of the arguments.
    Anonymous users are sent to the login page before anything is looked up, so the existence of an
    object is never revealed to them.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if lookup is None:
                if not request.user.has_perm(perm):
                    raise PermissionDenied
                return view(request, *args, **kwargs)
            obj = lookup(**kwargs)
            if not request.user.has_perm(perm, obj):
                raise PermissionDenied
            return view(request, obj)

        wrapped.access_rule = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator
