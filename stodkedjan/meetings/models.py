"""Dialogue meetings with municipal managers, and the needs register (DESIGN §2, §5).

A county board meets the managers of its municipalities to learn what coordination and support they
need. Before the meeting, the invited organisations may answer its discussion questions (these answers are
not anonymous: it is organisations that answer). What the meeting brings up becomes ``Need``s, which are
followed until answered, at the level they are addressed to; the county can pass a need on to the
national level.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.fields import HttpsURLField


class DialogueMeeting(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="dialogue_meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = HttpsURLField(_("link to the online meeting"), blank=True)
    invited = models.ManyToManyField(
        Organisation, verbose_name=_("invited organisations"), related_name="meeting_invitations", blank=True
    )
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[invited])

    class Meta:
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    def invited_ids(self) -> set[int]:
        """The invited organisations' ids, read once per object (the permission rules ask often)."""
        if not hasattr(self, "_invited_ids"):
            self._invited_ids = set(self.invited.values_list("pk", flat=True))
        return self._invited_ids


class DiscussionQuestion(models.Model):
    meeting = models.ForeignKey(DialogueMeeting, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    position = models.PositiveIntegerField(default=0)
    ask_before = models.BooleanField(
        _("ask the invited organisations before the meeting"),
        default=True,
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class PreMeetingAnswer(models.Model):
    """An invited organisation's answer to a question before the meeting (signed by the organisation)."""

    question = models.ForeignKey(DiscussionQuestion, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pre_meeting_answers")
    text = models.TextField(_("answer"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "organisation"], name="one_answer_per_organisation")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.question}"


class NeedTheme(models.TextChoices):
    COORDINATION = "coordination", _("coordination and collaboration")
    COMPETENCE = "competence", _("competence, training and method support")
    RESOURCES = "resources", _("resources and funding")
    REACHING_PARENTS = "reaching_parents", _("reaching parents (trust, languages, outreach)")
    YOUNGER_CHILDREN = "younger_children", _("support for children under 15 and their parents")
    SOCIAL_SERVICES = "social_services", _("tools for social services")
    KNOWLEDGE = "knowledge", _("knowledge, data and follow-up")
    NATIONAL_MEASURES = "national_measures", _("national measures and legislation")
    OTHER = "other", _("other")


class NeedLevel(models.TextChoices):
    LOCAL = "local", _("local")
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("national")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("being worked on")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class Need(models.Model):
    """A need raised by an organisation, followed until it is answered."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="needs"
    )
    meeting = models.ForeignKey(
        DialogueMeeting,
        verbose_name=_("raised at the meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    title = models.CharField(_("the need in one line"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.CharField(_("theme"), max_length=30, choices=NeedTheme.choices)
    level = models.CharField(_("addressed to"), max_length=10, choices=NeedLevel.choices)
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        Organisation,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_needs",
    )
    passed_on_at = models.DateTimeField(_("passed on to the national level"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def raised_on(self) -> Any:
        """When the need was raised: its meeting's day when it came from one, else the day it was written."""
        return self.meeting.starts_at if self.meeting_id and self.meeting else self.created_at
