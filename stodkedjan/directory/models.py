"""Offerings of parenting support, aligned with Open Referral HSDS 3.0 (DESIGN §5).

HSDS names are kept where HSDS has the concept: ``status``, ``minimum_age``/``maximum_age``,
``interpretation_services``, ``assured_date``/``assurer_email``, ``service_areas``. The Swedish extensions
(level, formats, arenas, topics) are taxonomy terms, as HSDS carries them (``attribute`` →
``taxonomy_term``), so a plain HSDS client still understands the rest.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.fields import HttpsURLField
from stodkedjan.core.phone import tel_uri
from stodkedjan.core.vocabulary import LANGUAGE_NAMES as LANGUAGE_NAMES
from stodkedjan.core.vocabulary import LANGUAGES_OFFERED, MAX_CHILD_AGE, Format, Level
from stodkedjan.geo import services as geo_services
from stodkedjan.geo.models import Area
from stodkedjan.knowledge.models import Method


class Status(models.TextChoices):
    """HSDS service status, plus ``draft`` for what has never been published (never leaves the system)."""

    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("published")
    INACTIVE = "inactive", _("unpublished")
    DEFUNCT = "defunct", _("archived")


class Taxonomy(models.TextChoices):
    FORMAT = "format", _("format")
    ARENA = "arena", _("arena")
    TOPIC = "topic", _("topic")
    LANGUAGE = "language", _("language")


class Arena(models.TextChoices):
    MVC = "mvc", _("maternity clinic (MVC)")
    BVC = "bvc", _("child health centre (BVC)")
    OPEN_PRESCHOOL = "open_preschool", _("open preschool")
    FAMILY_CENTRE = "family_centre", _("family centre")
    PUPIL_HEALTH = "pupil_health", _("pupil health (school)")
    SOCIAL_SERVICES_OPEN = "social_services_open", _("social services' open activities")
    FAMILY_LAW = "family_law", _("family law")
    FAMILY_COUNSELLING = "family_counselling", _("family counselling")
    STUDY_ASSOCIATION = "study_association", _("study association")
    CIVIL_SOCIETY = "civil_society", _("non-profit organisation")
    OTHER = "other", _("other")


class Topic(models.TextChoices):
    PARENTING = "parenting", _("being a parent")
    INFANTS = "infants", _("pregnancy and small children")
    COMMUNICATION = "communication", _("conflicts and communication")
    SCHOOL = "school", _("school and learning")
    SCREENS = "screens", _("screens and social media")
    CRIME = "crime", _("crime and risky environments")
    DRUGS = "drugs", _("alcohol and drugs")
    VIOLENCE = "violence", _("violence and honour-related violence")
    NEURODEVELOPMENTAL = "neurodevelopmental", _("neurodevelopmental conditions")
    SEPARATION = "separation", _("separation and shared parenting")
    NEW_IN_SWEDEN = "new_in_sweden", _("new in Sweden")


TAXONOMY_CHOICES: dict[str, type[models.TextChoices] | list[tuple[str, str]]] = {
    Taxonomy.FORMAT: Format,
    Taxonomy.ARENA: Arena,
    Taxonomy.TOPIC: Topic,
    Taxonomy.LANGUAGE: LANGUAGES_OFFERED,
}


def choices_of(taxonomy: str) -> list[tuple[str, str]]:
    options = TAXONOMY_CHOICES[taxonomy]
    return options if isinstance(options, list) else list(options.choices)


class TaxonomyTerm(models.Model):
    """One term of one of our published taxonomies. Labels come from the code (translated in ``locale/``)."""

    taxonomy = models.CharField(_("taxonomy"), max_length=20, choices=Taxonomy.choices)
    code = models.CharField(_("code"), max_length=40)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["taxonomy", "code"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="directory_term_unique")]

    def __str__(self) -> str:
        return str(dict(choices_of(self.taxonomy)).get(self.code, self.code))


class Service(models.Model):
    """One offering of parenting support. ``name``, ``description`` are translated (modeltranslation)."""

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.UNIVERSAL)
    minimum_age = models.PositiveSmallIntegerField(
        _("child's age from (years)"), default=0, validators=[MaxValueValidator(MAX_CHILD_AGE)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("child's age to (years)"), default=MAX_CHILD_AGE, validators=[MaxValueValidator(MAX_CHILD_AGE)]
    )
    terms = models.ManyToManyField(TaxonomyTerm, verbose_name=_("formats, arenas, topics and languages"), blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    fees_description = models.CharField(_("about the cost"), max_length=300, blank=True)
    interpretation_available = models.BooleanField(_("interpreter available"), default=False)
    method_name = models.CharField(_("method"), max_length=200, blank=True)
    method = models.ForeignKey(
        Method,
        verbose_name=_("method in the knowledge bank"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        editable=False,  # follows method_name: see services.save_service and signals.py
    )
    accessibility = models.TextField(_("accessibility"), blank=True)
    application_process = models.TextField(_("how to take part"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    url = HttpsURLField(_("web page"), blank=True)
    areas_served: models.ManyToManyField = models.ManyToManyField(
        Area, verbose_name=_("areas served"), related_name="services", blank=True, through="ServiceArea"
    )
    assured_date = models.DateField(_("last checked"), null=True, blank=True)
    assurer_email = models.EmailField(_("checked by"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # Likely duplicates (directory.duplicates): a published offering that looks like an older one at the same
    # place is kept from parents and from the figures until someone merges the two or says they differ.
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="likely_duplicates", editable=False
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged", editable=False
    )
    # history: registered in translation.py, after the translated fields exist, so they are recorded too

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["status", "minimum_age", "maximum_age"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__lte=models.F("maximum_age")), name="directory_service_age_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == Status.ACTIVE

    def is_outdated(self, today: date | None = None) -> bool:
        """Not checked for so long that the public is told it may be out of date."""
        return is_outdated(self.assured_date, today)

    def needs_review(self, today: date | None = None) -> bool:
        """Due to be checked again by its organisation (``DIRECTORY_REVIEW_AFTER_DAYS`` after it last was)."""
        return _unchecked_for(self.assured_date, settings.DIRECTORY_REVIEW_AFTER_DAYS, today)


def is_outdated(assured_date: date | None, today: date | None = None) -> bool:
    """Whether an offering last checked on ``assured_date`` (None: never) has gone unchecked for so long that the
    public is told it may be out of date."""
    return _unchecked_for(assured_date, settings.DIRECTORY_OUTDATED_AFTER_DAYS, today)


def _unchecked_for(assured_date: date | None, days: int, today: date | None) -> bool:
    """Whether ``assured_date`` (None: never) is more than ``days`` before ``today`` (else the local date)."""
    return assured_date is None or assured_date < (today or timezone.localdate()) - timedelta(days=days)


class DuplicateDecision(models.Model):
    """Someone who knows said that two offerings that look alike are two different offerings."""

    first = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="directory_duplicate_decided_once"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="directory_duplicate_pair"),
        ]


class ServiceArea(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE)
    area = models.ForeignKey(Area, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "area"], name="directory_service_area_unique")]
        indexes = [models.Index(fields=["area", "service"])]


class SearchTerm(models.Model):
    """The search index: one normalised, stemmed word of a published service, with a weight (names count
    more) and the site languages the service is given in (``languages``, bits of ``SITE_LANGUAGE_BITS``).

    Plain rows work the same on SQLite and PostgreSQL; a prefix range on the index finds word forms
    ("föräldr" finds "föräldragrupp"), and because the index covers every column a search ranks by, a
    search is answered from the index alone, without reading the services (see ``finder.search``).
    Only published services have rows: nothing a parent cannot see can be found, corrected towards or
    counted.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="search_terms")
    token = models.CharField(max_length=60)
    weight = models.PositiveSmallIntegerField(default=1)
    languages = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # Each word's rows best first (the weight, then the offering), so a search of one common word reads only
        # its best rows (``finder.search``); every column is in it, so no search reads the table.
        indexes = [models.Index(fields=["token", "-weight", "service", "languages"], name="search_term_ranked")]


