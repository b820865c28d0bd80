"""Users sign in with e-mail; they act through memberships (a role) in organisations, the tenants."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from stodkedjan.core.fields import HttpsURLField
from stodkedjan.geo.models import Area


class UserManager(DjangoUserManager["User"]):
    """Users are identified by e-mail address; there is no username."""

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganisationKind(models.TextChoices):
    NATIONAL_AGENCY = "national_agency", _("national agency")
    COUNTY_BOARD = "county_board", _("county administrative board")
    REGION = "region", _("region")
    MUNICIPALITY = "municipality", _("municipality")
    DISTRICT_ADMINISTRATION = "district_administration", _("district administration")
    CIVIL_SOCIETY = "civil_society", _("civil society organisation")
    STUDY_ASSOCIATION = "study_association", _("study association")
    OTHER = "other", _("other")


class EditReview(models.TextChoices):
    """Whether an editor's change to a published offering waits for a reviewer (directory.ServiceDraft)."""

    OFF = "", _("published at once")
    OWN = "own", _("reviewed by the organisation's coordinators")
    COUNTY_BOARD = "county_board", _("reviewed by the county board")


class Organisation(models.Model):
    """A tenant: everything someone edits belongs to one organisation, which covers one area."""

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area covered"), on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    description = models.TextField(_("description"), blank=True)
    website = HttpsURLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edit_review = models.CharField(
        _("changes to published offerings"), max_length=20, choices=EditReview.choices, default="", blank=True
    )
    # A county board's schedule for the verification reminders of every offering in its county (issue 24);
    # empty: the site's defaults (``DIRECTORY_REMINDER_DAYS``, ``DIRECTORY_FLAG_AFTER_DAYS``).
    reminder_days = models.JSONField(_("reminders, days after the first request"), default=list, blank=True)
    flag_after_days = models.PositiveSmallIntegerField(
        _("handed to the county board after (days)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Roles in rising order: each role can do what the ones before it can."""

    VIEWER = "viewer", _("viewer")
    EDITOR = "editor", _("editor")
    COORDINATOR = "coordinator", _("coordinator")
    ADMIN = "admin", _("administrator")

    @classmethod
    def rank(cls, role: str) -> int:
        return [r.value for r in cls].index(role)


class Membership(models.Model):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="accounts_one_membership_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"
