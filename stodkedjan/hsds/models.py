"""Write access to the HSDS API: tokens an organisation's admin creates, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation

TOKEN_PREFIX = "stk_"


def hash_token(raw: str) -> str:
    """A token has 256 random bits, so a plain SHA-256 is enough (no slow password hash is needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("what the token is for"), max_length=100)
    hint = models.CharField(_("beginning of the token"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, organisation: Organisation, name: str, user: object | None) -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            organisation=organisation, name=name, hint=raw[:10], digest=hash_token(raw), created_by=user
        )
        return token, raw

    @classmethod
    def is_valid(cls, raw: str) -> bool:
        """Whether ``raw`` is a token in use (without marking it used: reads are not writes)."""
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            return False
        return cls.objects.filter(digest=hash_token(raw), revoked_at__isnull=True).exists()

    @classmethod
    def authenticate(cls, raw: str) -> ApiToken | None:
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            return None
        token = (
            cls.objects.select_related("organisation__area")
            .filter(digest=hash_token(raw), revoked_at__isnull=True)
            .first()
        )
        if token is not None:
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token
