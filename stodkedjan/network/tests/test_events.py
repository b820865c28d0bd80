"""Events: registration, waiting list, cancellation links, attendance, export and deletion after the event."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from stodkedjan.accounts.models import Role
from stodkedjan.network import services
from stodkedjan.network.forms import FORM_SALT
from stodkedjan.network.models import Event, Registration, RegistrationStatus


@pytest.fixture
def event(world):
    starts = timezone.now() + timedelta(days=10)
    return Event.objects.create(
        organisation=world.county_board,
        title="Utbildningsdag",
        description="Om föräldraskapsstöd.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        place="Länsstyrelsen",
        capacity=2,
        is_published=True,
    )


def register(client, event, email, name="Ada Andersson", lang="sv", query="", **extra):
    token = signing.dumps(event.pk, salt=FORM_SALT)
    data = {"name": name, "email": email, "organisation_name": "Botkyrka kommun", "consent": "on", "token": token}
    return client.post(f"/{lang}/events/{event.pk}/{query}", {**data, **extra})


def cancel_link(message) -> str:
    return re.search(r"http://[^\s]+/events/cancel/[0-9a-f-]+/", message.body).group(0).split("8000", 1)[1]


def test_places_fill_then_the_waiting_list_and_a_cancellation_moves_the_first_up(client, event):
    assert "Du är anmäld" in register(client, event, "a@example.se").content.decode()
    register(client, event, "b@example.se")
    waiting = register(client, event, "c@example.se")
    assert "Du står på väntelistan" in waiting.content.decode()
    register(client, event, "d@example.se")
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "a@example.se": "confirmed",
        "b@example.se": "confirmed",
        "c@example.se": "waitlisted",
        "d@example.se": "waitlisted",
    }
    confirmation = mail.outbox[0]
    assert confirmation.to == ["a@example.se"]
    assert confirmation.attachments[0][0].endswith(".ics")
    assert "BEGIN:VEVENT" in str(confirmation.attachments[0][1])
    assert not mail.outbox[2].attachments  # a waiting-list notice has no calendar file yet
    mail.outbox.clear()

    link = cancel_link(confirmation)
    assert "Vill du avboka" in client.get(link).content.decode()
    assert Registration.objects.get(email="a@example.se").status == "confirmed"  # GET changes nothing
    done = client.post(link)
    assert "Din anmälan är avbokad" in done.content.decode()
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["a@example.se"] == "cancelled"
    assert statuses["c@example.se"] == "confirmed"
    assert statuses["d@example.se"] == "waitlisted"
    assert [m.to for m in mail.outbox] == [["c@example.se"]]
    assert mail.outbox[0].attachments


def test_a_cancel_link_used_twice_or_made_up_changes_nothing_and_says_so(client, event):
    register(client, event, "a@example.se")
    register(client, event, "b@example.se")
    register(client, event, "c@example.se")
    link = cancel_link(mail.outbox[0])
    client.post(link)
    again = client.post(link)
    assert again.status_code == 200
    assert "Redan avbokad" in again.content.decode()
    assert "Redan avbokad" in client.get(link).content.decode()
    made_up = client.post(f"/sv/events/cancel/{uuid.uuid4()}/")
    assert made_up.status_code == 404
    assert "Länken gäller inte" in made_up.content.decode()
    assert client.get("/sv/events/cancel/not-a-key/").status_code == 404
    counts = dict(Registration.objects.values_list("email", "status"))
    assert counts == {"a@example.se": "cancelled", "b@example.se": "confirmed", "c@example.se": "confirmed"}


def main_text(response) -> str:
    """What the page says, without the form tokens that differ from one answer to the next."""
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def test_registering_twice_keeps_one_registration_and_answers_as_send_my_links_does(client, event):
    register(client, event, "a@example.se")
    twice = register(client, event, "A@Example.se")
    assert twice.status_code == 200
    assert Registration.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["a@example.se"], ["a@example.se"]], "the links again, to the address"
    assert cancel_link(mail.outbox[1]) == cancel_link(mail.outbox[0])
    unknown = client.post(f"/sv/events/{event.pk}/links/", {"email": "nobody@example.se"})
    assert main_text(twice) == main_text(unknown), "the page never tells whether an address is registered"
    assert "Om adressen är anmäld" in main_text(unknown)


def test_send_my_links_answers_the_same_for_a_registered_and_an_unknown_address(client, event):
    register(client, event, "a@example.se")
    mail.outbox.clear()
    url = f"/sv/events/{event.pk}/links/"
    known = client.post(url, {"email": "A@example.se"})
    unknown = client.post(url, {"email": "b@example.se"})
    assert (known.status_code, unknown.status_code) == (200, 200)
    assert main_text(known) == main_text(unknown)
    assert [m.to for m in mail.outbox] == [["a@example.se"]], "mailed to the registered address only"
    assert "Du bad om dina länkar igen." in mail.outbox[0].body
    assert "/events/cancel/" in mail.outbox[0].body
    again = client.post(url, {"email": "a@example.se"})
    assert main_text(again) == main_text(known)
    assert len(mail.outbox) == 1, "at most once in ten minutes: the form cannot be used to flood an inbox"
    bad = client.post(url, {"email": "not an address"})
    assert bad.status_code == 400
    assert 'value="not an address"' in bad.content.decode()


def test_the_confirmation_page_carries_the_cancel_link(client, event):
    page = register(client, event, "a@example.se").content.decode()
    link = cancel_link(mail.outbox[0])
    assert f'href="http://127.0.0.1:8000{link}"' in page or f'href="{link}"' in page
    client.post(link)
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED


def test_a_full_event_without_waiting_list_and_a_past_one_refuse_plainly(client, event):
    event.has_waiting_list = False
    event.capacity = 1
    event.save()
    register(client, event, "a@example.se")
    full = register(client, event, "b@example.se")
    assert full.status_code == 409
    assert "Evenemanget är fullt" in full.content.decode()
    event.starts_at = timezone.now() - timedelta(hours=1)
    event.save()
    late = register(client, event, "c@example.se")
    assert late.status_code == 409
    assert "Anmälan är stängd" in late.content.decode()
    assert list(Registration.objects.values_list("email", flat=True)) == ["a@example.se"]


def test_the_form_keeps_what_was_typed_and_an_altered_token_is_refused(client, event):
    missing = client.post(
        f"/sv/events/{event.pk}/",
        {"name": "Ada", "email": "inte-en-adress", "token": signing.dumps(event.pk, salt=FORM_SALT)},
    )
    assert missing.status_code == 400
    html = missing.content.decode()
    assert 'value="Ada"' in html
    assert 'value="inte-en-adress"' in html
    forged = register(client, event, "a@example.se", token="forged")
    assert forged.status_code == 400
    assert "Formuläret har gått ut" in forged.content.decode()
    assert Registration.objects.count() == 0


def test_event_pages_set_no_cookies_and_run_few_queries(client, event, django_assert_max_num_queries):
    for n in range(5):
        Event.objects.create(
            organisation=event.organisation,
            title=f"Träff {n}",
            description="x",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            capacity=10,
            is_published=True,
        )
    with django_assert_max_num_queries(3):
        listing = client.get("/ar/events/")
    with django_assert_max_num_queries(3):
        page = client.get(f"/ar/events/{event.pk}/")
    assert listing.cookies == {}
    assert page.cookies == {}
    assert "Utbildningsdag" in listing.content.decode()


def test_the_organiser_marks_attendance_and_exports_the_participants(client, world, event):
    from stodkedjan.accounts.tests.factories import MembershipFactory

    editor = MembershipFactory(organisation=world.county_board, role=Role.EDITOR).user
    register(client, event, "a@example.se", name="Ada")
    register(client, event, "b@example.se", name="Bo")
    ada = Registration.objects.get(email="a@example.se")
    client.force_login(editor)
    early = client.post(f"/sv/staff/events/{event.pk}/attendance/", {"attended": [str(ada.pk)]}, follow=True)
    assert "Närvaro kan markeras från och med att evenemanget börjar." in early.content.decode()
    assert set(Registration.objects.values_list("attended", flat=True)) == {None}, "not before the event starts"
    assert 'name="attended"' not in client.get(f"/sv/staff/events/{event.pk}/").content.decode()
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    client.post(f"/sv/staff/events/{event.pk}/attendance/", {"attended": [str(ada.pk)]})
    assert dict(Registration.objects.values_list("name", "attended")) == {"Ada": True, "Bo": False}
    csv = client.get(f"/sv/staff/events/{event.pk}/participants.csv").content.decode("utf-8-sig")
    assert "Ada;a@example.se;Botkyrka kommun" in csv
    assert client.get(f"/sv/staff/events/{event.pk}/participants.xlsx").status_code == 200
    client.force_login(world.users["county_board_viewer"])
    assert client.get(f"/sv/staff/events/{event.pk}/participants.csv").status_code == 403
    assert "a@example.se" not in client.get(f"/sv/staff/events/{event.pk}/").content.decode()


def test_registrations_are_deleted_a_while_after_the_event_keeping_only_counts(settings, client, event):
    settings.EVENT_PERSONAL_DATA_DAYS = 30
    register(client, event, "a@example.se")
    register(client, event, "b@example.se")
    Registration.objects.filter(email="a@example.se").update(attended=True)
    later = Event.objects.create(
        organisation=event.organisation,
        title="Senare",
        description="x",
        starts_at=event.starts_at + timedelta(days=90),
        ends_at=event.ends_at + timedelta(days=90),
        is_published=True,
    )
    Registration.objects.create(event=later, name="Cy", email="c@example.se", status="confirmed")
    assert services.delete_personal_data(now=event.ends_at + timedelta(days=29)) == 0
    assert services.delete_personal_data(now=event.ends_at + timedelta(days=31)) == 1
    assert services.delete_personal_data(now=event.ends_at + timedelta(days=31)) == 0  # a second run: nothing
    event.refresh_from_db()
    assert (event.registered_count, event.attended_count) == (2, 1)
    assert not event.registrations.exists()
    assert list(Registration.objects.values_list("email", flat=True)) == ["c@example.se"]
    assert register(client, event, "d@example.se").status_code == 409  # closed once cleared


def test_more_places_move_people_up_from_the_waiting_list(client, world, event):
    for letter in "abcd":
        register(client, event, f"{letter}@example.se")
    mail.outbox.clear()
    services.save_event(event.organisation, {"capacity": 3}, [], Event.objects.get(pk=event.pk))
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    assert [m.to for m in mail.outbox] == [["c@example.se"]]
