"""What the insights app keeps of its own: the county boards' gap rules and expected languages, and the
monthly coverage snapshots. Everything else it reads from the other apps and never writes."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.vocabulary import LANGUAGES_OFFERED, Level
from stodkedjan.geo.models import Area, AreaKind


class AgeBand(models.TextChoices):
    """The support chain's age bands; 8–12 is the early-intervention band that overlaps the others."""

    SMALL = "0-5", _("0–5 years")
    SCHOOL = "6-12", _("6–12 years")
    TEEN = "13-18", _("13–18 years")
    EARLY = "8-12", _("8–12 years (early intervention)")


BAND_AGES = {AgeBand.SMALL: (0, 5), AgeBand.SCHOOL: (6, 12), AgeBand.TEEN: (13, 18), AgeBand.EARLY: (8, 12)}


class GapRule(models.Model):
    """A rule a county board sets: an area of this kind needs at least ``minimum`` verified offerings for
    this age band at this level, or it is flagged as a gap in the support chain."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("county board"), on_delete=models.CASCADE, related_name="gap_rules"
    )
    band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    area_kind = models.CharField(
        _("in every"),
        max_length=20,
        choices=[(k, label) for k, label in AreaKind.choices if k not in (AreaKind.COUNTRY, AreaKind.COUNTY)],
    )
    minimum = models.PositiveSmallIntegerField(
        _("at least this many offerings"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("gap rule")
        verbose_name_plural = _("gap rules")
        ordering = ["area_kind", "band", "level"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "band", "level", "area_kind"], name="insights_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()} · {self.get_level_display()} · {self.get_area_kind_display()}"


class ExpectedLanguage(models.Model):
    """A language that many parents in an area speak, as the county board knows from population data: an
    area without verified support in it is flagged."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("county board"), on_delete=models.CASCADE, related_name="expected_languages"
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES_OFFERED)
    source = models.CharField(_("source of the figure"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("expected language")
        verbose_name_plural = _("expected languages")
        ordering = ["area__name", "language"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area", "language"], name="insights_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.get_language_display()}"


class CountySettings(models.Model):
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="insights_settings")
    stale_after_months = models.PositiveSmallIntegerField(
        _("offerings not checked for this many months are counted apart"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("coverage settings")
        verbose_name_plural = _("coverage settings")

    def __str__(self) -> str:
        return str(self.organisation)


class CoverageSnapshot(models.Model):
    """An area's coverage on the first of a month, so every figure can be shown over time."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="coverage_snapshots")
    month = models.DateField(_("month"))
    verified = models.PositiveIntegerField(_("verified offerings"))
    not_verified = models.PositiveIntegerField(_("offerings not verified"))
    figures = models.JSONField(_("figures"), default=dict)  # cell, band, level, arena and language counts
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coverage snapshot")
        verbose_name_plural = _("coverage snapshots")
        ordering = ["area", "month"]
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="insights_snapshot_once_a_month")]

    def __str__(self) -> str:
        return f"{self.area} {self.month:%Y-%m}"
