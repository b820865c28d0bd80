"""The regional structure: networks and working groups, their meetings and announcements, and events and
trainings with registration (DESIGN §2).

Registrations are the one place Stödkedjan holds people's names and e-mail addresses (professionals and
others who sign up, never children). They are deleted ``EVENT_PERSONAL_DATA_DAYS`` after the event; the
event keeps only its counts.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.fields import HttpsURLField
from stodkedjan.knowledge.models import RESOURCE_EXTENSIONS, Method
from stodkedjan.surveys.models import SurveyRound


class NetworkKind(models.TextChoices):
    NETWORK = "network", _("network")
    WORKING_GROUP = "working_group", _("working group")


class Network(models.Model):
    """A regional network of parenting-support actors, or a working group (possibly within a network)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("convened by"), on_delete=models.PROTECT, related_name="networks"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=NetworkKind.choices, default=NetworkKind.NETWORK)
    purpose = models.TextField(_("purpose"))
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="groups"
    )
    members = models.ManyToManyField(
        Organisation, verbose_name=_("member organisations"), related_name="network_memberships", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("network or working group")
        verbose_name_plural = _("networks and working groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def member_ids(self) -> set[int]:
        """The convening and member organisations' ids, read once per object (the rules ask often)."""
        if not hasattr(self, "_member_ids"):
            self._member_ids = {self.organisation_id, *self.members.values_list("pk", flat=True)}
        return self._member_ids


class NetworkMeeting(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def organisation(self) -> Organisation:
        return self.network.organisation


class NetworkDocument(models.Model):
    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="network/%Y/", validators=[FileExtensionValidator(RESOURCE_EXTENSIONS)]
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def network(self) -> Network:
        return self.meeting.network

    @property
    def organisation(self) -> Organisation:
        return self.meeting.network.organisation


class Announcement(models.Model):
    """A message from the convenor to the network's members, sent in the next e-mail digest."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="announcements")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    digest_sent_at = models.DateTimeField(_("sent in a digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    TRAINING = "training", _("training")
    CONFERENCE = "conference", _("conference")
    WORKSHOP = "workshop", _("workshop")
    NETWORK_DAY = "network_day", _("network day")


class Event(models.Model):
    """An event or training that anyone may register for while there is room (or a place on the waiting list)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.TRAINING)
    description = models.TextField(_("description"))
    audience = models.CharField(_("for whom"), max_length=300, blank=True)
    methods = models.ManyToManyField(Method, verbose_name=_("methods"), related_name="events", blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = HttpsURLField(_("link to the online event"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("Leave empty for no limit.")
    )
    has_waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    registration_closes_at = models.DateTimeField(_("last day to register"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    # A training for a network: registration needs an address at a member organisation, or the invitation link.
    network = models.ForeignKey(
        Network,
        verbose_name=_("only for the members of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_(
            "Empty: open to everyone. A network: only addresses at its member organisations, or whoever has "
            "the invitation link, can register."
        ),
    )
    invitation_key = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    evaluation = models.ForeignKey(
        SurveyRound,
        verbose_name=_("evaluation questionnaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A survey round of your organisation; its link is sent to participants after the event."),
    )
    evaluation_sent_at = models.DateTimeField(_("evaluation sent"), null=True, blank=True)
    # What remains when the registrations are deleted after the event.
    registered_count = models.PositiveIntegerField(_("registered"), null=True, blank=True)
    attended_count = models.PositiveIntegerField(_("attended"), null=True, blank=True)
    personal_data_deleted_at = models.DateTimeField(_("registrations deleted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lte=models.F("ends_at")), name="network_event_order")
        ]

    def __str__(self) -> str:
        return self.title

    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def registration_is_open(self) -> bool:
        now = timezone.now()
        closes = self.registration_closes_at or self.starts_at
        return self.is_published and now < closes and self.personal_data_deleted_at is None


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    requirements = models.CharField(
        _("anything we should know"),
        max_length=500,
        blank=True,
        help_text=_("For example food, accessibility or interpretation. Deleted with the registration."),
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attended = models.BooleanField(_("attended"), null=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="network_one_active_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    @property
    def organisation(self) -> Organisation:
        return self.event.organisation
