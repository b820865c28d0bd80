"""Questionnaires, survey rounds and anonymous responses (DESIGN §5, §6).

A questionnaire's questions live in a ``QuestionnaireVersion`` as a JSON definition (see
``definition.py``); once a round has used a version it is never changed again, so every answer can be read
against the exact questions it answered. A ``Response`` holds nothing that points at a person: no account,
no interviewer, no IP address or browser, no time of day (only the date), a random identifier (so their
order in the table says nothing either) and a coarse area chosen by the respondent.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.suppression import DEFAULT_MIN_SIZE
from stodkedjan.geo.models import Area


class Questionnaire(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="questionnaires"
    )
    title = models.CharField(
        _("name"), max_length=200, help_text=_("For staff; respondents see the title written in the questions.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    """The questions as they were at one point; frozen as soon as a round uses them."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("questions"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire version")
        ordering = ["questionnaire", "-number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def questions(self) -> list[dict[str, Any]]:
        return self.definition["questions"]

    @property
    def languages(self) -> list[str]:
        return self.definition["languages"]


class Layout(models.TextChoices):
    PAGED = "paged", _("one question per screen")
    SINGLE = "single", _("all questions on one page")


class Mode(models.TextChoices):
    SELF = "self", _("answered by the parent")
    INTERVIEWER = "interviewer", _("entered by an interviewer")


def new_link_key() -> str:
    return secrets.token_urlsafe(9)


class SurveyRound(models.Model):
    """One fielding of a questionnaire: where, when, in which languages, and how small a group may be shown."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="survey_rounds"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("questionnaire version"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("name of the round"), max_length=200)
    areas = models.ManyToManyField(Area, verbose_name=_("target areas"), related_name="survey_rounds")
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    languages = models.JSONField(_("languages"), default=list)
    min_cell_size = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=DEFAULT_MIN_SIZE,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_("Figures for fewer respondents than this are never shown."),
    )
    self_completion = models.BooleanField(_("parents answer through a link or QR code"), default=True)
    interviews = models.BooleanField(_("interviewers enter answers"), default=True)
    layout = models.CharField(_("layout"), max_length=10, choices=Layout.choices, default=Layout.PAGED)
    link_key = models.CharField(max_length=20, unique=True, default=new_link_key, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_on", "title"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on


# What staff set on a round (besides its areas); its questions are fixed when it is created.
ROUND_SETTINGS = (
    "title",
    "opens_on",
    "closes_on",
    "languages",
    "min_cell_size",
    "self_completion",
    "interviews",
    "layout",
)


class Response(models.Model):
    """One anonymous set of answers. Nothing here may ever identify who answered or who asked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=10)
    mode = models.CharField(max_length=12, choices=Mode.choices)
    answers = models.JSONField(default=dict)
    submitted_on = models.DateField()
    # A hash of the form's one-time token: the same form sent twice is stored once.
    submission_key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "submission_key"], name="one_response_per_form")]

    def __str__(self) -> str:
        return str(self.pk)


class Theme(models.Model):
    """A theme that staff code free-text answers into."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="themes")
    question = models.CharField(max_length=100)
    name = models.CharField(_("theme"), max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["round", "question", "name"], name="unique_theme")]

    def __str__(self) -> str:
        return self.name


class Coding(models.Model):
    """A free-text answer placed in a theme."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="codings")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="codings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "theme"], name="code_once")]

    def __str__(self) -> str:
        return str(self.theme)


class AppUser(models.Model):
    """An interviewer's access to one round from ODK Collect or Enketo, as ODK Central's app users: a random
    key in the server address, stored only as its SHA-256, revocable. It names a device set up, never a
    parent; what it sends is stored like any other response, without it."""

    round = models.ForeignKey(
        SurveyRound, verbose_name=_("survey round"), on_delete=models.CASCADE, related_name="app_users"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example “Interviewer tablet 2”."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("ODK Collect access")
        verbose_name_plural = _("ODK Collect accesses")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
