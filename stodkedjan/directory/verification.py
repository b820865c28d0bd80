"""Verification requests that run by themselves (issue 24): when a published offering is due for review, each
editor of its organisation gets one e-mail a day at most (a digest of every offering due) with a one-click link
per offering, "still correct" or "needs a change". Reminders follow on the county board's schedule (by default
``DIRECTORY_REMINDER_DAYS`` after the first request); with no answer after its last step (by default
``DIRECTORY_FLAG_AFTER_DAYS``), the offering is flagged to the county board.
A county board's editor can also send the link for one offering to anyone (a provider without an account).

Links are random tokens kept only as their SHA-256, expire after ``DIRECTORY_LINK_DAYS``, work once and sign no
one in. The daily run is idempotent: what a run has sent is written in the same transaction as sending it."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from stodkedjan.accounts.models import Membership, Organisation, OrganisationKind, Role
from stodkedjan.accounts.queries import county_board_of
from stodkedjan.core import audit
from stodkedjan.core.models import AuditKind
from stodkedjan.directory.models import Service, Status, VerificationAnswer, VerificationRequest

EDITOR_ROLES = [Role.EDITOR, Role.COORDINATOR, Role.ADMIN]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link(token: str) -> str:
    with override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("directory:verify", kwargs={"token": token})


def _new_request(service: Service, email: str, step: int, today: datetime.date) -> tuple[VerificationRequest, str]:
    token = secrets.token_urlsafe(24)
    found = VerificationRequest.objects.create(
        service=service,
        email=email,
        token_hash=_hash(token),
        step=step,
        sent_on=today,
        expires_on=today + datetime.timedelta(days=settings.DIRECTORY_LINK_DAYS),
    )
    return found, token


def open_requests(service: Service) -> list[VerificationRequest]:
    """The requests of the offering's current review: those sent after it was last checked."""
    requests = VerificationRequest.objects.filter(service=service)
    if service.assured_date is not None:
        requests = requests.filter(sent_on__gt=service.assured_date)
    return list(requests.order_by("sent_on", "step"))


@dataclass(frozen=True)
class Schedule:
    """When reminders follow the first request, and when an unanswered offering is handed to the county board
    (days after the first request)."""

    reminders: tuple[int, ...]
    flag_after: int
    set_by_county_board: bool


def default_schedule() -> Schedule:
    return Schedule(tuple(settings.DIRECTORY_REMINDER_DAYS), settings.DIRECTORY_FLAG_AFTER_DAYS, False)


def schedule_of(county_board: Organisation | None) -> Schedule:
    """The county board's schedule, or the site's where it has set none."""
    if county_board is None or not county_board.reminder_days or not county_board.flag_after_days:
        return default_schedule()
    return Schedule(tuple(county_board.reminder_days), county_board.flag_after_days, True)


def schedule_for(organisation: Organisation) -> Schedule:
    """The schedule of the county board of the county the organisation is in."""
    return schedule_of(county_board_of(organisation.area))


def _next_step(service: Service, today: datetime.date, schedule: Schedule) -> int | None:
    """The step due today for this offering: 0 for the first request, 1… for reminders, ``-1`` to flag it to the
    county board, or None when nothing is due."""
    sent = open_requests(service)
    if not sent:
        return 0
    if any(r.flagged for r in sent):
        return None
    first = sent[0].sent_on
    steps = {r.step for r in sent}
    due = [n for n, days in enumerate(schedule.reminders, start=1) if today >= first + datetime.timedelta(days=days)]
    if due and due[-1] not in steps:
        return due[-1]
    if today >= first + datetime.timedelta(days=schedule.flag_after):
        return -1
    return None


@dataclass
class Run:
    emails: int = 0
    requests: int = 0
    flagged: int = 0