class SearchEntry(models.Model):
    """What the finder filters and sorts a searchable service by, in one narrow row (a published service that
    is not a likely duplicate; written with its ``SearchTerm`` rows by ``directory.services.reindex``).

    A search with filters reads these rows, not the wide service rows with their texts in six languages: the
    languages, formats and weekdays are bits (``bits_of``), so "Somali and a group" is two bit tests on one
    row instead of two sub-selects over the terms. ``version`` changes whenever the service is indexed again
    or a place of it changes, and the finder keeps each rendered result card under it (``finder.cards``).
    """

    service = models.OneToOneField(Service, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    name_sv = models.CharField(max_length=200)  # the order of a list without words, as the finder always had
    level = models.CharField(max_length=20)
    minimum_age = models.PositiveSmallIntegerField()
    maximum_age = models.PositiveSmallIntegerField()
    is_free = models.BooleanField()
    interpreter = models.BooleanField()
    languages = models.BigIntegerField(default=0)
    formats = models.IntegerField(default=0)
    days = models.IntegerField(default=0)
    version = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["name_sv", "service"], name="search_entry_order")]


# Bits of ``SearchEntry.languages``, ``formats`` and ``days``: the order of the lists, which only grow at the end
# (a new code in the middle would need ``manage.py reindex_search``).
def _bits(codes: list[str]) -> dict[str, int]:
    return {code: 1 << i for i, code in enumerate(codes)}


LANGUAGE_BITS = _bits([code for code, _name in LANGUAGES_OFFERED])
FORMAT_BITS = _bits(list(Format.values))
DAY_BITS = _bits(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])


def bits_of(codes: Iterable[str], bits: dict[str, int]) -> int:
    total = 0
    for code in codes:
        total |= bits.get(code, 0)
    return total


# The site's languages as bits of ``SearchTerm.languages``, so that a search can prefer offerings in the
# page's language without reading their terms. Changing the order needs ``manage.py reindex_search``.
SITE_LANGUAGE_BITS = {"sv": 1, "en": 2, "ar": 4, "so": 8, "ti": 16, "fa": 32}


