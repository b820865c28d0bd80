"""Writes to plans: saving an imported plan, editing rows without losing a concurrent edit, ordering,
comments, follow-up rounds and their reminders."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from stodkedjan.accounts.models import Membership, Organisation, Role
from stodkedjan.plans.models import (
    DEFAULT_SCHEDULE,
    ActionPlan,
    Activity,
    Comment,
    FollowUp,
    FollowUpRound,
    PlanImport,
    PlanItem,
    RoundSchedule,
    Strategy,
)


class EditConflict(Exception):
    """Someone saved the row after this person opened it; their change must not be overwritten."""

    def __init__(self, current: Model) -> None:
        super().__init__("changed by someone else")
        self.current = current


@transaction.atomic
def save_imported_plan(batch: PlanImport, user: Any) -> ActionPlan:
    """Create the plan a confirmed import describes, all of it or nothing."""
    parsed = batch.parsed
    this_year = timezone.localdate().year
    plan = ActionPlan.objects.create(
        organisation=batch.organisation,
        strategy=batch.strategy,
        title=parsed["title"],
        period_start=parsed["period_start"] or this_year,
        period_end=parsed["period_end"] or parsed["period_start"] or this_year,
        source_filename=batch.filename,
    )
    item_position = 0
    for priority in parsed["priorities"]:
        for item_data in priority["items"]:
            item_position += 1
            item = PlanItem.objects.create(
                plan=plan,
                priority_id=priority["priority_id"],
                priority_label="" if priority["priority_id"] else priority["label"][:500],
                position=item_position,
                focus_area=item_data["focus_area"],
                goals=item_data["goals"],
            )
            Activity.objects.bulk_create(
                Activity(
                    item=item,
                    position=position,
                    methods=a["methods"],
                    responsible=a["responsible"],
                    timeframe_start=a["timeframe_start"],
                    timeframe_end=a["timeframe_end"],
                    timeframe_note=a["timeframe_note"],
                    follow_up=a["follow_up"],
                )
                for position, a in enumerate(item_data["activities"], start=1)
            )
    batch.plan = plan
    batch.save(update_fields=["plan"])
    return plan


def create_plan(organisation: Organisation, data: dict[str, Any]) -> ActionPlan:
    """A new, empty plan."""
    return ActionPlan.objects.create(organisation=organisation, **data)


def save_versioned(obj: PlanItem | Activity | FollowUp, data: dict[str, Any], seen_version: int) -> None:
    """Save ``data`` onto ``obj`` only if nobody has saved it since ``seen_version`` was read.

    The check and the write are one UPDATE … WHERE version = seen, so two people saving at once cannot
    both win; the loser gets ``EditConflict`` with the row as it now is.
    """
    model = type(obj)
    m2m = {k: data.pop(k) for k in list(data) if k in {"services", "areas", "indicators"}}
    with transaction.atomic():
        updated = model.objects.filter(pk=obj.pk, version=seen_version).update(**data, version=F("version") + 1)
        if not updated:
            raise EditConflict(model.objects.get(pk=obj.pk))
        obj.refresh_from_db()
        for name, values in m2m.items():
            getattr(obj, name).set(values)
        obj.save()  # one history record per edit, with who and when (the version is already new)


def add_item(plan: ActionPlan, priority_label: str = "", priority_id: int | None = None) -> PlanItem:
    position = (plan.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return PlanItem.objects.create(plan=plan, position=position, priority_id=priority_id, priority_label=priority_label)


def add_activity(item: PlanItem, methods: str) -> Activity:
    position = (item.activities.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return Activity.objects.create(item=item, position=position, methods=methods)


@transaction.atomic
def move(obj: PlanItem | Activity, direction: int) -> None:
    """Swap a row with its neighbour above (-1) or below (+1) among its siblings."""
    siblings: list[Any] = list(obj.plan.items.all() if isinstance(obj, PlanItem) else obj.item.activities.all())
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


def delete(obj: PlanItem | Activity) -> None:
    obj.delete()  # the history keeps the deleted row


def add_comment(activity: Activity, author: Any, organisation: Organisation | None, text: str) -> Comment:
    return Comment.objects.create(activity=activity, author=author, author_organisation=organisation, text=text)


@transaction.atomic
def open_round(plan: ActionPlan, kind: str, year: int, deadline: datetime.date, user: Any) -> FollowUpRound:
    """Open a follow-up round; every activity the schedule says is followed up then gets an empty row."""
    round_ = FollowUpRound.objects.create(plan=plan, kind=kind, year=year, deadline=deadline, opened_by=user)
    activities = Activity.objects.filter(item__plan=plan)
    FollowUp.objects.bulk_create(
        FollowUp(round=round_, activity=a) for a in activities if not a.follow_up or kind in a.follow_up
    )
    return round_


def open_rounds_for_all(
    organisation: Organisation, kind: str, year: int, deadline: datetime.date, user: Any
) -> tuple[list[FollowUpRound], int]:
    """Open ``kind`` ``year`` for every plan of the organisation whose period covers the year and that has not
    got it yet; returns the rounds opened and how many plans already had it."""
    opened, already = [], 0
    for plan in ActionPlan.objects.filter(organisation=organisation, period_start__lte=year, period_end__gte=year):
        if FollowUpRound.objects.filter(plan=plan, kind=kind, year=year).exists():
            already += 1
        else:
            opened.append(open_round(plan, kind, year, deadline, user))
    return opened, already


def _on(year: int, month: int, day: int) -> datetime.date:
    """The day in that year; the last of the month where it is shorter (29 February in other years)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def scheduled_dates(schedule: RoundSchedule, year: int) -> tuple[datetime.date, datetime.date, int]:
    """When a schedule opens in ``year``, its deadline then (in the next year when it falls before the
    opening), and the year the round reports on."""
    opens = _on(year, schedule.opens_month, schedule.opens_day)
    deadline = _on(year, schedule.deadline_month, schedule.deadline_day)
    if deadline < opens:
        deadline = _on(year + 1, schedule.deadline_month, schedule.deadline_day)
    return opens, deadline, year - 1 if schedule.for_previous_year else year