def send_due(today: datetime.date | None = None) -> Run:
    """Send today's requests and reminders, one digest per editor and organisation, and flag what went
    unanswered. Run daily; a second run the same day sends nothing."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=settings.DIRECTORY_REVIEW_AFTER_DAYS)
    due = (
        Service.objects.filter(status=Status.ACTIVE, duplicate_of__isnull=True)
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lt=limit))
        .select_related("organisation__area")
        .order_by("organisation_id", "name_sv")
    )
    by_organisation: dict[int, list[Service]] = defaultdict(list)
    for service in due:
        by_organisation[service.organisation_id].append(service)
    boards = {o.area_id: o for o in Organisation.objects.filter(kind=OrganisationKind.COUNTY_BOARD)}
    run = Run()
    for services in by_organisation.values():
        area = services[0].organisation.area
        _send_for(services, today, run, schedule_of(boards.get(area.county_id or area.pk)))
    return run


def _send_for(services: list[Service], today: datetime.date, run: Run, schedule: Schedule) -> None:
    organisation = services[0].organisation
    editors = list(
        Membership.objects.filter(organisation=organisation, role__in=EDITOR_ROLES, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )
    with transaction.atomic():
        digests: dict[str, list[tuple[Service, str, int]]] = defaultdict(list)
        for service in Service.objects.select_for_update().filter(pk__in=[s.pk for s in services]):
            step = _next_step(service, today, schedule)
            if step is None:
                continue
            if step == -1:
                VerificationRequest.objects.create(
                    service=service,
                    email="",
                    token_hash=_hash(secrets.token_urlsafe(24)),
                    step=99,
                    sent_on=today,
                    expires_on=today,
                    flagged=True,
                )
                run.flagged += 1
                continue
            for email in editors:
                _request, token = _new_request(service, email, step, today)
                digests[email].append((service, token, step))
                run.requests += 1
        for email, entries in digests.items():
            _send_digest(email, organisation.name, entries)
            run.emails += 1


def _send_digest(email: str, organisation: str, entries: list[tuple[Service, str, int]]) -> None:
    with override(settings.LANGUAGE_CODE):
        reminder = any(step > 0 for _s, _t, step in entries)
        subject = (
            _("Reminder: are %(organisation)s's offerings still correct?")
            if reminder
            else _("Are %(organisation)s's offerings still correct?")
        ) % {"organisation": organisation}
        lines = [
            _(
                "Parents find these offerings in Stödkedjan. They were last checked more than half a year ago. "
                "Open each link and answer with one click whether it is still correct or needs a change. "
                "The links work once, for %(days)s days, and do not sign you in."
            )
            % {"days": settings.DIRECTORY_LINK_DAYS},
            "",
        ]
        for service, token, _step in entries:
            lines += [service.name_sv, _link(token), ""]
        send_mail(subject, "\n".join(lines), None, [email])


def send_one(service: Service, email: str, sender: str) -> None:
    """A county board's editor sends the link for one offering to one address (no account needed)."""
    today = timezone.localdate()
    with transaction.atomic():
        _request, token = _new_request(service, email, 0, today)
        with override(settings.LANGUAGE_CODE):
            send_mail(
                _("Is “%(service)s” still correct?") % {"service": service.name_sv},
                _(
                    "%(sender)s asks you to check this offering in Stödkedjan, where parents find it. Open the link "
                    "and answer with one click; it works once, for %(days)s days, and needs no account."
                )
                % {"sender": sender, "days": settings.DIRECTORY_LINK_DAYS}
                + f"\n\n{service.name_sv}\n{_link(token)}\n",
                None,
                [email],
            )
        audit.record(
            AuditKind.PUBLICATION,
            organisation=service.organisation,
            summary=f"{service.name}: kontrollänk till {email}",
        )


def find(token: str) -> VerificationRequest | None:
    """The request a link names, if it exists and has not expired (an answered one is still found, to say so)."""
    found = (
        VerificationRequest.objects.select_related("service__organisation")
        .filter(token_hash=_hash(token), flagged=False)
        .first()
    )
    if found is None or found.expires_on < timezone.localdate():
        return None
    return found


def already_answered(request: VerificationRequest) -> bool:
    """Answered by this link, or the offering was checked (by anyone) since the link was sent."""
    assured = request.service.assured_date
    return request.answered_at is not None or (assured is not None and assured >= request.sent_on)


def answer(request: VerificationRequest, answer: str, note: str = "") -> bool:
    """Record the answer once; False when the link was used already (by a second click or a second tab)."""
    with transaction.atomic():
        claimed = VerificationRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(
            answered_at=timezone.now(), answer=answer, note=note[:2000]
        )
        if not claimed:
            return False
        service = request.service
        if answer == VerificationAnswer.CONFIRMED:
            service.assured_date = timezone.localdate()
            service.assurer_email = request.email
            service._change_reason = "checked by link, still correct"
            service.save()
        audit.record(
            AuditKind.PUBLICATION,
            organisation=service.organisation,
            summary=f"{service.name}: {request.email} – {VerificationAnswer(answer).label}",
        )
    return True


def flagged_in_county(county_id: int) -> list[VerificationRequest]:
    """The county's offerings whose review went unanswered, still not checked."""
    rows = (
        VerificationRequest.objects.filter(flagged=True)
        .filter(Q(service__organisation__area__county_id=county_id) | Q(service__organisation__area_id=county_id))
        .select_related("service__organisation")
        .order_by("sent_on")
    )
    return [r for r in rows if r.service.needs_review() and r.service.status == Status.ACTIVE]
