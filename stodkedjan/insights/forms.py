from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stodkedjan.core.vocabulary import LANGUAGES_OFFERED, Level
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.insights.models import AgeBand, CountySettings, GapRule


class GapRuleForm(forms.ModelForm):
    class Meta:
        model = GapRule
        fields = ["band", "level", "area_kind", "minimum", "is_active"]

    def __init__(self, *args: Any, county_board: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = county_board

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        same = GapRule.objects.filter(
            organisation=self.instance.organisation,
            band=cleaned.get("band"),
            level=cleaned.get("level"),
            area_kind=cleaned.get("area_kind"),
        ).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(_("The county already has a rule for this age band, level and kind of area."))
        return cleaned


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CountySettings
        fields = ["stale_after_months"]


class ExpectedLanguageForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES_OFFERED)
    source = forms.CharField(
        label=_("Source of the figure"),
        max_length=300,
        required=False,
        help_text=_("For example SCB's statistics on country of birth, or the municipality's own survey."),
    )

    def __init__(self, *args: Any, county: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (  # type: ignore[attr-defined]
            Area.objects.current()
            .filter(county=county, kind__in=[AreaKind.MUNICIPALITY, AreaKind.DISTRICT, AreaKind.VULNERABLE_AREA])
            .order_by("name")
        )


class CellForm(forms.Form):
    band = forms.ChoiceField(required=False, choices=[("", ""), *AgeBand.choices])
    level = forms.ChoiceField(required=False, choices=[("", ""), *Level.choices])
