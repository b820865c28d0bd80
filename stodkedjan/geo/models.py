"""Geography: Sweden, its counties and municipalities, city districts and the police's vulnerable areas."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    COUNTRY = "country", _("country")
    COUNTY = "county", _("county")
    MUNICIPALITY = "municipality", _("municipality")
    DISTRICT = "district", _("district")
    VULNERABLE_AREA = "vulnerable_area", _("vulnerable area")


class PoliceCategory(models.TextChoices):
    """Polismyndigheten's categories. "Risk area" was dropped in the 2025 list but stays for older lists."""

    VULNERABLE = "utsatt", _("vulnerable area")
    RISK = "risk", _("risk area")
    PARTICULARLY_VULNERABLE = "sarskilt_utsatt", _("particularly vulnerable area")


class AreaQuerySet(models.QuerySet["Area"]):
    def current(self, keeping: Iterable[int] = ()) -> AreaQuerySet:
        """Every area but the vulnerable areas that the newest police list no longer names: what people choose
        from and gaps are counted for. Plans, rounds and snapshots that named an older area keep it: the areas
        in ``keeping`` (keys already chosen) stay whatever their list."""
        newest = VulnerableAreaAssessment.objects.order_by("-list_year").values("list_year")[:1]
        old = models.Q(kind=AreaKind.VULNERABLE_AREA, list_year__lt=Coalesce(models.Subquery(newest), 0))
        kept = [pk for pk in keeping if pk is not None]
        return self.exclude(old & ~models.Q(pk__in=kept) if kept else old)


class Area(models.Model):
    """A place that support can serve and that figures can be counted for.

    Codes: ``SE`` for the country, SCB's two-digit county and four-digit municipality codes, and stable
    slugs (municipality code + name) for districts and vulnerable areas. ``county`` is stored rather than
    walked up to, because every permission check and every county report asks for it.
    """

    code = models.CharField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    county = models.ForeignKey(
        "self", verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    police_category = models.CharField(_("police category"), max_length=20, choices=PoliceCategory.choices, blank=True)
    list_year = models.PositiveSmallIntegerField(_("year of the police list"), null=True, blank=True)
    population_by_age_band = models.JSONField(_("population by age band"), null=True, blank=True)
    centroid_latitude = models.FloatField(_("centre latitude"), null=True, blank=True)
    centroid_longitude = models.FloatField(_("centre longitude"), null=True, blank=True)
    shape = models.JSONField(_("shape (GeoJSON)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    # A vulnerable area of an earlier police list that a later list split or renamed → the areas that took
    # its place. Plans, rounds and snapshots that named it keep it; pages can say where it went.
    replaced_by = models.ManyToManyField(
        "self", verbose_name=_("replaced by"), symmetrical=False, blank=True, related_name="replaces"
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(police_category="") | models.Q(kind="vulnerable_area"),
                name="geo_area_police_category_only_on_vulnerable_areas",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: Area) -> bool:
        """True when ``other`` is this area or lies inside it (walks ``other``'s parents)."""
        if self.kind == AreaKind.COUNTRY:
            return True
        if self.kind == AreaKind.COUNTY:
            return other.county_id == self.pk
        node: Area | None = other
        while node is not None:
            if node.pk == self.pk:
                return True
            node = node.parent
        return False


class VulnerableAreaAssessment(models.Model):
    """One line of one police list: this area had this category in the list of this year.

    The list is re-assessed every two years and its categories change, so it is kept as versioned data.
    ``Area.police_category`` and ``Area.list_year`` mirror the area's most recent assessment.
    """

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="police_assessments")
    list_year = models.PositiveSmallIntegerField(_("year of the police list"))
    category = models.CharField(_("police category"), max_length=20, choices=PoliceCategory.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("police assessment")
        verbose_name_plural = _("police assessments")
        ordering = ["-list_year", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "list_year"], name="geo_one_assessment_per_area_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} ({self.list_year}): {self.get_category_display()}"
