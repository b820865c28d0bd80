"""The audit log: security-relevant events that administrators can read and nobody can change.

Stored by ``core.audit.record``. Rows are written once: saving an existing row, deleting one, or updating or
deleting through a queryset raises ``ImmutableError``. People and organisations are kept as id and a copy of
their e-mail or name, so the log still reads right after a user or an organisation is gone.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableError(Exception):
    pass


class AuditKind(models.TextChoices):
    SIGNED_IN = "signed_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed sign-in")
    SIGNED_OUT = "signed_out", _("signed out")
    MEMBER_ADDED = "member_added", _("member added")
    ROLE_CHANGED = "role_changed", _("role changed")
    MEMBER_REMOVED = "member_removed", _("member removed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    EXPORT = "export", _("data exported")
    PUBLICATION = "publication", _("publication changed")
    REGISTRATION = "registration", _("registration changed by the organiser")
    SECOND_FACTOR_ON = "second_factor_on", _("two-step sign-in turned on")
    SECOND_FACTOR_OFF = "second_factor_off", _("two-step sign-in turned off")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError("audit events cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=30, choices=AuditKind.choices, db_index=True)
    actor_id = models.PositiveBigIntegerField(_("user id"), null=True, blank=True)
    actor_email = models.CharField(_("user"), max_length=254, blank=True)
    organisation_id = models.PositiveBigIntegerField(_("organisation id"), null=True, blank=True, db_index=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    summary = models.CharField(_("what"), max_length=500, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    client_address = models.GenericIPAddressField(_("from"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.actor_email}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("audit events cannot be deleted")
