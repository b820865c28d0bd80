"""The method and knowledge bank (DESIGN §2, §5): methods of parenting support, and resources.

A ``Method`` is a named way of working (a group programme, a therapy, a home-visit model) that services in
the directory may use. Its evidence rating is on our own scale, written out in ``EVIDENCE_MEANINGS``; the
rating names its source (MFoF's and Socialstyrelsen's overviews are linked, never copied). A ``Resource`` is
a document, a link or a good example, tagged with the perspectives and the prevention areas it concerns.
"""

from __future__ import annotations

from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.fields import HttpsURLField
from stodkedjan.core.vocabulary import MAX_CHILD_AGE, Level


class EvidenceRating(models.TextChoices):
    """How well a method's effect is known, strongest first."""

    ESTABLISHED = "established", _("effect shown")
    PROMISING = "promising", _("promising results")
    UNDER_EVALUATION = "under_evaluation", _("being evaluated")
    NOT_EVALUATED = "not_evaluated", _("not evaluated")
    NO_EFFECT_SHOWN = "no_effect_shown", _("studied, no effect shown")


EVIDENCE_MEANINGS = {
    EvidenceRating.ESTABLISHED: _(
        "Several well-conducted controlled studies, at least one of them in Sweden or a comparable country, "
        "show that the method helps parents and children as intended, and none shows that it harms."
    ),
    EvidenceRating.PROMISING: _(
        "At least one controlled study or a careful systematic follow-up shows positive results, but there is "
        "not yet enough research to call the effect shown."
    ),
    EvidenceRating.UNDER_EVALUATION: _(
        "A study of the method's effects is under way and its results are not yet available."
    ),
    EvidenceRating.NOT_EVALUATED: _(
        "The method has not been evaluated scientifically. That does not mean it does not work, only that it is "
        "not known; follow up what it leads to where you use it."
    ),
    EvidenceRating.NO_EFFECT_SHOWN: _(
        "The method has been studied, and the studies did not show the intended effect. Think twice before "
        "choosing it for that purpose."
    ),
}

# Where ratings come from. Linked for the reader to check; their texts are never copied here.
RATING_SOURCES = [
    ("Myndigheten för familjerätt och föräldraskapsstöd (MFoF)", "https://www.mfof.se/"),
    ("Socialstyrelsen – Metodguiden", "https://www.socialstyrelsen.se/"),
]


class Method(models.Model):
    """A method of parenting support. ``summary``, ``description``, ``target_group`` and ``length`` are
    translated (modeltranslation); the name is the method's own and stays as it is."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("kept by"), on_delete=models.PROTECT, related_name="methods"
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    also_known_as = models.CharField(
        _("other names"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated. Offerings whose method is written in one of these ways are linked here."),
    )
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    target_group = models.TextField(_("target group"))
    minimum_age = models.PositiveSmallIntegerField(
        _("child's age from (years)"), default=0, validators=[MaxValueValidator(MAX_CHILD_AGE)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("child's age to (years)"), default=MAX_CHILD_AGE, validators=[MaxValueValidator(MAX_CHILD_AGE)]
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.UNIVERSAL)
    formats = models.JSONField(_("formats"), default=list, blank=True)
    length = models.CharField(_("format and length"), max_length=200, blank=True)
    languages = models.JSONField(_("languages it is available in"), default=list, blank=True)
    evidence_rating = models.CharField(
        _("evidence rating"), max_length=20, choices=EvidenceRating.choices, default=EvidenceRating.NOT_EVALUATED
    )
    evidence_note = models.TextField(_("about the evidence"), blank=True)
    rating_source_url = HttpsURLField(_("source of the rating"), blank=True)
    training = models.TextField(_("training for group leaders"), blank=True)
    licence = models.TextField(_("licence and costs"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website = HttpsURLField(_("web page"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    # history: registered in translation.py, after the translated fields exist

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__lte=models.F("maximum_age")), name="knowledge_method_age_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        """Every way the method may be written in an offering, in lower case."""
        others = [n.strip() for n in self.also_known_as.split(",")]
        return [n.lower() for n in [self.name, *others] if n]

    @property
    def evidence_meaning(self) -> str:
        return str(EVIDENCE_MEANINGS[EvidenceRating(self.evidence_rating)])


class ResourceKind(models.TextChoices):
    DOCUMENT = "document", _("document")
    LINK = "link", _("link")
    GOOD_EXAMPLE = "good_example", _("good example")


RESOURCE_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv"]


class Resource(models.Model):
    """A document, a link or a good example for people who work with parenting support."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="resources"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.LINK)
    summary = models.TextField(_("summary"))
    url = HttpsURLField(_("link"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to="knowledge/%Y/",
        blank=True,
        validators=[FileExtensionValidator(RESOURCE_EXTENSIONS)],
    )
    perspectives = models.JSONField(_("perspectives"), default=list, blank=True)
    prevention_areas = models.JSONField(_("related prevention areas"), default=list, blank=True)
    methods = models.ManyToManyField(Method, verbose_name=_("methods"), related_name="resources", blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title
