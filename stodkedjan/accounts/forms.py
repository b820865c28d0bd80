from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation, Role


class EmailAuthenticationForm(AuthenticationForm):
    """The login form, with the username field presented as what it is: an e-mail address."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def clean_username(self) -> str:
        # Addresses are stored in lower case; people type them as they like.
        return self.cleaned_data["username"].strip().lower()


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "description", "website", "email", "phone"]


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    full_name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Used only when the person has no account yet; they will get an e-mail to choose a password."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class SwitchOrganisationForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, device: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError(
                _("The code is not right, or it has expired. Enter the code the app shows now.")
            )
        return code
