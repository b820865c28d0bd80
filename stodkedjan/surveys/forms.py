"""Forms for surveys: the respondent's form built from a questionnaire, and the staff forms."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stodkedjan.core.forms import ErrorsDescribed
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.surveys import xform
from stodkedjan.surveys.definition import (
    CHOICE_KINDS,
    KINDS,
    NAME,
    SILENT_KINDS,
    TEXT_MAX_LENGTH,
    describe_relevant,
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
    "rank": _("options put in order"),
    "decimal": _("a number"),
    "range": _("a number on a scale"),
    "date": _("a date"),
    "time": _("a time of day"),
    "datetime": _("a date and time"),
    "acknowledge": _("a confirmation"),
    "note": _("a note (asks nothing)"),
    "calculate": _("a calculation (asks nothing, not stored)"),
}
assert set(KINDS_LABELS) == set(KINDS)
STAFF_KINDS = ("select_one", "select_multiple", "likert", "text", "integer")  # written in Stödkedjan's editor
LANGUAGE_CHOICES = [(code, str(name)) for code, name in settings.LANGUAGES]
_REFERENCE = re.compile(r"\$\{([^}\s]+)\}")


def language_display_name(code: str) -> str:
    """A language by its own name, from CLDR (Babel), for a code the site has no name for."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    except (UnknownLocaleError, ValueError):
        return code


def field_name(question: dict[str, Any], instance: int = 0) -> str:
    """A question's form field; a repeated question has one per instance (``q-age__2``)."""
    return f"q-{question['name']}__{instance}" if instance else f"q-{question['name']}"


def _posted(question: dict[str, Any], name: str) -> list[str]:
    """The names one field is posted under (a ranking posts one per place)."""
    if question["kind"] == "rank":
        return [f"{name}_{i}" for i in range(len(question.get("choices", [])))]
    return [] if question["kind"] in SILENT_KINDS else [name]


def layout_of(question: dict[str, Any]) -> str:
    """How the page lays a question out: options in a fieldset, a ranking, a note, a checkbox or an input."""
    kind = question["kind"]
    if kind in ("select_one", "select_multiple", "likert"):
        return "options"
    if kind == "range":
        parameters = question.get("parameters") or {}
        try:
            start, end, step = (float(parameters.get(k, d)) for k, d in (("start", 1), ("end", 10), ("step", 1)))
        except ValueError:
            return "input"
        few = parameters.get("kind") != "decimal" and step > 0 and (end - start) / step <= 10
        return "options" if few else "input"
    return {"rank": "rank", "note": "note", "acknowledge": "check"}.get(kind, "input")


def _count(posted: Any) -> int:
    try:
        return max(1, min(int(posted), xform.MAX_REPEATS))
    except (TypeError, ValueError):
        return 1


def _stored(question: dict[str, Any], value: Any) -> Any:
    """One cleaned answer as it is stored; None when there is none."""
    if value in (None, "", [], False):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="minutes") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is True:
        return "OK"
    if question["kind"] == "range" and str(value).lstrip("-").isdigit():
        return int(value)
    return value


def scrubbed(value: Any) -> Any:
    """Free text with personal data taken out, one answer or a repeated question's list."""
    return [scrub(v) if isinstance(v, str) else v for v in value] if isinstance(value, list) else scrub(value)


class RankWidget(forms.MultiWidget):
    template_name = "surveys/widgets/rank.html"

    def decompress(self, value: Any) -> list[Any]:
        return list(value) if isinstance(value, list | tuple) else []


