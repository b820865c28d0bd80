"""Forms for networks and events. The public registration form carries a signed token instead of a CSRF
cookie, so the event pages set no cookie (as every public page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import Organisation
from stodkedjan.knowledge.models import RESOURCE_EXTENSIONS, Method
from stodkedjan.network.models import Event, EventKind, Network, NetworkMeeting, Registration
from stodkedjan.surveys.models import SurveyRound

FORM_SALT = "network.registration"
FORM_MAX_AGE = 2 * 24 * 3600
DOCUMENT_MAX_BYTES = 20_000_000


class RegistrationForm(forms.ModelForm):
    token = forms.CharField(widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_("I understand that my name and e-mail address are kept until a while after the event, then deleted.")
    )

    class Meta:
        model = Registration
        fields = ["name", "email", "organisation_name", "requirements"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        if not self.is_bound:
            self.initial["token"] = signing.dumps(event.pk, salt=FORM_SALT)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        try:
            event_id = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The form has expired. Check your details and send them again."), code="expired"
            ) from None
        if event_id != self.event.pk:
            raise forms.ValidationError(_("The form belongs to another event."), code="expired")
        return token

    def refreshed_token(self) -> str:
        """A new token for the form shown again, so an expired one does not fail twice."""
        return signing.dumps(self.event.pk, salt=FORM_SALT)


class ResendLinksForm(forms.Form):
    """ "Send my links again": the address a registration was made with."""

    email = forms.EmailField(label=_("The e-mail address you registered with"), max_length=254)


class ParticipantActionForm(forms.Form):
    """An organiser's action on one registration."""

    action = forms.ChoiceField(choices=[("move_up", "move_up"), ("remove", "remove"), ("move", "move")])
    target = forms.IntegerField(required=False)


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *EventKind.choices])
    organiser = forms.ModelChoiceField(label=_("Organiser"), required=False, queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers  # type: ignore[attr-defined]
        self.fields["organiser"].empty_label = _("Any organiser")  # type: ignore[attr-defined]


class EventForm(forms.ModelForm):
    methods: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Methods the event is about"),
        required=False,
        queryset=Method.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "description",
            "audience",
            "methods",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "capacity",
            "has_waiting_list",
            "registration_closes_at",
            "network",
            "evaluation",
            "is_published",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "registration_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["methods"].queryset = Method.objects.filter(is_published=True).order_by("name")  # type: ignore[attr-defined]
        self.fields["evaluation"].queryset = SurveyRound.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["network"].queryset = Network.objects.filter(organisation=organisation).order_by("name")  # type: ignore[attr-defined]
        self.fields["network"].empty_label = _("Open to everyone")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["methods"] = list(self.instance.methods.all())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends, closes = cleaned.get("starts_at"), cleaned.get("ends_at"), cleaned.get("registration_closes_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        if starts and closes and closes > starts:
            self.add_error("registration_closes_at", _("Registration must close before the event starts."))
        if not self.instance.pk and starts and starts < timezone.now():
            self.add_error("starts_at", _("A new event cannot start in the past."))
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            taken = self.instance.registrations.filter(status="confirmed").count()
            if capacity < taken:
                self.add_error(
                    "capacity",
                    _("%(taken)s people already have a place; cancel some registrations before lowering it.")
                    % {"taken": taken},
                )
        return cleaned


class NetworkForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Member organisations"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkboxes--columns"}),
    )

    class Meta:
        model = Network
        fields = ["name", "kind", "purpose", "parent", "members"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county_id = organisation.area.county_id or organisation.area_id
        self.fields["members"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(area__county_id=county_id).exclude(pk=organisation.pk).order_by("name")
        )
        self.fields["parent"].queryset = Network.objects.filter(organisation=organisation).exclude(  # type: ignore[attr-defined]
            pk=self.instance.pk
        )
        if self.instance.pk:
            self.initial["members"] = list(self.instance.members.all())


class NetworkMeetingForm(forms.ModelForm):
    class Meta:
        model = NetworkMeeting
        fields = ["title", "starts_at", "place", "agenda", "notes", "decisions"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text or CSV; at most 20 MB.")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in RESOURCE_EXTENSIONS:
            raise forms.ValidationError(_("This kind of file cannot be uploaded."))
        if upload.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
