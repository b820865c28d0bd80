"""Writes for networks and events: registration with a waiting list, cancellation, attendance, the digest of
announcements, the evaluation mail and the deletion of registrants' personal data after the event.

Registration and cancellation lock the event row, so two people can never take the last place together,
and a waiting-list place moves up in the same transaction that frees it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from stodkedjan.accounts.models import Membership, Organisation, User
from stodkedjan.core import audit
from stodkedjan.core.models import AuditKind
from stodkedjan.network.calendar import event_ics
from stodkedjan.network.models import (
    Announcement,
    Event,
    Network,
    NetworkDocument,
    NetworkMeeting,
    Registration,
    RegistrationStatus,
)

logger = logging.getLogger(__name__)
ACTIVE = ~Q(status=RegistrationStatus.CANCELLED)


class RegistrationRefused(Exception):
    """Why a registration could not be taken; ``reason`` names the page to show."""

    def __init__(self, reason: str, registration: Registration | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.registration = registration


CLOSED, FULL, ALREADY, NOT_FOUND, ALREADY_CANCELLED = "closed", "full", "already", "not_found", "already_cancelled"
MEMBERS_ONLY = "members_only"
RESEND_EVERY_SECONDS = 600  # "send my links" mails one address at most this often per event


@dataclass
class RegistrationData:
    name: str
    email: str
    organisation_name: str = ""
    requirements: str = ""


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("organisation").get(pk=event.pk)


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower()


def member_domains(network: Network) -> set[str]:
    """The e-mail domains of a network's convening and member organisations: their own address, their web
    site's host, and their members' addresses."""
    organisations = Organisation.objects.filter(pk__in=network.member_ids())
    domains = {_domain(o.email) for o in organisations if o.email}
    domains |= {urlsplit(o.website).hostname or "" for o in organisations if o.website}
    domains |= {
        _domain(e)
        for e in Membership.objects.filter(organisation__in=organisations).values_list("user__email", flat=True)
    }
    return {d.removeprefix("www.") for d in domains if d} - PUBLIC_MAIL_DOMAINS


# A member whose account is at a public mail service must not open a network's training to all its users.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.se",
        "outlook.com",
        "outlook.se",
        "live.com",
        "live.se",
        "msn.com",
        "yahoo.com",
        "yahoo.se",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "telia.com",
        "spray.se",
        "bredband.net",
        "gmx.com",
        "mail.com",
    }
)


def may_register(event: Event, email: str, invitation: str = "") -> bool:
    """Open events take anyone; a network's training takes addresses at its member organisations, or whoever
    brings the event's invitation link."""
    if event.network_id is None or (invitation and invitation == str(event.invitation_key)):
        return True
    domain = _domain(email)
    return any(domain == d or domain.endswith("." + d) for d in member_domains(event.network))  # type: ignore[arg-type]


def register(event: Event, data: RegistrationData, language: str, invitation: str = "") -> Registration:
    """Register someone for the event: confirmed while there is room, else on the waiting list (if it has one).

    Raises ``RegistrationRefused`` when registration is closed, the event is for a network's members and the
    address is not at a member organisation (without the invitation link), the event is full, or the address is
    already registered (that registration is attached, and nothing is changed).
    """
    email = data.email.strip().lower()
    try:
        with transaction.atomic():
            event = _locked(event)
            if not event.registration_is_open():
                raise RegistrationRefused(CLOSED)
            if not may_register(event, email, invitation):
                raise RegistrationRefused(MEMBERS_ONLY)
            existing = event.registrations.filter(ACTIVE, email=email).first()
            if existing is not None:
                raise RegistrationRefused(ALREADY, existing)
            if _has_room(event):
                status = RegistrationStatus.CONFIRMED
            elif event.has_waiting_list:
                status = RegistrationStatus.WAITLISTED
            else:
                raise RegistrationRefused(FULL)
            registration = Registration.objects.create(
                event=event,
                name=data.name.strip(),
                email=email,
                organisation_name=data.organisation_name.strip(),
                requirements=data.requirements.strip(),
                status=status,
            )
    except IntegrityError:
        # The same address registered in a parallel request: the unique constraint kept it to one.
        raise RegistrationRefused(ALREADY, event.registrations.filter(ACTIVE, email=email).first()) from None
    send_registration_mail(registration, language)  # after the commit: nobody is told of a place not kept
    return registration


