"""Forms for the staff who keep the public information true."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.vocabulary import LANGUAGES_OFFERED
from stodkedjan.directory.queries import areas_for
from stodkedjan.finder.models import InformationPage, LocalContact
from stodkedjan.geo.models import AreaKind

TRANSLATED = ["title", "summary", "body"]


class InformationPageForm(forms.ModelForm):
    class Meta:
        model = InformationPage
        fields = [f"{name}_{code}" for code, _language in settings.LANGUAGES for name in TRANSLATED] + [
            "last_reviewed",
            "is_published",
        ]
        widgets = {f"body_{code}": forms.Textarea(attrs={"rows": 14}) for code, _language in settings.LANGUAGES} | {
            f"summary_{code}": forms.Textarea(attrs={"rows": 3}) for code, _language in settings.LANGUAGES
        }
        help_texts = {
            "body_sv": _(
                "Plain text. A blank line starts a new paragraph, a line starting with '## ' is a heading, "
                "lines starting with '- ' make a list."
            ),
            "last_reviewed": _("The date someone last checked that everything on the page is true (yyyy-mm-dd)."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TRANSLATED:
            self.fields[f"{name}_sv"].required = name != "summary"


class LocalContactForm(forms.ModelForm):
    class Meta:
        model = LocalContact
        fields = ["area", "kind", "name", "phone", "hours", "languages", "url"]

    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=LANGUAGES_OFFERED,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the languages the people who answer speak themselves (an interpreter is always free)."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["area"].queryset = areas_for(organisation).filter(
            kind__in=[AreaKind.MUNICIPALITY, AreaKind.DISTRICT]
        )
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
