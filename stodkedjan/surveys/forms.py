"""Forms for surveys: the respondent's form built from a questionnaire, and the staff forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.surveys.definition import (
    CHOICE_KINDS,
    KINDS,
    NAME,
    TEXT_MAX_LENGTH,
    describe_relevant,
    is_relevant,
    parse_relevant,
    text_in,
)
from stodkedjan.surveys.models import ROUND_SETTINGS, Layout, SurveyRound
from stodkedjan.surveys.scrub import scrub

OTHER_AREA = "other"
INTEGER_MAX = 100_000
KINDS_LABELS = {
    "select_one": _("one answer from a list"),
    "select_multiple": _("several answers from a list"),
    "likert": _("a scale"),
    "text": _("free text"),
    "integer": _("a whole number"),
}
assert set(KINDS_LABELS) == set(KINDS)
LANGUAGE_CHOICES = [(code, str(name)) for code, name in settings.LANGUAGES]


def field_name(question: dict[str, Any]) -> str:
    return f"q-{question['name']}"


class ResponseForm(forms.Form):
    """All of a questionnaire's questions, labelled in the respondent's language.

    Fields are not required one by one: whether a question must be answered depends on whether it is asked
    at all (skip logic), which ``clean`` decides from the other answers. Answers to questions that are not
    asked are dropped; free text is scrubbed of personal data before anything keeps it.
    """

    area = forms.ChoiceField(label=_("Where do you live?"), required=True)

    def __init__(self, *args: Any, survey_round: SurveyRound, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        definition = survey_round.version.definition
        self.questions: list[dict[str, Any]] = definition["questions"]
        self.fallback = definition["languages"][0]
        areas = list(survey_round.areas.all())
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = [
            ("", _("Choose")),
            *[(a.code, a.name) for a in areas],
            (OTHER_AREA, _("Somewhere else, or I would rather not say")),
        ]
        area_field.error_messages["required"] = _("Choose where you live, or “somewhere else”.")
        self.areas = {a.code: a for a in areas}
        for question in self.questions:
            self.fields[field_name(question)] = self._field(question)

    def _field(self, question: dict[str, Any]) -> forms.Field:
        label = text_in(question["label"], self.language, self.fallback)
        hint = text_in(question.get("hint"), self.language, self.fallback)
        if condition := question.get("relevant"):
            hint = " ".join(
                filter(None, [describe_relevant(condition, self.questions, self.language, self.fallback), hint])
            )
        common: dict[str, Any] = {"label": label, "help_text": hint, "required": False}
        kind = question["kind"]
        if kind in CHOICE_KINDS:
            choices = [(c["name"], text_in(c["label"], self.language, self.fallback)) for c in question["choices"]]
            if kind == "select_multiple":
                return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
            widget = forms.RadioSelect(attrs={"class": "likert"} if kind == "likert" else {})
            return forms.ChoiceField(choices=choices, widget=widget, **common)
        if kind == "integer":
            field = forms.IntegerField(min_value=0, max_value=INTEGER_MAX, **common)
            field.widget.attrs["inputmode"] = "numeric"
            return field
        return forms.CharField(
            max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), strip=True, **common
        )

    def question_field(self, question: dict[str, Any]) -> forms.BoundField:
        return self[field_name(question)]

    def _given(self, data: dict[str, Any]) -> dict[str, Any]:
        """The non-empty answers to questions that are asked; conditions look only at earlier questions."""
        answers: dict[str, Any] = {}
        for question in self.questions:
            value = data.get(field_name(question))
            if value not in (None, "", []) and is_relevant(question, answers):
                answers[question["name"]] = value
        return answers

    def answers(self) -> dict[str, Any]:
        """The answers to questions that are asked, as stored (free text scrubbed)."""
        kinds = {q["name"]: q["kind"] for q in self.questions}
        given = self._given(getattr(self, "cleaned_data", {}))
        return {name: scrub(value) if kinds[name] == "text" else value for name, value in given.items()}

    def asked(self) -> list[dict[str, Any]]:
        """The questions that are asked, given the answers so far."""
        given = self._given(getattr(self, "cleaned_data", {}))
        return [q for q in self.questions if is_relevant(q, given)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = self._given(data)
        for question in self.questions:
            name = field_name(question)
            unanswered = question["name"] not in given and name not in self.errors
            if question.get("required") and unanswered and is_relevant(question, given):
                self.add_error(name, _("Answer this question to go on."))
        return data

    def chosen_area(self) -> Area | None:
        return self.areas.get(self.cleaned_data.get("area", ""))


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=200)
    language = forms.ChoiceField(label=_("Language the questions are written in first"), choices=LANGUAGE_CHOICES)


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm"),
        help_text=_(
            "An Excel file in the XLSForm format (as used by ODK and KoboToolbox), with labels per language in "
            "columns such as “label::Arabic (ar)”."
        ),
    )
    title = forms.CharField(label=_("Name"), max_length=200, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.SURVEY_XLSFORM_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large for a questionnaire."))
        return upload


class TextsForm(forms.Form):
    """The questionnaire's languages, title and introduction (one field per language)."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, definition: dict[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "languages": definition["languages"],
                **{f"title_{c}": t for c, t in definition.get("title", {}).items()},
                **{f"intro_{c}": t for c, t in definition.get("intro", {}).items()},
            },
        )
        super().__init__(*args, **kwargs)
        self.first = definition["languages"][0]
        for code, name in LANGUAGE_CHOICES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, max_length=200, required=False
            )
            self.fields[f"intro_{code}"] = forms.CharField(
                label=_("Introduction (%(language)s)") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )

    def clean_languages(self) -> list[str]:
        chosen = self.cleaned_data["languages"]
        if self.first not in chosen:
            raise forms.ValidationError(_("The first language (%(code)s) cannot be removed.") % {"code": self.first})
        return [self.first] + [c for c, _n in LANGUAGE_CHOICES if c in chosen and c != self.first]

    def texts(self, prefix: str) -> dict[str, str]:
        return {c: v for c, _n in LANGUAGE_CHOICES if (v := self.cleaned_data.get(f"{prefix}_{c}", "").strip())}


