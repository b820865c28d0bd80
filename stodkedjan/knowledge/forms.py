"""Forms of the knowledge bank: the public search forms (they never refuse) and the staff forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stodkedjan.core.forms import valid_values
from stodkedjan.core.vocabulary import LANGUAGES_OFFERED, MAX_CHILD_AGE, Format, Level, Perspective, PreventionArea
from stodkedjan.knowledge.models import EvidenceRating, Method, Resource, ResourceKind
from stodkedjan.knowledge.queries import MethodCriteria, ResourceCriteria

RESOURCE_MAX_BYTES = 20_000_000


class MethodSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or words"), required=False, max_length=200)
    age = forms.IntegerField(label=_("Child's age"), required=False, min_value=0, max_value=MAX_CHILD_AGE)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("Any level")), *Level.choices])
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGES_OFFERED]
    )
    rating = forms.ChoiceField(
        label=_("Evidence rating"), required=False, choices=[("", _("Any rating")), *EvidenceRating.choices]
    )
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[("", _("Any format")), *Format.choices])

    def criteria(self) -> MethodCriteria:
        value = valid_values(self)
        return MethodCriteria(
            text=value.get("q") or "",
            age=value.get("age"),
            level=value.get("level") or "",
            language=value.get("language") or "",
            rating=value.get("rating") or "",
            format=value.get("format") or "",
        )


class ResourceSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *ResourceKind.choices])
    perspective = forms.ChoiceField(
        label=_("Perspective"), required=False, choices=[("", _("Any perspective")), *Perspective.choices]
    )
    area = forms.ChoiceField(
        label=_("Related prevention area"), required=False, choices=[("", _("Any area")), *PreventionArea.choices]
    )

    def criteria(self) -> ResourceCriteria:
        value = valid_values(self)
        return ResourceCriteria(
            text=value.get("q") or "",
            kind=value.get("kind") or "",
            perspective=value.get("perspective") or "",
            prevention_area=value.get("area") or "",
        )


def _translated(names: list[str]) -> list[str]:
    return [f"{name}_{code}" for name in names for code, _language in settings.LANGUAGES]


class MethodForm(forms.ModelForm):
    formats = forms.MultipleChoiceField(
        label=_("Formats"), required=False, choices=Format.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages it is available in"),
        required=False,
        choices=LANGUAGES_OFFERED,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkboxes--columns"}),
    )

    class Meta:
        model = Method
        fields = [
            "name",
            "slug",
            "also_known_as",
            "summary_sv",
            "description_sv",
            "target_group_sv",
            "minimum_age",
            "maximum_age",
            "level",
            "formats",
            "length_sv",
            "languages",
            "evidence_rating",
            "evidence_note",
            "rating_source_url",
            "training",
            "licence",
            "contact_name",
            "contact_email",
            "website",
            *[f for f in _translated(["summary", "description", "target_group", "length"]) if not f.endswith("_sv")],
            "is_published",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in _translated(["description", "target_group"])} | {
            "evidence_note": forms.Textarea(attrs={"rows": 3})
        }
        help_texts = {
            "slug": _("Lower-case letters, digits and hyphens; the method's page address."),
            "rating_source_url": _(
                "Link to the overview the rating rests on, for example MFoF's or Socialstyrelsen's."
            ),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The upper age must not be lower than the lower age."))
        return cleaned

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Method.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("There is already a method with this name."))
        return name


class ResourceForm(forms.ModelForm):
    perspectives = forms.MultipleChoiceField(
        label=_("Perspectives"), required=False, choices=Perspective.choices, widget=forms.CheckboxSelectMultiple
    )
    prevention_areas = forms.MultipleChoiceField(
        label=_("Related prevention areas"),
        required=False,
        choices=PreventionArea.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    methods: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Methods"), required=False, queryset=Method.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Resource
        fields = [
            "title_sv",
            "kind",
            "summary_sv",
            "url",
            "file",
            "perspectives",
            "prevention_areas",
            "methods",
            *[f for f in _translated(["title", "summary"]) if not f.endswith("_sv")],
            "is_published",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in _translated(["summary"])}
        help_texts = {"file": _("PDF, Word, Excel, PowerPoint, OpenDocument, text or CSV; at most 20 MB.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["methods"].queryset = Method.objects.order_by("name")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["methods"] = list(self.instance.methods.all())

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and getattr(upload, "size", 0) > RESOURCE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_file = bool(cleaned.get("file"))
        if not cleaned.get("url") and not has_file:
            self.add_error("url", _("Give a link or upload a file."))
        return cleaned