def open_scheduled_rounds(today: datetime.date | None = None) -> int:
    """Open every round whose schedule says it opens by now and whose deadline has not passed, for every plan
    of the organisation that runs that year. Run daily; a round is opened once, so running it again opens
    nothing. Returns the number of rounds opened."""
    today = today or timezone.localdate()
    opened = 0
    for schedule in RoundSchedule.objects.filter(is_active=True).select_related("organisation"):
        for year in (today.year - 1, today.year):  # a schedule that opened last year may still be running
            opens, deadline, report_year = scheduled_dates(schedule, year)
            if opens <= today <= deadline:
                rounds, _already = open_rounds_for_all(
                    schedule.organisation, schedule.kind, report_year, deadline, None
                )
                opened += len(rounds)
    return opened


def save_schedule(organisation: Organisation, kind: str, fields: dict[str, Any]) -> RoundSchedule:
    schedule, _created = RoundSchedule.objects.update_or_create(organisation=organisation, kind=kind, defaults=fields)
    return schedule


def schedules_for(organisation: Organisation) -> list[RoundSchedule]:
    """The organisation's three schedules, the defaults (not in use) where it has set none."""
    kept = {s.kind: s for s in RoundSchedule.objects.filter(organisation=organisation)}
    found = []
    for kind, (om, od, dm, dd, previous) in DEFAULT_SCHEDULE.items():
        found.append(
            kept.get(kind)
            or RoundSchedule(
                organisation=organisation,
                kind=kind,
                opens_month=om,
                opens_day=od,
                deadline_month=dm,
                deadline_day=dd,
                for_previous_year=previous,
            )
        )
    return found


def submit_round(round_: FollowUpRound) -> None:
    round_.submitted_at = timezone.now()
    round_.save(update_fields=["submitted_at"])


def reopen_round(round_: FollowUpRound) -> None:
    round_.submitted_at = None
    round_.save(update_fields=["submitted_at"])


@dataclass
class ReminderRun:
    rounds: int
    emails: int


def send_reminders(today: datetime.date | None = None) -> ReminderRun:
    """Remind the coordinators of every round that is due soon and not submitted — once per round.

    Safe to run more than once a day: a round that was reminded is not reminded again.
    """
    today = today or timezone.localdate()
    due_by = today + datetime.timedelta(days=settings.PLAN_REMINDER_DAYS)
    rounds = FollowUpRound.objects.filter(
        submitted_at__isnull=True, reminded_on__isnull=True, deadline__gte=today, deadline__lte=due_by
    ).select_related("plan__organisation")
    sent = 0
    done = 0
    for round_ in rounds:
        recipients = list(
            Membership.objects.filter(
                organisation=round_.plan.organisation, role__in=[Role.COORDINATOR, Role.ADMIN]
            ).values_list("user__email", flat=True)
        )
        with transaction.atomic():
            claimed = FollowUpRound.objects.filter(pk=round_.pk, reminded_on__isnull=True).update(reminded_on=today)
            if not claimed or not recipients:
                continue
            done += 1
            with override(settings.LANGUAGE_CODE):
                url = settings.SITE_URL + reverse("plans:round", kwargs={"round_id": round_.pk})
                missing = round_.follow_ups.filter(status="").count()
                send_mail(
                    _("Follow-up %(round)s of %(plan)s is due on %(deadline)s")
                    % {"round": round_, "plan": round_.plan.title, "deadline": round_.deadline.isoformat()},
                    _("%(missing)d activities have no status yet. Report them here: %(url)s")
                    % {"missing": missing, "url": url},
                    None,
                    recipients,
                )
            sent += len(recipients)
    return ReminderRun(done, sent)


def import_strategy(
    organisation: Organisation, slug: str, title: str, start: int, end: int, priorities: list[str]
) -> Strategy:
    """Create or replace a strategy's ordered priorities."""
    strategy, _created = Strategy.objects.update_or_create(
        slug=slug, defaults={"organisation": organisation, "title": title, "period_start": start, "period_end": end}
    )
    for position, text in enumerate(priorities, start=1):
        strategy.priorities.update_or_create(position=position, defaults={"title": text})
    return strategy