def registration_by_key(key: Any) -> Registration:
    registration = Registration.objects.select_related("event__organisation").filter(key=key).first()
    if registration is None:
        raise RegistrationRefused(NOT_FOUND)
    return registration


def cancel(key: Any, language: str) -> tuple[Registration, Registration | None]:
    """Cancel the registration with this key; the first on the waiting list gets a freed place.

    Returns the cancelled registration and the one that moved up (if any). A second use of the link raises
    ``RegistrationRefused(ALREADY_CANCELLED)``; an unknown or altered key ``RegistrationRefused(NOT_FOUND)``.
    """
    with transaction.atomic():
        registration = registration_by_key(key)
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationRefused(ALREADY_CANCELLED, registration)
        if event.is_past():
            raise RegistrationRefused(CLOSED, registration)
        promoted = _withdraw(registration, event)
    if promoted is not None:
        send_registration_mail(promoted, language, moved_up=True)
    return registration, promoted


def _has_room(event: Event) -> bool:
    """Whether another person can have a place (the event is locked by the caller)."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return event.capacity is None or confirmed < event.capacity


def _withdraw(registration: Registration, event: Event) -> Registration | None:
    """Cancel a (locked) registration; a place it held goes to the first on the waiting list, who is
    returned."""
    freed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return _promote(event) if freed else None


def _promote(event: Event) -> Registration | None:
    if not _has_room(event):
        return None
    first = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk").first()
    if first is not None:
        first.status = RegistrationStatus.CONFIRMED
        first.save(update_fields=["status"])
    return first


def cancel_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("network:cancel", kwargs={"key": registration.key})


def resend_links(event: Event, email: str, language: str) -> bool:
    """Mail the registration's links again to the address if, and only if, it is registered for the event (at
    most once per ``RESEND_EVERY_SECONDS``). The caller answers the same words either way."""
    registration = event.registrations.filter(ACTIVE, email=email.strip().lower()).first()
    if registration is None:
        return False
    throttle = f"network:resend:{registration.pk}"
    if not cache.add(throttle, 1, RESEND_EVERY_SECONDS):
        return False
    send_registration_mail(registration, language, note=_("You asked for your links again."))
    return True


# --- the organiser's actions on a registration: each mails the person and leaves an audit entry --------------
def _audit(registration: Registration, what: str, request: Any) -> None:
    audit.record(
        AuditKind.REGISTRATION,
        organisation=registration.event.organisation,
        request=request,
        summary=f"{registration.event.title} ({registration.event.starts_at:%Y-%m-%d}): {registration.email} – {what}",
    )


def move_up(registration: Registration, request: Any = None) -> Registration:
    """Give someone on the waiting list a place (the organiser may go beyond the places set)."""
    with transaction.atomic():
        _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.WAITLISTED:
            raise RegistrationRefused(ALREADY, registration)
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        _audit(registration, "flyttad upp från reservlistan", request)
    send_registration_mail(registration, settings.LANGUAGE_CODE, moved_up=True)
    return registration


def remove(registration: Registration, request: Any = None) -> Registration | None:
    """Cancel someone's registration for them; the first on the waiting list gets the freed place. Returns the
    one who moved up."""
    with transaction.atomic():
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationRefused(ALREADY_CANCELLED, registration)
        promoted = _withdraw(registration, event)
        _audit(registration, "borttagen av arrangören", request)
        if promoted is not None:
            _audit(promoted, "flyttad upp från reservlistan", request)
    with translation.override(settings.LANGUAGE_CODE):
        event_url = settings.SITE_URL + reverse("network:event", kwargs={"event_id": registration.event_id})
        context = {"registration": registration, "event": registration.event, "event_url": event_url}
        body = render_to_string("network/mail/removed.txt", context)
        subject = _("Your registration was cancelled: %(title)s") % {"title": registration.event.title}
    EmailMessage(subject, body, to=[registration.email]).send()
    if promoted is not None:
        send_registration_mail(promoted, settings.LANGUAGE_CODE, moved_up=True)
    return promoted


def move(registration: Registration, target: Event, request: Any = None) -> Registration:
    """Move someone to another date of the organiser's: a place there if there is room (else its waiting
    list), the old place freed for the waiting list."""
    with transaction.atomic():
        source = _locked(registration.event)
        target = _locked(target)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationRefused(ALREADY_CANCELLED, registration)
        if target.registrations.filter(ACTIVE, email=registration.email).exists():
            raise RegistrationRefused(ALREADY, registration)
        status = RegistrationStatus.CONFIRMED if _has_room(target) else RegistrationStatus.WAITLISTED
        moved = Registration.objects.create(
            event=target,
            name=registration.name,
            email=registration.email,
            organisation_name=registration.organisation_name,
            requirements=registration.requirements,
            status=status,
        )
        promoted = _withdraw(registration, source)
        _audit(registration, f"flyttad till {target.title} ({target.starts_at:%Y-%m-%d})", request)
        if promoted is not None:
            _audit(promoted, "flyttad upp från reservlistan", request)
    note = _("The organiser moved your registration from %(date)s to this date.") % {
        "date": formats.date_format(timezone.localtime(source.starts_at), "j F Y")
    }
    send_registration_mail(moved, settings.LANGUAGE_CODE, note=note)
    if promoted is not None:
        send_registration_mail(promoted, settings.LANGUAGE_CODE, moved_up=True)
    return moved


def send_registration_mail(registration: Registration, language: str, moved_up: bool = False, note: str = "") -> None:
    """The confirmation (or waiting-list notice) with the cancel link and, when confirmed, the calendar file."""
    event = registration.event
    with translation.override(language):
        context = {"registration": registration, "event": event, "cancel_url": cancel_url(registration)}
        context["moved_up"] = moved_up
        context["note"] = note
        subject = render_to_string("network/mail/registration_subject.txt", context).strip()
        body = render_to_string("network/mail/registration.txt", context)
    message = EmailMessage(subject, body, to=[registration.email])
    if registration.status == RegistrationStatus.CONFIRMED:
        message.attach(f"event-{event.pk}.ics", event_ics(event), "text/calendar")
    message.send()


@transaction.atomic
def mark_attendance(event: Event, attended_ids: set[int]) -> int:
    """Mark who came among the confirmed registrations (everyone else confirmed did not). Returns how many came."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    confirmed.filter(pk__in=attended_ids).update(attended=True)
    confirmed.exclude(pk__in=attended_ids).update(attended=False)
    return len(attended_ids & set(confirmed.values_list("pk", flat=True)))


