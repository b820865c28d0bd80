"""Edit-as-draft review (issue 24). Where an organisation reviews edits (``Organisation.edit_review``), an
editor's change to a published offering is kept as a ``ServiceDraft`` beside the live record, which parents go
on seeing unchanged until a reviewer approves. A draft holds the offering form's POST data; approving runs it
through the same form and ``services.save_service``. The reviewer sees every field that differs, in every
language; the author is told by e-mail what was decided, and a returned draft comes back to the author's form
with the reviewer's comment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from stodkedjan.accounts.models import EditReview, Membership, Organisation, OrganisationKind, Role
from stodkedjan.core import audit
from stodkedjan.core.models import AuditKind
from stodkedjan.directory import services
from stodkedjan.directory.forms import ScheduleFormSet, ServiceForm, schedule_initial
from stodkedjan.directory.models import DraftState, Service, ServiceDraft, Status, Weekday
from stodkedjan.geo.models import AreaKind

FormData = dict[str, list[str]]
NOT_KEPT = {"csrfmiddlewaretoken", "draft"}


def must_draft(user: Any, service: Service | None) -> bool:
    """Whether this user's change to this offering waits for a reviewer."""
    return (
        service is not None
        and service.status == Status.ACTIVE
        and service.organisation.edit_review != EditReview.OFF
        and not user.has_perm("directory.review_draft", service)
    )


def posted(data: Any) -> FormData:
    """The form's POST data as a draft keeps it (every value of every field, nothing else)."""
    return {key: [str(v) for v in data.getlist(key)] for key in data if key not in NOT_KEPT}


def as_form_data(draft: ServiceDraft) -> MultiValueDict:
    return MultiValueDict({key: list(values) for key, values in draft.data.items()})


def _value(value: Any) -> list[str]:
    if value is None or value is False or value == "":
        return []
    if value is True:
        return ["on"]
    if isinstance(value, Model):
        return [str(value.pk)]
    if isinstance(value, list | tuple | QuerySet):
        return [v for item in value for v in _value(item)]
    if isinstance(value, time):
        return [value.strftime("%H:%M")]
    if isinstance(value, date):
        return [value.isoformat()]
    return [str(value)]


def live_form_data(service: Service) -> FormData:
    """The live offering as the form would post it, so that it can be compared with a draft field by field."""
    data = {key: _value(value) for key, value in ServiceForm.initial_for(service).items()}
    rows = schedule_initial(service)
    data |= {"schedule-TOTAL_FORMS": [str(len(rows))], "schedule-INITIAL_FORMS": ["0"]}
    for i, row in enumerate(rows):
        data |= {f"schedule-{i}-{key}": _value(value) for key, value in row.items()}
    return {key: values for key, values in data.items() if values}


def forms_for(organisation: Organisation, data: Any) -> tuple[ServiceForm, Any]:
    return ServiceForm(data, organisation=organisation), ScheduleFormSet(data, prefix="schedule")


def waiting(service: Service) -> ServiceDraft | None:
    return service.drafts.filter(state=DraftState.WAITING).first()


def to_continue(service: Service) -> ServiceDraft | None:
    """The draft an author's form starts from: the one waiting, else the newest if it was returned."""
    latest = service.drafts.exclude(state=DraftState.SUPERSEDED).first()
    return latest if latest is not None and latest.state in (DraftState.WAITING, DraftState.RETURNED) else None


def reviewers_of(organisation: Organisation) -> list[str]:
    """The addresses of those who review the organisation's drafts."""
    if organisation.edit_review == EditReview.OWN:
        memberships = Membership.objects.filter(organisation=organisation, role__in=[Role.COORDINATOR, Role.ADMIN])
    elif organisation.edit_review == EditReview.COUNTY_BOARD and organisation.area.county_id:
        memberships = Membership.objects.filter(
            organisation__kind=OrganisationKind.COUNTY_BOARD,
            organisation__area_id=organisation.area.county_id,
            role__in=[Role.EDITOR, Role.COORDINATOR, Role.ADMIN],
        )
    else:
        return []
    return sorted(set(memberships.values_list("user__email", flat=True)))


def _page(draft: ServiceDraft) -> str:
    with override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("directory:draft_review", kwargs={"draft_id": draft.pk})


def _service_page(service: Service) -> str:
    with override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("directory:service_detail", kwargs={"service_id": service.pk})


@transaction.atomic
def save(service: Service, data: FormData, author: Any, label: str) -> ServiceDraft:
    """Keep a change as the offering's waiting draft (one per offering: a later change replaces it), and tell
    the reviewers when a new one begins to wait."""
    draft = waiting(service)
    new = draft is None
    if draft is None:
        draft = ServiceDraft(service=service)
    draft.data = data
    draft.author = author if getattr(author, "pk", None) else None
    draft.author_label = label
    draft.created_at = timezone.now()
    draft.save()
    audit.record(
        AuditKind.PUBLICATION, organisation=service.organisation, summary=f"{service.name_sv}: draft by {label}"
    )
    if new and (reviewers := reviewers_of(service.organisation)):
        with override(settings.LANGUAGE_CODE):
            send_mail(
                _("A change to “%(service)s” waits for your review") % {"service": service.name_sv},
                _(
                    "%(author)s has changed a published offering. Parents see it as it was until you approve the "
                    "change. Read it field by field and approve it, edit it or return it with a comment:"
                )
                % {"author": label}
                + f"\n\n{_page(draft)}\n",
                None,
                reviewers,
            )
    return draft


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str


def _shown(field: Any, value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(field, "queryset") and not isinstance(value, str):
        return ", ".join(str(item) for item in value) or "–"
    if value is None or value == "" or value == []:
        return "–"
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))


