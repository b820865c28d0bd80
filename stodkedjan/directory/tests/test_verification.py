"""Verification requests that run by themselves: one digest per editor, reminders on the schedule, then a flag to
the county board; links that work once, expire, sign no one in and change nothing when merely opened."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from conftest import World
from stodkedjan.accounts.models import Role
from stodkedjan.directory import verification
from stodkedjan.directory.models import Service, VerificationRequest
from stodkedjan.directory.tests.factories import make_service

TODAY = datetime.date(2026, 12, 1)
EDITORS = {Role.EDITOR, Role.COORDINATOR, Role.ADMIN}


def stale(world: World, name: str, days: int = 400) -> Service:
    service = make_service(world.home, name=name)
    Service.objects.filter(pk=service.pk).update(assured_date=TODAY - datetime.timedelta(days=days))
    return Service.objects.get(pk=service.pk)


def links(message: Any) -> list[str]:
    return re.findall(r"https?://\S+/verify/(\S+)/", message.body)


@pytest.fixture(autouse=True)
def no_mail() -> None:
    mail.outbox = []


def test_the_daily_run_sends_one_digest_per_editor_once_a_day(world: World) -> None:
    stale(world, "Föräldracafé Fittja")
    stale(world, "ABC Hallunda")
    make_service(world.home, name="Nyss kontrollerad")  # checked today: not due
    first = verification.send_due(TODAY)
    assert (first.emails, first.requests) == (len(EDITORS), 2 * len(EDITORS))
    assert {m.to[0] for m in mail.outbox} == {world.users[role].email for role in EDITORS}
    digest = mail.outbox[0]
    assert "Föräldracafé Fittja" in digest.body and "ABC Hallunda" in digest.body  # noqa: PT018
    assert len(links(digest)) == 2
    assert verification.send_due(TODAY).emails == 0  # a second run the same day sends nothing
    assert len(mail.outbox) == len(EDITORS)


def test_reminders_follow_the_schedule_and_then_the_county_board_is_told(world: World, settings: Any) -> None:
    settings.DIRECTORY_REMINDER_DAYS = [14, 30]
    settings.DIRECTORY_FLAG_AFTER_DAYS = 45
    service = stale(world, "Föräldracafé Fittja")
    sent = [verification.send_due(TODAY + datetime.timedelta(days=d)).emails for d in (0, 5, 14, 15, 30, 44)]
    assert sent == [len(EDITORS), 0, len(EDITORS), 0, len(EDITORS), 0]
    assert "Påminnelse" in mail.outbox[-1].subject
    assert verification.send_due(TODAY + datetime.timedelta(days=45)).flagged == 1
    assert verification.send_due(TODAY + datetime.timedelta(days=46)).flagged == 0  # once
    assert [r.service for r in verification.flagged_in_county(world.county_board.area_id)] == [service]


def test_a_first_run_on_a_long_forgotten_offering_sends_the_first_request_not_every_reminder(world: World) -> None:
    stale(world, "ABC Hallunda", days=900)
    verification.send_due(TODAY)
    assert set(VerificationRequest.objects.values_list("step", flat=True)) == {0}


def test_a_link_confirms_once_and_says_so_when_used_again(world: World, client: Any) -> None:
    service = stale(world, "Föräldracafé Fittja")
    verification.send_due(timezone.localdate())
    token = links(mail.outbox[0])[0]
    url = f"/sv/verify/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Stämmer det fortfarande" in page.content.decode()
    service.refresh_from_db()
    assert service.needs_review()  # opening the link changes nothing (mail scanners open links)
    done = client.post(url, {"answer": "confirmed"}).content.decode()
    assert "markerad som kontrollerad i dag" in done
    service.refresh_from_db()
    assert service.assured_date == timezone.localdate()
    assert service.assurer_email == mail.outbox[0].to[0]
    assert "_auth_user_id" not in client.session  # no link signs anyone in
    again = client.post(url, {"answer": "needs_change"}).content.decode()
    assert "redan bekräftad" in again
    other = links(mail.outbox[1])[0]  # another editor's link for the same offering, after it was confirmed
    assert "redan bekräftad" in client.get(f"/sv/verify/{other}/").content.decode()


def test_needs_a_change_keeps_the_note_for_the_organisation(world: World, client: Any) -> None:
    service = stale(world, "ABC Hallunda")
    verification.send_due(timezone.localdate())
    url = f"/sv/verify/{links(mail.outbox[0])[0]}/"
    assert client.post(url, {"answer": "maybe"}).status_code == 400
    client.post(url, {"answer": "needs_change", "note": "Vi träffas nu på tisdagar."})
    answered = VerificationRequest.objects.get(answered_at__isnull=False)
    assert (answered.answer, answered.note) == ("needs_change", "Vi träffas nu på tisdagar.")
    service.refresh_from_db()
    assert service.needs_review()  # still to be checked: someone has to change it
    client.force_login(world.users[Role.EDITOR])
    assert "Vi träffas nu på tisdagar." in client.get(f"/sv/staff/services/{service.pk}/").content.decode()


def test_an_altered_or_expired_link_is_a_plain_404(world: World, client: Any, settings: Any) -> None:
    stale(world, "ABC Hallunda")
    verification.send_due(timezone.localdate())
    token = links(mail.outbox[0])[0]
    altered = token[:-1] + ("y" if token.endswith("x") else "x")  # a signature may itself end in "x"
    assert client.get(f"/sv/verify/{altered}/").status_code == 404
    VerificationRequest.objects.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(f"/sv/verify/{token}/").status_code == 404
    assert client.post(f"/sv/verify/{token}/", {"answer": "confirmed"}).status_code == 404


def test_a_county_board_editor_sends_the_link_for_one_offering_to_a_provider_without_an_account(
    world: World, client: Any
) -> None:
    from stodkedjan.accounts.tests.factories import MembershipFactory

    service = stale(world, "Föräldracafé Fittja")
    board_editor = MembershipFactory(organisation=world.county_board, role=Role.EDITOR).user
    client.force_login(board_editor)
    page = client.post(f"/sv/staff/services/{service.pk}/verification/", {"email": "forening@example.se"}, follow=True)
    assert "En länk skickades till forening@example.se." in page.content.decode()
    (message,) = mail.outbox
    assert message.to == ["forening@example.se"]
    client.logout()
    client.post(f"/sv/verify/{links(message)[0]}/", {"answer": "confirmed"})
    service.refresh_from_db()
    assert service.assurer_email == "forening@example.se"
    client.force_login(world.users[Role.VIEWER])  # a viewer may not send links
    assert client.post(f"/sv/staff/services/{service.pk}/verification/", {"email": "x@example.se"}).status_code == 403


def test_the_county_board_sets_the_reminder_schedule_and_the_daily_run_follows_it(world: World, client: Any) -> None:
    from stodkedjan.accounts.tests.factories import MembershipFactory

    service = stale(world, "Föräldracafé Fittja")
    coordinator = MembershipFactory(organisation=world.county_board, role=Role.COORDINATOR).user
    client.force_login(coordinator)
    url = f"/sv/staff/{world.county_board.slug}/services/reminders/"
    form = client.get(url).content.decode()
    assert 'value="14, 30"' in form, "the site's default schedule until the county board sets its own"
    bad = client.post(url, {"reminder_days": "30, 7", "flag_after_days": "20"})
    assert bad.status_code == 400
    assert "i stigande ordning" in bad.content.decode()
    assert 'value="30, 7"' in bad.content.decode(), "what was typed is kept"
    late = client.post(url, {"reminder_days": "7", "flag_after_days": "5"}).content.decode()
    assert "först efter den sista påminnelsen" in late
    client.post(url, {"reminder_days": "7, 21", "flag_after_days": "28"})
    world.county_board.refresh_from_db()
    assert (world.county_board.reminder_days, world.county_board.flag_after_days) == ([7, 21], 28)
    assert verification.schedule_for(world.home).reminders == (7, 21)
    verification.send_due(TODAY)
    steps = {
        day: verification.send_due(TODAY + datetime.timedelta(days=day)).requests for day in (6, 7, 14, 20, 21, 27)
    }
    assert steps == {6: 0, 7: 3, 14: 0, 20: 0, 21: 3, 27: 0}, "a reminder to each of the three editors on 7 and 21"
    assert verification.send_due(TODAY + datetime.timedelta(days=28)).flagged == 1
    assert [r.service for r in verification.flagged_in_county(world.county_board.area_id)] == [service]
    overview = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/").content.decode()
    assert "7, 21 dagar efter" in overview
    assert "Ändra påminnelserna" in overview


def test_only_the_county_boards_coordinators_set_the_schedule(world: World, client: Any) -> None:
    from stodkedjan.accounts.tests.factories import MembershipFactory

    url = f"/sv/staff/{world.county_board.slug}/services/reminders/"
    board_editor = MembershipFactory(organisation=world.county_board, role=Role.EDITOR).user
    client.force_login(board_editor)
    assert client.post(url, {"reminder_days": "1", "flag_after_days": "2"}).status_code == 403
    assert (
        "Ändra påminnelserna"
        not in client.get(f"/sv/staff/{world.county_board.slug}/insights/county/").content.decode()
    )
    client.force_login(world.users[Role.ADMIN])
    assert client.get(f"/sv/staff/{world.home.slug}/services/reminders/").status_code == 403
    world.county_board.refresh_from_db()
    assert world.county_board.reminder_days == []
