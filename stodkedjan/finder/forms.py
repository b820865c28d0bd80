"""The parent's search form. It never rejects a search: values it does not know are simply left out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stodkedjan.core.forms import valid_values
from stodkedjan.directory.models import MAX_CHILD_AGE, Level, Taxonomy, Weekday, choices_of
from stodkedjan.finder.models import Answer
from stodkedjan.finder.search import Criteria

# The levels, worded for parents rather than for professionals.
PARENT_LEVELS = [
    (Level.UNIVERSAL, _("For all parents")),
    (Level.SELECTIVE, _("Extra support for parents in a hard situation")),
    (Level.INDICATED, _("When you are worried about your child")),
]
SORTS = [("relevance", _("Best match")), ("distance", _("Nearest first"))]
MAX_PAGE = 10_000


def _any_of(first: Any, choices: list[tuple[str, Any]]) -> Callable[[], list[tuple[str, Any]]]:
    """Choices given as a function: the list of labels is made in the language of the page that asks."""
    return lambda: [("", first), *choices]


class _SharedFields(dict[str, forms.Field]):
    """The search form's fields, given to each form as they are instead of copied (``BaseForm`` deep-copies its
    fields for every instance, widgets and all, which cost a search page more than half a millisecond). Safe
    because nothing changes a search form's fields after the class is made: its choices are functions, and its
    widgets are not drawn (the template writes the inputs)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedFields:
        return self


class SearchForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=200, strip=True)
    area = forms.CharField(label=_("Municipality or district"), required=False, max_length=80)
    age = forms.IntegerField(label=_("Child's age"), required=False, min_value=0, max_value=MAX_CHILD_AGE)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_any_of(_("Any language"), choices_of(Taxonomy.LANGUAGE))
    )
    format = forms.ChoiceField(
        label=_("How"), required=False, choices=_any_of(_("Any way"), choices_of(Taxonomy.FORMAT))
    )
    level = forms.MultipleChoiceField(
        label=_("What kind of support"),
        required=False,
        choices=lambda: PARENT_LEVELS,
        widget=forms.CheckboxSelectMultiple,
    )
    free = forms.BooleanField(label=_("Only free of charge"), required=False)
    interpreter = forms.BooleanField(label=_("Only with an interpreter"), required=False)
    day = forms.ChoiceField(label=_("Day of the week"), required=False, choices=_any_of(_("Any day"), Weekday.choices))
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=lambda: SORTS)
    lat = forms.FloatField(required=False, min_value=54.0, max_value=70.0, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=10.0, max_value=25.0, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)

    def criteria(self) -> Criteria:
        """The search as far as it makes sense; each field that does not validate is dropped, not refused."""
        value = valid_values(self)
        q = value.get("q") or ""
        if "q" in self.errors and self.data.get("q"):
            q = str(self.data.get("q"))[:200]
        return Criteria(
            text=q,
            area=value.get("area") or "",
            age=value.get("age"),
            language=value.get("language") or "",
            format=value.get("format") or "",
            levels=value.get("level") or [],
            free=bool(value.get("free")),
            interpreter=bool(value.get("interpreter")),
            day=value.get("day") or "",
            sort=value.get("sort") or "relevance",
            latitude=value.get("lat"),
            longitude=value.get("lon"),
            page=value.get("page") or 1,
        )


SearchForm.base_fields = _SharedFields(SearchForm.base_fields)


class FeedbackForm(forms.Form):
    page = forms.RegexField(regex=r"^[a-z_]+(:[0-9a-f-]{36})?$", max_length=80)
    answer = forms.ChoiceField(choices=Answer.choices)
    next = forms.CharField(max_length=2000, required=False)