class QuestionForm(forms.Form):
    """One question with its text in each of the questionnaire's languages.

    Options are written one per line as ``code = text``; translations of options as the same lines in
    the same order in the other languages' boxes.
    """

    name = forms.RegexField(
        label=_("Short name"),
        regex=NAME,
        max_length=64,
        help_text=_("Letters, digits and _ only; used in exports and in skip logic."),
    )
    kind = forms.ChoiceField(label=_("Kind of question"), choices=list(KINDS_LABELS.items()))
    required = forms.BooleanField(label=_("Must be answered"), required=False)
    relevant = forms.CharField(
        label=_("Ask only when"),
        required=False,
        help_text=_("For example ${support} = 'no' or selected(${arenas}, 'bvc'). Leave empty to always ask."),
    )

    def __init__(
        self, *args: Any, definition: dict[str, Any], question: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        self.definition = definition
        self.original = question
        if question is not None:
            kwargs.setdefault("initial", _initial(question))
        super().__init__(*args, **kwargs)
        names = dict(LANGUAGE_CHOICES)
        for code in definition["languages"]:
            first = code == definition["languages"][0]
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": names.get(code, code)},
                max_length=500,
                required=first,
            )
            self.fields[f"hint_{code}"] = forms.CharField(
                label=_("Help text (%(language)s)") % {"language": names.get(code, code)},
                max_length=500,
                required=False,
            )
            self.fields[f"choices_{code}"] = forms.CharField(
                label=_("Answer options (%(language)s)") % {"language": names.get(code, code)},
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
                help_text=_("One per line: code = text, e.g. “yes = Yes”.") if first else _("Same order, text only."),
            )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        taken = {q["name"] for q in self.definition["questions"]} - {(self.original or {}).get("name")}
        if name in taken:
            raise forms.ValidationError(_("Another question already has this short name."))
        return name

    def clean_relevant(self) -> dict[str, str] | None:
        text = self.cleaned_data["relevant"].strip()
        if not text:
            return None
        condition = parse_relevant(text)
        if condition is None:
            raise forms.ValidationError(
                _("Write the condition as ${question} = 'option' or selected(${question}, 'option').")
            )
        return condition

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in CHOICE_KINDS:
            first = self.definition["languages"][0]
            lines = [line for line in data.get(f"choices_{first}", "").splitlines() if line.strip()]
            if len(lines) < 2:
                self.add_error(f"choices_{first}", _("Give at least two answer options."))
        return data

    def question(self) -> dict[str, Any]:
        """The cleaned form as a question of the definition."""
        data = self.cleaned_data
        languages = self.definition["languages"]
        question: dict[str, Any] = {
            "name": data["name"],
            "kind": data["kind"],
            "label": {c: v for c in languages if (v := data.get(f"label_{c}", "").strip())},
            "hint": {c: v for c in languages if (v := data.get(f"hint_{c}", "").strip())},
            "required": data["required"],
            "relevant": data["relevant"],
        }
        if data["kind"] in CHOICE_KINDS:
            first_lines = [line for line in data[f"choices_{languages[0]}"].splitlines() if line.strip()]
            choices: list[dict[str, Any]] = []
            for line in first_lines:
                code, _sep, text = line.partition("=")
                code, text = code.strip(), text.strip() or code.strip()
                choices.append({"name": re.sub(r"\s+", "_", code), "label": {languages[0]: text}})
            for code in languages[1:]:
                lines = [line.strip() for line in data.get(f"choices_{code}", "").splitlines() if line.strip()]
                for choice, text in zip(choices, lines, strict=False):
                    choice["label"][code] = text.partition("=")[2].strip() if "=" in text else text
            question["choices"] = choices
        return question


