"""The public site's own content: trusted information pages, local contacts, and page feedback counts."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.fields import HttpsURLField
from stodkedjan.core.phone import tel_uri
from stodkedjan.geo.models import Area


class PageKind(models.TextChoices):
    ABOUT_SOCIAL_SERVICES = "about_social_services", _("About social services")
    WORRIED_NOW = "worried_now", _("Worried right now?")


class InformationPage(models.Model):
    """A page of trusted information, owned by an organisation. ``title``, ``summary``, ``body`` are translated.

    The body is plain text: blank lines part paragraphs, a line starting with "## " is a heading and lines
    starting with "- " make a list. No HTML, so nothing unsafe can be stored.
    """

    kind = models.CharField(_("page"), max_length=30, choices=PageKind.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="information_pages"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"))
    last_reviewed = models.DateField(_("last reviewed"), default=timezone.localdate)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        constraints = [
            models.UniqueConstraint(fields=["kind", "organisation"], name="finder_one_page_per_kind_and_organisation")
        ]

    def __str__(self) -> str:
        return self.title


class ContactKind(models.TextChoices):
    SOCIAL_SERVICES = "social_services", _("Social services")
    EMERGENCY_SOCIAL_SERVICES = "emergency_social_services", _("Emergency social services (evenings and weekends)")
    FIELD_WORKERS = "field_workers", _("Field workers")
    PARENT_LINE = "parent_line", _("Advice line for parents")
    OTHER = "other", _("Other")


class LocalContact(models.Model):
    """Who a worried parent in a municipality can call today."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="local_contacts"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("municipality or district"), on_delete=models.PROTECT, related_name="local_contacts"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30)
    hours = models.CharField(_("when to call"), max_length=200, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Languages a parent can speak with them in.")
    )
    url = HttpsURLField(_("web page"), blank=True)

    class Meta:
        verbose_name = _("local contact")
        verbose_name_plural = _("local contacts")
        ordering = ["area__name", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.area})"

    @property
    def tel_uri(self) -> str:
        return tel_uri(self.phone)


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class FeedbackCount(models.Model):
    """ "Did you find what you needed?" — counts per page and month, nothing about who answered."""

    page = models.CharField(max_length=80)
    month = models.DateField()
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "month"], name="finder_feedback_page_month")]