def _cleaned(form: ServiceForm, name: str) -> Any:
    cleaned = getattr(form, "cleaned_data", {})
    return cleaned[name] if name in cleaned else form.data.get(name, "")


def _schedule_lines(formset: Any) -> list[str]:
    labels = dict(Weekday.choices)
    lines = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data.get("byday"):
            continue
        parts = [", ".join(str(labels.get(d, d)) for d in data["byday"])]
        if data.get("opens_at") and data.get("closes_at"):
            parts.append(f"{data['opens_at']:%H:%M}–{data['closes_at']:%H:%M}")
        if data.get("valid_from") or data.get("valid_to"):
            parts.append(f"{data.get('valid_from') or ''}–{data.get('valid_to') or ''}")
        if data.get("count"):
            parts.append(_("%(count)s meetings") % {"count": data["count"]})
        if data.get("notes"):
            parts.append(data["notes"])
        lines.append(" · ".join(parts))
    return sorted(lines)


def _comparable(value: Any) -> Any:
    values = _value(value)
    return sorted(values) if isinstance(value, list | tuple | QuerySet) else values


def differences(draft: ServiceDraft) -> list[Difference]:
    """Every field the draft changes, live value beside the proposed one, in the form's order (every language's
    name and description included), then the meeting times."""
    organisation = draft.service.organisation
    live, live_times = forms_for(organisation, MultiValueDict(live_form_data(draft.service)))
    proposed, proposed_times = forms_for(organisation, as_form_data(draft))
    live.is_valid(), live_times.is_valid(), proposed.is_valid(), proposed_times.is_valid()
    found = []
    for name, field in proposed.fields.items():
        before, after = _cleaned(live, name), _cleaned(proposed, name)
        if _comparable(before) != _comparable(after):
            found.append(Difference(str(field.label), _shown(field, before), _shown(field, after)))
    before_times, after_times = _schedule_lines(live_times), _schedule_lines(proposed_times)
    if before_times != after_times:
        found.append(Difference(_("Times"), "\n".join(before_times) or "–", "\n".join(after_times) or "–"))
    return found


def approve(draft: ServiceDraft, reviewer: Any, data: Any = None) -> tuple[Service | None, ServiceForm, Any]:
    """Publish the draft (or the reviewer's edit of it, ``data``) on the live offering. Returns the saved offering,
    or None with the bound forms when the change no longer passes the form's checks (nothing is saved then)."""
    service = draft.service
    form, schedules = forms_for(service.organisation, data if data is not None else as_form_data(draft))
    if not (form.is_valid() & schedules.is_valid()):
        return None, form, schedules
    with transaction.atomic():
        service._change_reason = f"draft by {draft.author_label} approved by {reviewer.email}"
        saved = services.save_service(
            service.organisation, form.service_data([s for f in schedules.forms if (s := f.schedule())]), service
        )
        saved.assured_date = timezone.localdate()
        saved.assurer_email = reviewer.email
        saved._change_reason = "checked by the reviewer"
        saved.save()
        if data is not None:
            draft.data = posted(data)
        _decide(draft, reviewer, DraftState.APPROVED, "")
    _tell_author(
        draft, gettext_lazy("Your change to “%(service)s” is published"), gettext_lazy("It is now what parents see.")
    )
    return saved, form, schedules


def give_back(draft: ServiceDraft, reviewer: Any, comment: str) -> None:
    """Return the draft to its author with a comment; the live offering stays as it is."""
    with transaction.atomic():
        _decide(draft, reviewer, DraftState.RETURNED, comment)
    _tell_author(
        draft,
        gettext_lazy("Your change to “%(service)s” was returned"),
        gettext_lazy(
            "The reviewer wrote: %(comment)s\n\nOpen the offering and edit it again; your change is kept in the form."
        ),
        comment=comment,
    )


def _decide(draft: ServiceDraft, reviewer: Any, state: str, comment: str) -> None:
    draft.state = state
    draft.reviewer = reviewer
    draft.reviewed_at = timezone.now()
    draft.comment = comment
    draft.save()
    audit.record(
        AuditKind.PUBLICATION,
        organisation=draft.service.organisation,
        summary=f"{draft.service.name_sv}: draft by {draft.author_label} {state} by {reviewer.email}",
    )


def _tell_author(draft: ServiceDraft, subject: Any, body: Any, **values: str) -> None:
    """Mail the author in the site's language, as the reviewers' mail is (the texts are translated here)."""
    address = draft.author.email if draft.author else ""
    if not address:
        return
    with override(settings.LANGUAGE_CODE):
        text = str(body) % values if values else str(body)
        send_mail(
            str(subject) % {"service": draft.service.name_sv},
            f"{text}\n\n{_service_page(draft.service)}\n",
            None,
            [address],
        )


def waiting_in(organisation: Organisation) -> QuerySet[ServiceDraft]:
    """The drafts waiting that this organisation's page lists: its own, and for a county board those of the
    providers in its county whose edits the county board reviews."""
    drafts = ServiceDraft.objects.filter(state=DraftState.WAITING).select_related(
        "service__organisation__area", "author"
    )
    if organisation.kind == OrganisationKind.COUNTY_BOARD and organisation.area.kind == AreaKind.COUNTY:
        return drafts.filter(
            service__organisation__edit_review=EditReview.COUNTY_BOARD,
            service__organisation__area__county=organisation.area,
        ).order_by("created_at")
    return drafts.filter(service__organisation=organisation).order_by("created_at")


def reviewable_in(user: Any, organisation: Organisation) -> list[ServiceDraft]:
    return [d for d in waiting_in(organisation) if user.has_perm("directory.review_draft", d.service)]