class RankField(forms.MultiValueField):
    """Options put in order without JavaScript: one list per place ("1", "2", …), each option once."""

    def __init__(self, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        self.option_names = [name for name, _label in choices]
        blank = [("", "–"), *choices]
        fields = [forms.ChoiceField(choices=blank, required=False) for _choice in choices]
        widget = RankWidget([forms.Select(choices=blank) for _choice in choices])
        super().__init__(fields=fields, widget=widget, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> list[str]:
        chosen = [value for value in data_list if value]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError(_("Each option can have only one place."))
        return chosen


class ResponseForm(ErrorsDescribed, forms.Form):
    """All of a questionnaire's questions, labelled in the respondent's language.

    Fields are not required one by one: whether a question must be answered depends on whether it is asked
    at all, which ``clean`` decides from the other answers through the questionnaire's logic
    (``surveys.xform``: relevant, constraint, required, calculate, choice_filter). Answers to questions that
    are not asked are dropped; notes and calculations store nothing; free text is scrubbed of personal data
    before anything keeps it.
    """

    area = forms.ChoiceField(label=_("Where do you live?"), required=True)

    def __init__(
        self, *args: Any, survey_round: SurveyRound, language: str, describe_conditions: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        # "Answer if you answered …" is for a page that shows every question; screen by screen it is asked or not.
        self.describe_conditions = describe_conditions
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
        self.kinds = {q["name"]: q["kind"] for q in self.questions}
        self.repeats: list[dict[str, Any]] = definition.get("repeats", [])
        self.repeat_labels = {r["name"]: r.get("label") or {} for r in self.repeats}
        # How many times each repeat is asked: its repeat_count, or as many as the respondent has added.
        added = self.data.get("add", "") if self.is_bound else ""
        asked_for = {
            r["name"]: _count(self.data.get(f"repeat-{r['name']}")) + (1 if added == r["name"] else 0)
            for r in self.repeats
        }
        # What the answers sent so far make of the form: the options a choice_filter keeps, the values shown.
        self.sent = xform.evaluate(self.questions, self._raw(asked_for), self.repeats, asked_for)
        self.counts = self.sent.counts
        for question in self.questions:
            if question["kind"] == "calculate":
                continue
            for instance in self.instances(question):
                self.fields[field_name(question, instance)] = self._field(question, instance)

    def instances(self, question: dict[str, Any]) -> list[int]:
        """0 for a question asked once; 1, 2 … for each instance of a repeated one."""
        if not question.get("repeat"):
            return [0]
        return list(range(1, self.counts.get(question["repeat"], 1) + 1))

    def addable(self) -> list[dict[str, Any]]:
        """The repeats the respondent extends herself ("add another"): those without a repeat_count."""
        return [
            {"name": r["name"], "count": self.counts.get(r["name"], 1), "label": self._text(r.get("label"))}
            for r in self.repeats
            if not r.get("count")
        ]

    def field_names(self, question: dict[str, Any]) -> list[str]:
        return [field_name(question, i) for i in self.instances(question)] if question["kind"] != "calculate" else []

    def posted_names(self, only: str = "") -> list[str]:
        """The names the answers are posted under, for one question or all (the per-screen layout carries
        the others in hidden fields)."""
        return [
            posted
            for question in self.questions
            if not only or question["name"] == only
            for name in self.field_names(question)
            for posted in _posted(question, name)
        ]

    def _raw(self, counts: dict[str, int]) -> dict[str, Any]:
        """The answers as posted, before any field has read them: enough to filter options and fill labels."""
        raw: dict[str, Any] = {}
        if not self.is_bound:
            return raw

        def posted(question: dict[str, Any], name: str) -> Any:
            if question["kind"] == "select_multiple":
                return [v for v in self.data.getlist(name) if v] if hasattr(self.data, "getlist") else []
            return self.data.get(name, "")

        for question in self.questions:
            if question.get("repeat"):
                count = counts.get(question["repeat"], 1)
                raw[question["name"]] = [posted(question, field_name(question, i)) for i in range(1, count + 1)]
            else:
                raw[question["name"]] = posted(question, field_name(question))
        return raw

    def _text(self, texts: dict[str, str] | None) -> str:
        """A label or hint in the reader's language, with ``${name}`` filled in from the answers so far."""
        text = text_in(texts, self.language, self.fallback)
        if "${" not in text:
            return text
        known = {**(self.sent.answers if self.sent else {}), **(self.sent.values if self.sent else {})}
        return _REFERENCE.sub(lambda m: xform.answer_text(known.get(m.group(1))) or "…", text)

    def _field(self, question: dict[str, Any], instance: int = 0) -> forms.Field:
        label = self._text(question["label"])
        if instance:
            label = f"{self._text(self.repeat_labels.get(question['repeat'])) or '#'} {instance}: {label}"
        hint = self._text(question.get("hint"))
        if (condition := question.get("relevant")) and self.describe_conditions:
            hint = " ".join(
                filter(None, [describe_relevant(condition, self.questions, self.language, self.fallback), hint])
            )
        common: dict[str, Any] = {"label": label, "help_text": hint, "required": False}
        # A default fills the first page; a read-only question keeps it whatever is posted.
        if question.get("default") not in (None, "") and (not self.is_bound or question.get("read_only")):
            common["initial"] = (
                question["default"].split() if question["kind"] == "select_multiple" else question["default"]
            )
        if question.get("read_only"):
            common["disabled"] = True
        kind = question["kind"]
        field: forms.Field
        if kind in CHOICE_KINDS:
            options = question["choices"]
            if self.sent is not None and question["name"] in self.sent.options:
                options = self.sent.options[question["name"]]
            choices = [(c["name"], self._text(c["label"])) for c in options]
            if kind == "select_multiple":
                return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
            if kind == "rank":
                return RankField(choices, **common)
            widget = forms.RadioSelect(attrs={"class": "likert"} if kind == "likert" else {})
            return forms.ChoiceField(choices=choices, widget=widget, **common)
        if kind == "note":
            return forms.CharField(widget=forms.HiddenInput, label=label, help_text=hint, required=False, disabled=True)
        if kind == "acknowledge":
            return forms.BooleanField(**common)
        if kind == "integer":
            field = forms.IntegerField(
                min_value=0 if "constraint" not in question else None, max_value=INTEGER_MAX, **common
            )
            field.widget.attrs["inputmode"] = "numeric"
            return field
        if kind == "decimal":
            field = forms.DecimalField(max_digits=15, decimal_places=6, localize=True, **common)
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            return field
        if kind == "range":
            parameters = question.get("parameters") or {}
            start, end, step = (float(parameters.get(k, d)) for k, d in (("start", 1), ("end", 10), ("step", 1)))
            if layout_of(question) == "options":
                values = [str(int(start + i * step)) for i in range(int((end - start) / step) + 1)]
                return forms.ChoiceField(
                    choices=[(v, v) for v in values], widget=forms.RadioSelect(attrs={"class": "likert"}), **common
                )
            field = forms.DecimalField(min_value=min(start, end), max_value=max(start, end), localize=True, **common)
            field.widget = forms.NumberInput(attrs={"min": start, "max": end, "step": step})
            return field
        if kind == "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
        if kind == "time":
            return forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), **common)
        if kind == "datetime":
            moment = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            return forms.DateTimeField(widget=moment, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **common)
        return forms.CharField(
            max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), strip=True, **common
        )

    def question_fields(self, question: dict[str, Any]) -> list[forms.BoundField]:
        return [self[name] for name in self.field_names(question)]

    def _typed(self, data: dict[str, Any]) -> dict[str, Any]:
        """The cleaned answers as they are stored and as the logic reads them: dates as ISO text, numbers
        as numbers, a confirmation as "OK"; a repeated question's as a list, one per instance."""
        answers: dict[str, Any] = {}
        for question in self.questions:
            if question.get("repeat"):
                values = [_stored(question, data.get(name)) for name in self.field_names(question)]
                if any(v is not None for v in values):
                    answers[question["name"]] = values
            elif (value := _stored(question, data.get(field_name(question)))) is not None:
                answers[question["name"]] = value
        return answers

    def evaluation(self) -> xform.Evaluation:
        """The questionnaire's logic over the cleaned answers, once per state of them (a page asks often)."""
        cleaned = getattr(self, "cleaned_data", None)
        key = (id(cleaned), len(cleaned or {}), bool(self.errors) if cleaned is not None else None)
        if getattr(self, "_evaluated", (None, None))[0] != key:
            typed = self._typed(cleaned or {})
            self._evaluated = (key, xform.evaluate(self.questions, typed, self.repeats, self.counts))
        return self._evaluated[1]

    def answers(self) -> dict[str, Any]:
        """The answers to questions that are asked, as stored (free text scrubbed; notes and calculations
        store nothing)."""
        given = self.evaluation().answers
        return {
            name: scrubbed(value) if self.kinds[name] == "text" else value
            for name, value in given.items()
            if self.kinds[name] not in SILENT_KINDS
        }

    def asked(self) -> list[dict[str, Any]]:
        """The questions that are asked (and the notes shown), given the answers so far."""
        return self.evaluation().asked

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        result = xform.evaluate(self.questions, self._typed(data), self.repeats, self.counts)
        for key, problem in result.errors.items():
            base, _sep, number = key.partition("#")
            question = next(q for q in self.questions if q["name"] == base)
            name = field_name(question, int(number or 0))
            if name in self.errors or name not in self.fields:
                continue
            if problem == xform.REQUIRED:
                message = self._text(question.get("required_message")) or _("Answer this question to go on.")
            elif problem == xform.CONSTRAINT:
                message = self._text(question.get("constraint_message")) or _(
                    "This answer is not possible here. Check it and try again."
                )
            else:
                message = _("Choose one of the options shown.")
            self.add_error(name, message)
        return data

    def chosen_area(self) -> Area | None:
        return self.areas.get(self.cleaned_data.get("area", ""))


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=200)
    language = forms.ChoiceField(label=_("Language the questions are written in first"), choices=LANGUAGE_CHOICES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's own recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm"),
        help_text=_(
            "An Excel file in the XLSForm format (as used by ODK and KoboToolbox), with labels per language in "
            "columns such as “label::Arabic (ar)”."
        ),
    )
    lists = MultipleFileField(
        label=_("Lists of options (CSV)"),
        required=False,
        help_text=_("For select_one_from_file and select_multiple_from_file: the CSV files the form names."),
    )
    title = forms.CharField(label=_("Name"), max_length=200, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.SURVEY_XLSFORM_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large for a questionnaire."))
        return upload

    def clean_lists(self) -> dict[str, bytes]:
        lists: dict[str, bytes] = {}
        for upload in self.cleaned_data.get("lists") or []:
            if not upload.name.lower().endswith(".csv") or upload.size > settings.SURVEY_XLSFORM_MAX_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is not a CSV file of at most the questionnaire's size.") % {"name": upload.name}
                )
            lists[upload.name.rsplit("/", 1)[-1]] = upload.read()
        return lists


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


class QuestionForm(ErrorsDescribed, forms.Form):
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
    kind = forms.ChoiceField(label=_("Kind of question"), choices=[(k, KINDS_LABELS[k]) for k in STAFF_KINDS])
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


class RoundForm(ErrorsDescribed, forms.ModelForm):
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
        # The questionnaire's own languages beyond the site's: its questions can be asked in them.
        site = {code for code, _name in LANGUAGE_CHOICES}
        extra = [(code, language_display_name(code)) for code in definition["languages"] if code not in site]
        languages_field = self.fields["languages"]
        assert isinstance(languages_field, forms.MultipleChoiceField)
        languages_field.choices = [*LANGUAGE_CHOICES, *extra]
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


class AppUserForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the device or interviewer"),
        max_length=100,
        help_text=_("For example “Interviewer tablet 2”. Not a parent's name."),
    )


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("New theme"), max_length=120)
