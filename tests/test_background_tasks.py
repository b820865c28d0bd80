"""Every background task is idempotent: run twice (as a retry or a second worker would), it does its work
once. Each runs through django-tasks, as the worker runs it. A task that meets a locked database or a mail
server that does not answer is tried again, and what it could not finish stays to do."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus

from stodkedjan.accounts.models import Role
from stodkedjan.core.tests.faults import another_writer_until
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.insights.models import CoverageSnapshot
from stodkedjan.insights.tasks import take_coverage_snapshot
from stodkedjan.network import services as network_services
from stodkedjan.network import tasks as network_tasks
from stodkedjan.network.models import Event, Network, Registration
from stodkedjan.plans import services as plan_services
from stodkedjan.plans.models import ActionPlan, FollowUpRound
from stodkedjan.plans.tasks import send_plan_reminders
from stodkedjan.surveys.tests.factories import make_round


def closed_port() -> int:
    """A loopback port nothing listens on: a mail server that does not answer."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


@pytest.mark.django_db(transaction=True)
def test_a_task_that_meets_a_locked_table_is_tried_again_and_does_its_work_once(world, settings, caplog):
    settings.TASK_ATTEMPTS = 6  # pauses of 0.2, 0.8, 3.2 … s: the holder has long let go before they run out
    settings.TASK_RETRY_SECONDS = 0.2
    plan = ActionPlan.objects.create(organisation=world.home, title="Plan", period_start=2026, period_end=2027)
    plan_services.open_round(plan, "T1", 2026, timezone.localdate() + timedelta(days=3), world.users[Role.ADMIN])
    first_attempt_failed = lambda: "send_plan_reminders failed (attempt 1 of 6" in caplog.text  # noqa: E731
    with another_writer_until(FollowUpRound, let_go=first_attempt_failed):  # held when the task starts
        result = send_plan_reminders.enqueue()
    assert result.is_finished
    assert first_attempt_failed()
    assert (result.return_value or 0) >= 1
    assert sum(len(m.to) for m in mail.outbox) == result.return_value
    assert send_plan_reminders.enqueue().return_value == 0  # and run again: nothing more


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_mail_server_does_not_answer_fails_after_its_attempts_and_leaves_the_work_undone(
    world, settings, caplog
):
    settings.TASK_RETRY_SECONDS = 0.05
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    plan = ActionPlan.objects.create(organisation=world.home, title="Plan", period_start=2026, period_end=2027)
    follow_up = plan_services.open_round(
        plan, "T1", 2026, timezone.localdate() + timedelta(days=3), world.users[Role.ADMIN]
    )
    result = send_plan_reminders.enqueue()
    assert result.status == TaskResultStatus.FAILED
    assert caplog.text.count("send_plan_reminders failed") == 2  # attempts 1 and 2; the third is the failure
    follow_up.refresh_from_db()
    assert follow_up.reminded_on is None  # not marked as reminded: the next run sends it
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert (send_plan_reminders.enqueue().return_value or 0) >= 1