@transaction.atomic
def save_event(organisation: Organisation, fields: dict[str, Any], methods: list[Any], event: Event | None) -> Event:
    """Create or update an event. More places move people up from the waiting list at once."""
    if event is None:
        event = Event(organisation=organisation)
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    event.methods.set(methods)
    while event.pk and (promoted := _promote(event)) is not None:
        send_registration_mail(promoted, settings.LANGUAGE_CODE, moved_up=True)
    return event


@transaction.atomic
def save_network(
    organisation: Organisation, fields: dict[str, Any], members: list[Organisation], network: Network | None = None
) -> Network:
    """Create or update a network or working group and its member organisations."""
    if network is None:
        network = Network(organisation=organisation)
    for name, value in fields.items():
        setattr(network, name, value)
    network.save()
    network.members.set(members)
    return network


def save_meeting(network: Network, fields: dict[str, Any], meeting: NetworkMeeting | None = None) -> NetworkMeeting:
    if meeting is None:
        meeting = NetworkMeeting(network=network)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    return meeting


def add_document(meeting: NetworkMeeting, title: str, upload: Any) -> NetworkDocument:
    return NetworkDocument.objects.create(meeting=meeting, title=title, file=upload)


def post_announcement(network: Network, user: User, title: str, body: str) -> Announcement:
    """Save an announcement; it goes out with the next digest."""
    return Announcement.objects.create(network=network, title=title, body=body, created_by=user)