class Location(models.Model):
    """A place where support is given. ``transportation`` (how to get there) is translated."""

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(_("name of the place"), max_length=200)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality or district"), on_delete=models.PROTECT, related_name="locations"
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(54.0), MaxValueValidator(70.0)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(10.0), MaxValueValidator(25.0)]
    )
    transportation = models.TextField(_("how to get there"), blank=True)
    accessibility = models.TextField(_("accessibility of the place"), blank=True)
    # Set from the coordinates whenever the place is saved (geo.services.place): the vulnerable area it lies
    # in, and whether it lies clearly outside the municipality it names (shown to its organisation).
    vulnerable_area = models.ForeignKey(
        Area,
        verbose_name=_("in the vulnerable area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places_inside",
        editable=False,
    )
    outside_municipality = models.BooleanField(_("outside the municipality it names"), default=False, editable=False)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}" if self.city else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Place the location by its coordinates (form, spreadsheet and HSDS API alike save through here)."""
        self.vulnerable_area_id, self.outside_municipality = None, False
        if self.latitude is not None and self.longitude is not None and self.municipality_id:
            placed = geo_services.place(self.latitude, self.longitude, self.municipality)
            self.vulnerable_area_id, self.outside_municipality = placed.vulnerable_area_id, placed.outside_municipality
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "vulnerable_area", "outside_municipality"}
        super().save(*args, **kwargs)


class ServiceAtLocation(models.Model):
    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="directory_sal_unique")]


class Weekday(models.TextChoices):
    """RFC 5545 BYDAY codes, as HSDS schedules use them."""

    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class Schedule(models.Model):
    """When a service is open or meets, the HSDS way: weekly on ``byday`` between two times.

    With ``count`` it is a group that starts on ``valid_from`` and meets that many times; without, it is
    opening hours that hold from ``valid_from`` to ``valid_to``.
    """

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    byday = models.CharField(_("weekdays"), max_length=30)
    opens_at = models.TimeField(_("from"))
    closes_at = models.TimeField(_("to"))
    valid_from = models.DateField(_("valid from / starts"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(
        _("number of meetings"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    notes = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["valid_from", "opens_at", "pk"]

    @property
    def days(self) -> list[str]:
        return [d for d in self.byday.split(",") if d]

    @property
    def weekday_names(self) -> str:
        """The weekdays in the reader's language ("tisdag, torsdag"), not their RFC 5545 codes."""
        labels = dict(Weekday.choices)
        return ", ".join(str(labels.get(d, d)) for d in self.days)

    @property
    def is_group_series(self) -> bool:
        return bool(self.count and self.valid_from)


class Contact(models.Model):
    """A named contact for a service (a role, not a private person's details)."""

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]


class Phone(models.Model):
    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=30)
    description = models.CharField(_("about the number"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    @property
    def tel_uri(self) -> str:
        return tel_uri(self.number)


class SpreadsheetImport(models.Model):
    """An uploaded offerings spreadsheet between preview and confirmation (rows already validated)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    imported_at = models.DateTimeField(null=True, blank=True)


class VerificationAnswer(models.TextChoices):
    CONFIRMED = "confirmed", _("still correct")
    NEEDS_CHANGE = "needs_change", _("needs a change")


class VerificationRequest(models.Model):
    """One e-mailed link asking one person whether one offering is still correct (issue 24). The link holds a
    random token, stored here only as its SHA-256; it works once, until ``expires_on``, and signs no one in.
    ``step`` 0 is the first request of a review, 1… the reminders; a review is the requests sent after the
    offering was last checked. ``flagged`` marks the row that handed an unanswered review to the county board."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="verification_requests")
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True)
    step = models.PositiveSmallIntegerField(default=0)
    sent_on = models.DateField(_("sent"))
    expires_on = models.DateField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=20, choices=VerificationAnswer.choices, blank=True)
    note = models.TextField(_("what needs to change"), blank=True)
    flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_on", "service"]
        indexes = [models.Index(fields=["service", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.service} → {self.email} ({self.sent_on})"


class DraftState(models.TextChoices):
    WAITING = "waiting", _("waiting for review")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")
    SUPERSEDED = "superseded", _("replaced by a later change")


class ServiceDraft(models.Model):
    """A change to a published offering that waits for a reviewer (issue 24), where the owning organisation or,
    for civil-society providers, the county board reviews edits (``Organisation.edit_review``). ``data`` is the
    offering form's POST data as it was sent (every field and language); approving runs it through the same
    form and ``services.save_service``, so a draft is checked exactly as a direct edit would be. The live
    offering stays public, unchanged, until then. Drafts are kept after review: with the offering's history
    they show what was proposed, by whom, and what the reviewer decided."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="drafts")
    data = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(_("written by"), max_length=254)  # e-mail, or the API token's name
    state = models.CharField(_("state"), max_length=20, choices=DraftState.choices, default=DraftState.WAITING)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "service"])]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_state_display()}, {self.author_label})"

    @property
    def organisation(self) -> Organisation:
        return self.service.organisation
