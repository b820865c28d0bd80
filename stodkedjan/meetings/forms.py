"""Forms for dialogue meetings and needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation
from stodkedjan.meetings.models import DialogueMeeting, Need, NeedLevel, NeedStatus

EXAMPLE_QUESTIONS = "\n".join(
    [
        "* Var finns de största luckorna i stödet till barn under 15 år och deras föräldrar?",
        "* Vilka verktyg saknar socialtjänsten?",
        "* Vilka nationella åtgärder är viktigast för er?",
    ]
)


class MeetingForm(forms.ModelForm):
    questions = forms.CharField(
        label=_("Discussion questions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "One question per line. Start a line with * to also ask the invited organisations before the meeting."
        ),
    )

    class Meta:
        model = DialogueMeeting
        fields = ["title", "starts_at", "place", "online_link", "invited", "agenda", "notes", "decisions"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invited = self.fields["invited"]
        assert isinstance(invited, forms.ModelMultipleChoiceField)
        organisations = Organisation.objects.exclude(pk=organisation.pk).select_related("area")
        if organisation.area.county_id:
            organisations = organisations.filter(area__county_id=organisation.area.county_id)
        invited.queryset = organisations.order_by("name")
        invited.help_text = _("Hold Ctrl to choose several.")
        if self.instance.pk:
            self.initial["questions"] = "\n".join(
                ("* " if q.ask_before else "") + q.text for q in self.instance.questions.all()
            )
        else:
            self.initial.setdefault("questions", EXAMPLE_QUESTIONS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give a place, a link to the online meeting, or both."))
        return data

    def clean_questions(self) -> list[tuple[str, bool]]:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]
        parsed = [(line.lstrip("*").strip(), line.startswith("*")) for line in lines]
        return [(text, ask) for text, ask in parsed if text]


class PreMeetingForm(forms.Form):
    """One text box per question asked before the meeting."""

    def __init__(self, *args: Any, questions: list[Any], answers: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=question.text,
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                initial=answers.get(question.pk, ""),
                max_length=5000,
            )

    def answers(self) -> dict[int, str]:
        return {int(name.removeprefix("question_")): value for name, value in self.cleaned_data.items()}


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["title", "description", "theme", "level"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class NeedEditForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["title", "description", "theme", "level", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class MeetingNeedForm(NeedForm):
    """A need recorded at a meeting, on behalf of the organisation that raised it."""

    raised_by = forms.ModelChoiceField(Organisation.objects.none(), label=_("Raised by"))

    class Meta(NeedForm.Meta):
        fields = ["raised_by", *NeedForm.Meta.fields]

    def __init__(self, *args: Any, meeting: DialogueMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        raised_by = self.fields["raised_by"]
        assert isinstance(raised_by, forms.ModelChoiceField)
        raised_by.queryset = Organisation.objects.filter(pk__in=[*meeting.invited_ids(), meeting.organisation_id])


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (NeedStatus.IN_PROGRESS, NeedStatus.IN_PROGRESS.label),
            (NeedStatus.ANSWERED, NeedStatus.ANSWERED.label),
        ],
    )


class NeedFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("all")), *NeedStatus.choices], required=False)
    level = forms.ChoiceField(label=_("Addressed to"), choices=[("", _("all")), *NeedLevel.choices], required=False)