def _claim(queryset: Any, field: str) -> list[Any]:
    """Mark rows as handled one by one, keeping those this run was first to mark: a second run (or a
    parallel worker) finds nothing left, so nothing is sent twice."""
    claimed = []
    for row in queryset:
        if type(row).objects.filter(pk=row.pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()}):
            claimed.append(row)
    return claimed


def send_digests() -> int:
    """E-mail each member of a network the announcements not yet sent, one message per person. Returns how
    many messages were sent."""
    pending = Announcement.objects.filter(digest_sent_at__isnull=True).select_related("network").order_by("created_at")
    announcements = _claim(pending, "digest_sent_at")
    by_user: dict[int, tuple[User, list[Announcement]]] = {}
    for announcement in announcements:
        network = announcement.network
        members = Membership.objects.filter(organisation_id__in=network.member_ids()).select_related("user")
        for membership in members:
            if membership.user.is_active:
                by_user.setdefault(membership.user_id, (membership.user, []))[1].append(announcement)
    try:
        for user, items in by_user.values():
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string("network/mail/digest.txt", {"user": user, "announcements": items})
                subject = render_to_string("network/mail/digest_subject.txt", {"count": len(items)}).strip()
            EmailMessage(subject, body, to=[user.email]).send()
    except Exception:
        # The mail server failed: hand the announcements back, so the task's retry sends them.
        Announcement.objects.filter(pk__in=[a.pk for a in announcements]).update(digest_sent_at=None)
        raise
    logger.info("Network digest: %d announcements to %d people", len(announcements), len(by_user))
    return len(by_user)


def send_evaluations() -> int:
    """After an event with an evaluation questionnaire has ended, send its link once to those who took part
    (those marked as attended, or every confirmed participant if attendance was not marked)."""
    ended = Event.objects.filter(
        evaluation__isnull=False, evaluation_sent_at__isnull=True, ends_at__lte=timezone.now()
    ).select_related("evaluation")
    sent = 0
    for event in _claim(ended, "evaluation_sent_at"):
        confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
        attended = confirmed.filter(attended=True)
        link = settings.SITE_URL + reverse("surveys:respond", kwargs={"link_key": event.evaluation.link_key})
        for registration in attended if attended.exists() else confirmed:
            with translation.override(settings.LANGUAGE_CODE):
                context = {"event": event, "link": link}
                body = render_to_string("network/mail/evaluation.txt", context)
                subject = render_to_string("network/mail/evaluation_subject.txt", context).strip()
            EmailMessage(subject, body, to=[registration.email]).send()
            sent += 1
    return sent


def delete_personal_data(now: Any = None) -> int:
    """Delete the registrations of events that ended more than ``EVENT_PERSONAL_DATA_DAYS`` ago, keeping
    only how many registered and attended. Returns how many events were cleared; running it again clears
    nothing more."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.EVENT_PERSONAL_DATA_DAYS)
    cleared = 0
    for event in Event.objects.filter(ends_at__lt=limit, personal_data_deleted_at__isnull=True):
        with transaction.atomic():
            locked = _locked(event)
            if locked.personal_data_deleted_at is not None:
                continue
            active = locked.registrations.filter(status=RegistrationStatus.CONFIRMED)
            locked.registered_count = active.count()
            locked.attended_count = active.filter(attended=True).count()
            locked.personal_data_deleted_at = now
            locked.save(update_fields=["registered_count", "attended_count", "personal_data_deleted_at"])
            locked.registrations.all().delete()
            cleared += 1
    logger.info("Deleted the registrations of %d past events", cleared)
    return cleared