def _initial(question: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "name": question["name"],
        "kind": question["kind"],
        "required": question.get("required", False),
        "relevant": relevant_as_text(question.get("relevant")),
    }
    for code, text in question["label"].items():
        initial[f"label_{code}"] = text
    for code, text in (question.get("hint") or {}).items():
        initial[f"hint_{code}"] = text
    choices = question.get("choices") or []
    codes = {code for c in choices for code in c["label"]}
    for code in codes:
        initial[f"choices_{code}"] = "\n".join(f"{c['name']} = {c['label'].get(code, '')}" for c in choices)
    return initial


def relevant_as_text(condition: dict[str, str] | None) -> str:
    if not condition:
        return ""
    question, value = condition["question"], condition["value"]
    return {
        "=": f"${{{question}}} = '{value}'",
        "!=": f"${{{question}}} != '{value}'",
        "selected": f"selected(${{{question}}}, '{value}')",
        "not_selected": f"not(selected(${{{question}}}, '{value}'))",
    }[condition["operator"]]


class RoundForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SurveyRound
        fields = ["title", "areas", *ROUND_SETTINGS[1:]]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "layout": forms.RadioSelect,
        }

    def __init__(self, *args: Any, definition: dict[str, Any], county: Area | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        chosen = list(self.instance.areas.values_list("pk", flat=True)) if self.instance.pk else []
        areas = Area.objects.current(chosen).filter(
            kind__in=[AreaKind.MUNICIPALITY, AreaKind.DISTRICT, AreaKind.VULNERABLE_AREA]
        )
        if county is not None:
            areas = areas.filter(county=county)
        areas_field = self.fields["areas"]
        assert isinstance(areas_field, forms.ModelMultipleChoiceField)
        areas_field.queryset = areas.order_by("kind", "name")
        areas_field.help_text = _("Respondents choose one of these, or “somewhere else”. Hold Ctrl to choose several.")
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("languages", definition["languages"])
            self.initial.setdefault("layout", Layout.PAGED)

    def clean_languages(self) -> list[str]:
        chosen = self.cleaned_data["languages"]
        missing = [c for c in chosen if c not in self.definition["languages"]]
        if missing:
            raise forms.ValidationError(
                _("The questions are not written in: %(codes)s. Add those texts first.") % {"codes": ", ".join(missing)}
            )
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The round cannot close before it opens."))
        if not data.get("self_completion") and not data.get("interviews"):
            self.add_error("interviews", _("Choose at least one way of answering."))
        return data


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("New theme"), max_length=120)
