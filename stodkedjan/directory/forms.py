"""Forms for providers. Each form owns its validation and hands ``services.py`` a ``ServiceData``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from stodkedjan.accounts.models import EditReview, Organisation
from stodkedjan.accounts.rules import is_civil_society_owner, is_county_board_editor_for
from stodkedjan.core.vocabulary import language_name
from stodkedjan.directory.models import (
    MAX_CHILD_AGE,
    Level,
    Location,
    Service,
    Taxonomy,
    Weekday,
    choices_of,
)
from stodkedjan.directory.queries import areas_for
from stodkedjan.directory.services import LocationData, ScheduleData, ServiceData
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.knowledge import queries as knowledge_queries

OTHER_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "sv"]
TERM_FIELDS = {
    "formats": Taxonomy.FORMAT,
    "arenas": Taxonomy.ARENA,
    "topics": Taxonomy.TOPIC,
    "languages": Taxonomy.LANGUAGE,
}
PLAIN_FIELDS = [
    "level",
    "minimum_age",
    "maximum_age",
    "is_free",
    "fees_description",
    "interpretation_available",
    "method_name",
    "accessibility",
    "application_process",
    "email",
    "url",
]


class MethodNameInput(forms.TextInput):
    """A text box that suggests the knowledge bank's method names (a datalist: no JavaScript needed)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        box = super().render(name, value, {**(attrs or {}), "list": f"{name}-suggestions"}, renderer)
        options = format_html_join("", '<option value="{}">', ((n,) for n in knowledge_queries.method_names()))
        return format_html('{}<datalist id="{}-suggestions">{}</datalist>', box, name, options)


