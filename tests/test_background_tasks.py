"""Every background task is idempotent: run twice (as a retry or a second worker would), it does its work
once. Each runs through django-tasks, as the worker runs it."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from stodkedjan.accounts.models import Role
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.insights.models import CoverageSnapshot
from stodkedjan.insights.tasks import take_coverage_snapshot
from stodkedjan.network import services as network_services
from stodkedjan.network import tasks as network_tasks
from stodkedjan.network.models import Event, Network, Registration
from stodkedjan.plans import services as plan_services
from stodkedjan.plans.models import ActionPlan
from stodkedjan.plans.tasks import send_plan_reminders
from stodkedjan.surveys.tests.factories import make_round


def run_twice(task):
    first = task.enqueue()
    second = task.enqueue()
    assert first.is_finished
    assert second.is_finished
    return first.return_value, second.return_value


def test_plan_reminders_go_once(world):
    plan = ActionPlan.objects.create(organisation=world.home, title="Plan", period_start=2026, period_end=2027)
    plan_services.open_round(plan, "T1", 2026, timezone.localdate() + timedelta(days=3), world.users[Role.ADMIN])
    first, second = run_twice(send_plan_reminders)
    assert first >= 1
    assert second == 0
    assert sum(len(m.to) for m in mail.outbox) == first


def test_the_network_digest_goes_once(world):
    network = Network.objects.create(organisation=world.county_board, name="Nätverk", purpose="Utbyte")
    network.members.add(world.home)
    network_services.post_announcement(network, world.users[Role.ADMIN], "Nytt", "Text")
    first, second = run_twice(network_tasks.send_announcement_digest)
    assert first > 0
    assert second == 0
    assert len(mail.outbox) == first


def test_evaluations_go_once(world):
    ended = timezone.now() - timedelta(hours=1)
    event = Event.objects.create(
        organisation=world.county_board,
        title="Kurs",
        description="x",
        starts_at=ended - timedelta(hours=3),
        ends_at=ended,
        evaluation=make_round(world.county_board),
        is_published=True,
    )
    Registration.objects.create(event=event, name="Ada", email="ada@example.se", status="confirmed")
    assert run_twice(network_tasks.send_event_evaluations) == (1, 0)
    assert len(mail.outbox) == 1


def test_registrations_are_deleted_once_and_counts_kept(world, settings):
    settings.EVENT_PERSONAL_DATA_DAYS = 0
    ended = timezone.now() - timedelta(days=1)
    event = Event.objects.create(
        organisation=world.county_board,
        title="Kurs",
        description="x",
        starts_at=ended - timedelta(hours=3),
        ends_at=ended,
        is_published=True,
    )
    Registration.objects.create(event=event, name="Ada", email="ada@example.se", status="confirmed", attended=True)
    assert run_twice(network_tasks.delete_past_registrations) == (1, 0)
    event.refresh_from_db()
    assert (event.registered_count, event.attended_count, event.registrations.count()) == (1, 1, 0)


def test_the_coverage_snapshot_is_stored_once_a_month(world):
    make_service(world.home)
    first, second = run_twice(take_coverage_snapshot)
    assert first == second > 0
    month = timezone.localdate().replace(day=1)
    assert CoverageSnapshot.objects.filter(month=month).count() == first
