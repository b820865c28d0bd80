"""Forms for plans. Each row form carries the version it was opened at, so a concurrent edit is caught."""

from __future__ import annotations

import calendar
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation
from stodkedjan.directory.models import Service
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.plans import importer
from stodkedjan.plans.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    FollowUp,
    FollowUpRound,
    Indicator,
    Perspective,
    PlanItem,
    RoundKind,
    Strategy,
)
from stodkedjan.plans.queries import indicators_for

YEAR_FIELD: dict[str, Any] = {"min_value": 1990, "max_value": 2100}


class PlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "strategy", "period_start", "period_end"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The plan cannot end before it starts."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("The plan"),
        help_text=_("A Word document (DOCX) with the plan table, a spreadsheet (XLSX), or CSV/TSV."),
    )
    strategy = forms.ModelChoiceField(
        Strategy.objects.all(),
        label=_("Strategy the plan follows"),
        required=False,
        help_text=_("The plan's priorities are matched to the strategy's."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.PLAN_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the largest plan that can be imported is %(limit).0f MB."),
                params={"size": upload.size / 1e6, "limit": settings.PLAN_IMPORT_MAX_BYTES / 1e6},
            )
        return upload


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    target: Any = None  # the row the form edits, shown in its place on the plan page
    conflict: Any = None  # the row as someone else saved it meanwhile


def _limit(form: forms.Form, name: str, queryset: Any) -> None:
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


class ItemForm(VersionedForm):
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    priority_label = forms.CharField(label=_("Priority"), max_length=500, required=False)
    focus_area = forms.CharField(label=_("Focus area"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    goals = forms.CharField(label=_("Goals and benefit"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, item: PlanItem, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": item.version,
                "priority": item.priority_id or "",
                "priority_label": item.priority_label,
                "focus_area": item.focus_area,
                "goals": item.goals,
            },
        )
        super().__init__(*args, **kwargs)
        strategy = item.plan.strategy
        if strategy is not None:
            cast(forms.ChoiceField, self.fields["priority"]).choices = [
                (p.pk, str(p)) for p in strategy.priorities.all()
            ]
            del self.fields["priority_label"]
        else:
            del self.fields["priority"]

    def changes(self) -> dict[str, Any]:
        data = {"focus_area": self.cleaned_data["focus_area"], "goals": self.cleaned_data["goals"]}
        if "priority" in self.fields:
            data["priority_id"] = int(self.cleaned_data["priority"]) if self.cleaned_data["priority"] else None
        else:
            data["priority_label"] = self.cleaned_data["priority_label"]
        return data


class ActivityForm(VersionedForm):
    methods = forms.CharField(label=_("Methods and ways of working"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible = forms.CharField(
        label=_("Responsible"),
        help_text=_("One role per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    timeframe = forms.CharField(label=_("Timeframe"), help_text=_("For example 2024–2026."), required=False)
    follow_up = forms.MultipleChoiceField(
        label=_("Follow-up"), choices=RoundKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    perspectives = forms.MultipleChoiceField(
        label=_("Perspectives"), choices=Perspective.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    services: forms.ModelMultipleChoiceField[Service] = forms.ModelMultipleChoiceField(
        Service.objects.none(), label=_("Offerings"), widget=forms.CheckboxSelectMultiple, required=False
    )
    areas: forms.ModelMultipleChoiceField[Area] = forms.ModelMultipleChoiceField(
        Area.objects.none(), label=_("Vulnerable areas"), widget=forms.CheckboxSelectMultiple, required=False
    )
    indicators: forms.ModelMultipleChoiceField[Indicator] = forms.ModelMultipleChoiceField(
        Indicator.objects.none(), label=_("Indicators"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, activity: Activity | None, organisation: Organisation, **kwargs: Any) -> None:
        if activity is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": activity.version,
                    "methods": activity.methods,
                    "responsible": "\n".join(activity.responsible),
                    "timeframe": activity.timeframe,
                    "follow_up": activity.follow_up,
                    "perspectives": activity.perspectives,
                    "services": list(activity.services.all()),
                    "areas": list(activity.areas.all()),
                    "indicators": list(activity.indicators.all()),
                },
            )
        super().__init__(*args, **kwargs)
        _limit(self, "services", Service.objects.filter(organisation=organisation).order_by("name"))
        municipality = (
            organisation.area if organisation.area.kind == AreaKind.MUNICIPALITY else organisation.area.parent
        )
        chosen = [area.pk for area in self.initial.get("areas") or []]
        areas = Area.objects.current(chosen).filter(
            Q(parent__in=[organisation.area, municipality]) | Q(parent__parent=municipality),
            kind=AreaKind.VULNERABLE_AREA,
        )
        _limit(self, "areas", areas.order_by("name"))
        _limit(self, "indicators", indicators_for(organisation).order_by("code"))

    def clean_timeframe(self) -> tuple[int | None, int | None, str]:
        start, end, note = importer.timeframe(self.cleaned_data["timeframe"])
        if start and end and end - start > 20:
            raise forms.ValidationError(_("A timeframe of more than 20 years is unlikely."))
        return start, end, note

    def changes(self) -> dict[str, Any]:
        start, end, note = self.cleaned_data["timeframe"]
        return {
            "methods": self.cleaned_data["methods"],
            "responsible": importer.responsible_roles(self.cleaned_data["responsible"]),
            "timeframe_start": start,
            "timeframe_end": end,
            "timeframe_note": note[:200],
            "follow_up": [k for k in RoundKind.values if k in self.cleaned_data["follow_up"]],
            "perspectives": self.cleaned_data["perspectives"],
            "services": self.cleaned_data["services"],
            "areas": self.cleaned_data["areas"],
            "indicators": self.cleaned_data["indicators"],
        }


class NewRowForm(forms.Form):
    methods = forms.CharField(label=_("Methods and ways of working"), widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=RoundKind.choices)
    year = forms.IntegerField(label=_("Year"), **YEAR_FIELD)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if FollowUpRound.objects.filter(plan=self.plan, kind=data.get("kind"), year=data.get("year") or 0).exists():
            raise forms.ValidationError(_("That round is already open for this plan."))
        return data


class RoundsForAllForm(forms.Form):
    """One round (T1, T2 or VB of a year) opened for every plan of the organisation that runs that year."""

    kind = forms.ChoiceField(label=_("Report"), choices=RoundKind.choices)
    year = forms.IntegerField(label=_("Year"), **YEAR_FIELD)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)


class ScheduleForm(forms.Form):
    """One of T1, T2 and VB: whether it opens by itself, on which day of the year, and its deadline."""

    is_active = forms.BooleanField(label=_("Open by itself every year"), required=False)
    opens_day = forms.IntegerField(label=_("Opens on day"), min_value=1, max_value=31)
    opens_month = forms.TypedChoiceField(label=_("of the month"), coerce=int, choices=[])
    deadline_day = forms.IntegerField(label=_("Deadline, day"), min_value=1, max_value=31)
    deadline_month = forms.TypedChoiceField(label=_("of the month"), coerce=int, choices=[])
    for_previous_year = forms.BooleanField(label=_("Reports on the year before (a VB in the new year)"), required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        kwargs["prefix"] = kind.lower()
        super().__init__(*args, **kwargs)
        self.kind = kind
        months = [(n, str(MONTHS[n])) for n in range(1, 13)]
        for name in ("opens_month", "deadline_month"):
            cast(forms.TypedChoiceField, self.fields[name]).choices = months

    @property
    def kind_label(self) -> str:
        return str(RoundKind(self.kind).label)

    @property
    def parts(self) -> list[tuple[Any, Any, str]]:
        """(day, month, what they set) for the opening day and the deadline."""
        return [
            (self["opens_day"], self["opens_month"], str(_("Opens"))),
            (self["deadline_day"], self["deadline_month"], str(_("Deadline"))),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for part in ("opens", "deadline"):
            day, month = data.get(f"{part}_day"), data.get(f"{part}_month")
            if day and month and day > calendar.monthrange(2024, month)[1]:  # 2024: a leap year allows 29 Feb
                self.add_error(f"{part}_day", _("That month has no day %(day)s.") % {"day": day})
        return data


class FollowUpForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("not reported")), *ActivityStatus.choices], required=False
    )
    comment = forms.CharField(
        label=_("What was done, and with what effect"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = forms.CharField(
        label=_("Links to evidence"),
        help_text=_("One address per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, follow_up: FollowUp, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": follow_up.version,
                "status": follow_up.status,
                "comment": follow_up.comment,
                "evidence": "\n".join(follow_up.evidence),
            },
        )
        kwargs["prefix"] = f"f{follow_up.pk}"
        super().__init__(*args, **kwargs)
        self.follow_up = follow_up

    def clean_evidence(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except forms.ValidationError as error:
                raise forms.ValidationError(_("“%(link)s” is not a web address.") % {"link": link[:80]}) from error
        return links

    def changed_values(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("status", "comment", "evidence")}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "title", "description", "unit"]


class IndicatorValueForm(forms.Form):
    area = forms.ModelChoiceField(Area.objects.none(), label=_("Area"))
    year = forms.IntegerField(label=_("Year"), **YEAR_FIELD)
    value = forms.FloatField(label=_("Value"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = organisation.area
        _limit(self, "area", Area.objects.filter(pk=area.pk) | Area.objects.filter(parent=area))
