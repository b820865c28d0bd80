"""Strategies, local action plans, their follow-up, and indicators (DESIGN §5).

A plan is the familiar table of a district's "handlingsplan": grouped by the strategy's priorities
(prioriterade utgångspunkter), one ``PlanItem`` per focus area with its goals, one ``Activity`` per row
of methods and ways of working. Follow-up happens in rounds (T1, T2, VB) where every activity gets a
status. Plans, items, activities and follow-ups keep a full history; rows that people edit carry a
``version`` so that a second, concurrent edit is refused instead of silently overwriting the first.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.vocabulary import Perspective as Perspective
from stodkedjan.directory.models import Service
from stodkedjan.geo.models import Area


class RoundKind(models.TextChoices):
    """The follow-up points of a municipal year: two tertial reports and the annual report."""

    T1 = "T1", _("T1 (first tertial report)")
    T2 = "T2", _("T2 (second tertial report)")
    VB = "VB", _("VB (annual report)")


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    DONE = "done", _("done")
    STOPPED = "stopped", _("stopped")


class Strategy(models.Model):
    """A strategy with ordered priorities that plans below it follow (e.g. a city's parenting-support strategy)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="strategies"
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    period_start = models.PositiveSmallIntegerField(_("from year"))
    period_end = models.PositiveSmallIntegerField(_("to year"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["-period_start", "title"]

    def __str__(self) -> str:
        return f"{self.title} {self.period_start}–{self.period_end}"


class Priority(models.Model):
    """One of a strategy's ordered priorities (prioriterad utgångspunkt)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["strategy", "position"]
        constraints = [models.UniqueConstraint(fields=["strategy", "position"], name="priority_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ActionPlan(models.Model):
    """An organisation's action plan for a period, optionally under a strategy."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="action_plans"
    )
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.PROTECT, related_name="plans", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    period_start = models.PositiveSmallIntegerField(_("from year"))
    period_end = models.PositiveSmallIntegerField(_("to year"))
    source_filename = models.CharField(_("imported from"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["organisation__name", "-period_start"]

    def __str__(self) -> str:
        return f"{self.title} {self.period_start}–{self.period_end}"


class PlanItem(models.Model):
    """A focus area (område) with its goals and benefit, under one priority; its activities are its rows."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    priority = models.ForeignKey(
        Priority, verbose_name=_("priority"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    priority_label = models.CharField(_("priority"), max_length=500, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    focus_area = models.TextField(_("focus area"), blank=True)
    goals = models.TextField(_("goals and benefit"), blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.focus_area[:80] or str(_("(no focus area)"))

    @property
    def organisation(self) -> Organisation:
        return self.plan.organisation

    @property
    def priority_title(self) -> str:
        return self.priority.title if self.priority else self.priority_label


class Activity(models.Model):
    """One row of the plan: methods and ways of working, who is responsible, when, and how it is followed up."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveIntegerField(_("order"), default=0)
    methods = models.TextField(_("methods and ways of working"))
    responsible = models.JSONField(_("responsible"), default=list, blank=True)
    timeframe_start = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    timeframe_end = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    timeframe_note = models.CharField(_("timeframe"), max_length=200, blank=True)
    follow_up = models.JSONField(_("follow-up"), default=list, blank=True)
    perspectives = models.JSONField(_("perspectives"), default=list, blank=True)
    services = models.ManyToManyField(Service, verbose_name=_("offerings"), blank=True, related_name="activities")
    areas: models.ManyToManyField[Area, Any] = models.ManyToManyField(
        Area, verbose_name=_("vulnerable areas"), blank=True, related_name="activities"
    )
    indicators: models.ManyToManyField[Indicator, Any] = models.ManyToManyField(
        "Indicator", verbose_name=_("indicators"), blank=True, related_name="activities"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[services, areas, indicators])
    follow_up_row: FollowUp | None = None  # set by queries.plan_table for one round, not stored

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["item", "position", "pk"]

    def __str__(self) -> str:
        return self.methods[:80]

    @property
    def organisation(self) -> Organisation:
        return self.item.plan.organisation

    @property
    def timeframe(self) -> str:
        """The timeframe as a person writes it: "2019–2022", "2021", or the note as it was given."""
        if self.timeframe_start and self.timeframe_end and self.timeframe_start != self.timeframe_end:
            years = f"{self.timeframe_start}–{self.timeframe_end}"
        elif self.timeframe_start or self.timeframe_end:
            years = str(self.timeframe_start or self.timeframe_end)
        else:
            years = ""
        return ", ".join(part for part in (years, self.timeframe_note) if part)

    @property
    def follow_up_text(self) -> str:
        kinds = [k for k in RoundKind.values if k in self.follow_up]
        if len(kinds) > 1:
            return f"{', '.join(kinds[:-1])} {_('and')} {kinds[-1]}"
        return "".join(kinds)


class Comment(models.Model):
    """A remark on one row, for example by county-board staff who may read but not edit the plan."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def organisation(self) -> Organisation:
        return self.activity.organisation


class FollowUpRound(models.Model):
    """A follow-up point of a plan (T1, T2 or VB of a year) with a deadline."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("report"), max_length=2, choices=RoundKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up round")
        ordering = ["plan", "-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "year"], name="round_once_per_plan")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}"

    @property
    def organisation(self) -> Organisation:
        return self.plan.organisation


MONTHS = [(n, n) for n in range(1, 13)]  # shown with the month's name by the form


class RoundSchedule(models.Model):
    """When an organisation's T1, T2 or VB opens by itself every year, for every plan that runs that year, and
    its deadline. A VB opened in the new year reports on the year before (``for_previous_year``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="round_schedules")
    kind = models.CharField(_("report"), max_length=2, choices=RoundKind.choices)
    is_active = models.BooleanField(_("open by itself"), default=False)
    opens_month = models.PositiveSmallIntegerField(_("opens, month"), choices=MONTHS)
    opens_day = models.PositiveSmallIntegerField(_("opens, day"))
    deadline_month = models.PositiveSmallIntegerField(_("deadline, month"), choices=MONTHS)
    deadline_day = models.PositiveSmallIntegerField(_("deadline, day"))
    for_previous_year = models.BooleanField(_("reports on the year before"), default=False)

    class Meta:
        verbose_name = _("follow-up schedule")
        ordering = ["organisation", "kind"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="round_schedule_once")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.kind}"


# What a schedule starts from: T1 in May, T2 in September, VB of the year before in January and February.
DEFAULT_SCHEDULE = {
    RoundKind.T1: (5, 1, 5, 31, False),
    RoundKind.T2: (9, 1, 9, 30, False),
    RoundKind.VB: (1, 10, 2, 28, True),
}


class FollowUp(models.Model):
    """One activity's status in one round, with a comment and links to evidence."""

    round = models.ForeignKey(FollowUpRound, on_delete=models.CASCADE, related_name="follow_ups")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="follow_ups")
    status = models.CharField(_("status"), max_length=20, choices=ActivityStatus.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.JSONField(_("evidence links"), default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "activity"], name="follow_up_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round}: {self.get_status_display() or '–'}"

    @property
    def organisation(self) -> Organisation:
        return self.round.plan.organisation


class IndicatorSource(models.TextChoices):
    KOLADA = "kolada", _("Kolada")
    CUSTOM = "custom", _("own indicator")


class Indicator(models.Model):
    """A measure followed over time: a Kolada KPI (shared) or an organisation's own indicator."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=IndicatorSource.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class IndicatorValue(models.Model):
    """An indicator's value for one area and year (gender T = all, K = women/girls, M = men/boys, as Kolada)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    gender = models.CharField(max_length=1, default="T")
    value = models.FloatField(_("value"))
    # As Kolada gives them beside the value: its status word (e.g. a preliminary figure) and the count behind it.
    status = models.CharField(_("status"), max_length=40, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)

    class Meta:
        ordering = ["indicator", "area", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "year", "gender"], name="indicator_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class PlanImport(models.Model):
    """An uploaded plan between preview and confirmation (already parsed and checked)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, null=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200)
    parsed = models.JSONField(default=dict)
    plan = models.ForeignKey(ActionPlan, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return self.filename
