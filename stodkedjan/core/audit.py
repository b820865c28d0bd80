"""Recording security-relevant events (DESIGN §6): sign-ins and failures, role changes, API tokens, exports
of data and publication. ``AuditMiddleware`` keeps who is acting and from where for the request, so the
apps' services only say what happened."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from stodkedjan.core.models import AuditEvent, AuditKind

logger = logging.getLogger("stodkedjan.audit")
_actor: ContextVar[Any] = ContextVar("audit_actor", default=None)
_path: ContextVar[str] = ContextVar("audit_path", default="")


def client_address(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(
    kind: str,
    *,
    summary: str = "",
    organisation: Any = None,
    actor: Any = None,
    request: HttpRequest | None = None,
    email: str = "",
) -> AuditEvent:
    """Write one event. The actor is the signed-in user of the request unless given."""
    actor = actor if actor is not None else _actor.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent.objects.create(
        kind=kind,
        actor_id=getattr(actor, "pk", None),
        actor_email=(getattr(actor, "email", "") or email)[:254],
        organisation_id=getattr(organisation, "pk", None),
        organisation_name=str(organisation or "")[:200],
        summary=summary[:500],
        path=(request.get_full_path() if request is not None else _path.get())[:500],
        client_address=client_address(request) if kind in SIGN_IN_KINDS else None,
    )
    logger.info("audit %s %s %s", kind, event.actor_email, summary)
    return event


SIGN_IN_KINDS = {AuditKind.SIGNED_IN, AuditKind.SIGN_IN_FAILED, AuditKind.SIGNED_OUT}


class AuditMiddleware:
    """After authentication: remembers the acting user, and records every file a signed-in user downloads
    (exports of data leave the system that way)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor_token = _actor.set(user if user is not None and user.is_authenticated else None)
        path_token = _path.set(request.get_full_path())
        try:
            response = self.get_response(request)
            disposition = response.get("Content-Disposition", "")
            if disposition.startswith("attachment") and response.status_code == 200 and _actor.get() is not None:
                filename = disposition.split("filename=", 1)[-1].strip('"')
                record(AuditKind.EXPORT, summary=filename, request=request)
        finally:
            _actor.reset(actor_token)
            _path.reset(path_token)
        return response


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(AuditKind.SIGNED_IN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditKind.SIGNED_OUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "")
    record(AuditKind.SIGN_IN_FAILED, email=email, summary=email, request=request)