class ServiceForm(forms.Form):
    name_sv = forms.CharField(label=_("Name (Swedish)"), max_length=200)
    description_sv = forms.CharField(
        label=_("Description (Swedish)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happens, for whom, and what a parent gets out of it. Plain language."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, widget=forms.RadioSelect)
    minimum_age = forms.IntegerField(
        label=_("Child's age from (years)"),
        min_value=0,
        max_value=MAX_CHILD_AGE,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    maximum_age = forms.IntegerField(
        label=_("Child's age to (years)"),
        min_value=0,
        max_value=MAX_CHILD_AGE,
        initial=MAX_CHILD_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    formats = forms.MultipleChoiceField(
        label=_("Format"), choices=choices_of(Taxonomy.FORMAT), widget=forms.CheckboxSelectMultiple
    )
    arenas = forms.MultipleChoiceField(
        label=_("Arena"), choices=choices_of(Taxonomy.ARENA), widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=choices_of(Taxonomy.TOPIC), widget=forms.CheckboxSelectMultiple, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the support is given in"),
        choices=choices_of(Taxonomy.LANGUAGE),
        widget=forms.CheckboxSelectMultiple,
        # Nothing ticked to begin with: a group held only in Somali must not be listed as Swedish too.
    )
    interpretation_available = forms.BooleanField(label=_("An interpreter can be booked"), required=False)
    is_free = forms.BooleanField(label=_("Free of charge"), required=False, initial=True)
    fees_description = forms.CharField(label=_("About the cost"), max_length=300, required=False)
    method_name = forms.CharField(
        label=_("Method"),
        max_length=200,
        required=False,
        widget=MethodNameInput,
        help_text=_(
            "For example ABC, COPE or Connect. Written as in the knowledge bank, the offering links to the "
            "method's page."
        ),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas served"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose the municipalities, districts or vulnerable areas whose parents the offering is for."),
    )
    application_process = forms.CharField(
        label=_("How to take part"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    accessibility = forms.CharField(label=_("Accessibility"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contact_name = forms.CharField(label=_("Contact (role or unit)"), max_length=200, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        max_length=30,
        required=False,
        regex=r"^\+?[0-9 ()-]{5,}$",
        error_messages={"invalid": _("Enter a phone number with digits, for example 08-123 456 78.")},
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")
    locations: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Places"), queryset=Location.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    new_location_name = forms.CharField(label=_("New place: name"), max_length=200, required=False)
    new_location_address = forms.CharField(label=_("New place: street address"), max_length=200, required=False)
    new_location_postal_code = forms.CharField(label=_("New place: postal code"), max_length=10, required=False)
    new_location_city = forms.CharField(label=_("New place: town"), max_length=100, required=False)
    new_location_municipality = forms.ModelChoiceField(
        label=_("New place: municipality or district"), queryset=Area.objects.none(), required=False
    )
    new_location_latitude = forms.FloatField(
        label=_("New place: latitude"), required=False, validators=[MinValueValidator(54.0), MaxValueValidator(70.0)]
    )
    new_location_longitude = forms.FloatField(
        label=_("New place: longitude"), required=False, validators=[MinValueValidator(10.0), MaxValueValidator(25.0)]
    )
    new_location_transportation = forms.CharField(
        label=_("New place: how to get there"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # Named in the page's language, with the language's own name for those who read it ("somaliska (Soomaali)").
        self.fields["languages"].choices = [
            (code, name if (name := language_name(code)).casefold() == str(own).casefold() else f"{name} ({own})")
            for code, own in choices_of(Taxonomy.LANGUAGE)
        ]
        for code, language in OTHER_LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": language}, max_length=200, required=False
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": language},
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
            )
        chosen = [getattr(area, "pk", area) for area in self.initial.get("areas") or []]
        areas = areas_for(organisation, keeping=chosen)
        self.fields["areas"].queryset = areas
        self.fields["new_location_municipality"].queryset = areas.filter(
            kind__in=[AreaKind.MUNICIPALITY, AreaKind.DISTRICT]
        )
        self.fields["locations"].queryset = Location.objects.filter(organisation=organisation)

    def languages_without_text(self) -> list[str]:
        """Site languages the offering is given in whose name the form leaves empty: the readers of that
        language would see the Swedish text."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        if not data and not self.is_bound:
            data = {**self.initial}
        chosen = data.get("languages") or []
        return [code for code, _name in OTHER_LANGUAGES if code in chosen and not (data.get(f"name_{code}") or "")]

    @classmethod
    def initial_for(cls, service: Service) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(service, name) for name in PLAIN_FIELDS}
        for code, _language in settings.LANGUAGES:
            initial[f"name_{code}"] = getattr(service, f"name_{code}")
            initial[f"description_{code}"] = getattr(service, f"description_{code}")
        terms = list(service.terms.all())
        for field_name, taxonomy in TERM_FIELDS.items():
            initial[field_name] = [t.code for t in terms if t.taxonomy == taxonomy]
        initial["areas"] = list(service.areas_served.all())
        initial["locations"] = [sal.location for sal in service.service_at_locations.select_related("location")]
        contact, phone = service.contacts.first(), service.phones.first()
        initial["contact_name"] = contact.name if contact else ""
        initial["phone"] = phone.number if phone else ""
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The upper age cannot be lower than the lower age."))
        if any(data.get(f"new_location_{f}") for f in ("name", "address", "city")):
            if not data.get("new_location_name"):
                self.add_error("new_location_name", _("Give the new place a name."))
            if not data.get("new_location_municipality"):
                self.add_error("new_location_municipality", _("Choose the municipality or district the place is in."))
        if not data.get("is_free") and not data.get("fees_description"):
            self.add_error("fees_description", _("Say what it costs, or tick 'Free of charge'."))
        return data

    def service_data(self, schedules: list[ScheduleData]) -> ServiceData:
        data = self.cleaned_data
        fields = {name: data[name] for name in PLAIN_FIELDS}
        for code, _language in settings.LANGUAGES:
            fields[f"name_{code}"] = data[f"name_{code}"]
            fields[f"description_{code}"] = data[f"description_{code}"]
        new_location = None
        if data.get("new_location_name"):
            new_location = LocationData(
                name=data["new_location_name"],
                municipality=data["new_location_municipality"],
                address=data["new_location_address"],
                postal_code=data["new_location_postal_code"],
                city=data["new_location_city"],
                latitude=data["new_location_latitude"],
                longitude=data["new_location_longitude"],
                transportation=data["new_location_transportation"],
            )
        return ServiceData(
            fields=fields,
            terms={taxonomy: data[name] for name, taxonomy in TERM_FIELDS.items()},
            areas=list(data["areas"]),
            locations=list(data["locations"]),
            new_location=new_location,
            schedules=schedules,
            contact_name=data["contact_name"],
            phone=data["phone"],
        )


class ScheduleForm(forms.Form):
    byday = forms.MultipleChoiceField(
        label=_("Weekdays"), choices=Weekday.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    opens_at = forms.TimeField(label=_("From (hh:mm)"), required=False)
    closes_at = forms.TimeField(label=_("To (hh:mm)"), required=False)
    valid_from = forms.DateField(label=_("Starts (yyyy-mm-dd)"), required=False)
    valid_to = forms.DateField(label=_("Ends (yyyy-mm-dd)"), required=False)
    count = forms.IntegerField(label=_("Number of meetings (for a group)"), required=False, min_value=1, max_value=60)
    notes = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = any(data.get(k) for k in ("byday", "opens_at", "closes_at", "valid_from", "count"))
        if not filled:
            return data
        if not data.get("byday"):
            self.add_error("byday", _("Choose at least one weekday."))
        if not data.get("opens_at"):
            self.add_error("opens_at", _("Give a start time, for example 17:30."))
        if not data.get("closes_at"):
            self.add_error("closes_at", _("Give an end time, for example 19:00."))
        if data.get("opens_at") and data.get("closes_at") and data["opens_at"] >= data["closes_at"]:
            self.add_error("closes_at", _("The end time must be after the start time."))
        if data.get("count") and not data.get("valid_from"):
            self.add_error("valid_from", _("A group with a number of meetings needs a start date."))
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end date cannot be before the start date."))
        return data

    def schedule(self) -> ScheduleData | None:
        data = self.cleaned_data
        if not data.get("byday"):
            return None
        return ScheduleData(
            byday=data["byday"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
            count=data.get("count"),
            notes=data.get("notes", ""),
        )


ScheduleFormSet = forms.formset_factory(ScheduleForm, extra=2, max_num=8, validate_max=True)


def schedule_initial(service: Service) -> list[dict[str, Any]]:
    return [
        {
            "byday": s.days,
            "opens_at": s.opens_at,
            "closes_at": s.closes_at,
            "valid_from": s.valid_from,
            "valid_to": s.valid_to,
            "count": s.count,
            "notes": s.notes,
        }
        for s in service.schedules.all()
    ]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("Use the template. One offering per row; the first row holds the column names."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("The file must be an XLSX or CSV file."))
        return upload


class VerificationSendForm(forms.Form):
    email = forms.EmailField(label=_("Send a link to check it to"), max_length=254)


class DraftReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the author change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write what the author should change: the comment is sent to them.")},
    )


class EditReviewForm(forms.Form):
    """Who reviews editors' changes to published offerings. The county board's choice is offered only to the
    county board's editors (for civil-society providers), and an organisation's admins cannot undo it."""

    edit_review = forms.ChoiceField(label=_("Changes to published offerings"), choices=EditReview.choices)

    def __init__(self, *args: Any, organisation: Organisation, user: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"edit_review": organisation.edit_review}
        super().__init__(*args, **kwargs)
        self.county_board_may = bool(
            is_county_board_editor_for(user, organisation) and is_civil_society_owner(user, organisation)
        )
        if not self.county_board_may:
            self.fields["edit_review"].choices = [c for c in EditReview.choices if c[0] != EditReview.COUNTY_BOARD]
        self.locked = organisation.edit_review == EditReview.COUNTY_BOARD and not self.county_board_may
        if self.locked:
            self.fields["edit_review"].disabled = True
            self.fields["edit_review"].choices = EditReview.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.locked:
            raise forms.ValidationError(
                _("The county board reviews these changes; only the county board can change that.")
            )
        return data


class ReminderScheduleForm(forms.Form):
    """A county board's schedule for verification reminders in its county: the days after the first request on
    which reminders go out, and the day an unanswered offering is handed to the county board."""

    reminder_days = forms.CharField(
        label=_("Reminders, days after the first e-mail"),
        help_text=_("Numbers separated by commas, for example 14, 30. At most five."),
        max_length=40,
    )
    flag_after_days = forms.IntegerField(
        label=_("Handed to the county board after (days)"),
        help_text=_("Counted from the first e-mail; after the last reminder."),
        validators=[MinValueValidator(2), MaxValueValidator(365)],
    )

    def clean_reminder_days(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["reminder_days"].replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("Write whole numbers of days separated by commas, for example 14, 30."))
        days = [int(p) for p in parts]
        if not days or len(days) > 5:
            raise forms.ValidationError(_("Write between one and five reminders."))
        if any(not 1 <= d <= 364 for d in days) or days != sorted(set(days)):
            raise forms.ValidationError(_("Write each day once, in rising order, from 1 to 364."))
        return days

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        days, flag = data.get("reminder_days"), data.get("flag_after_days")
        if days and flag is not None and flag <= days[-1]:
            self.add_error("flag_after_days", _("Hand an offering over only after its last reminder."))
        return data
