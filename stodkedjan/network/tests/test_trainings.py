"""Trainings for a network's members, the organiser's actions on registrations (each mailed and audited), the
publish button, and the method page's trainings and offerings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from stodkedjan.accounts.models import Role
from stodkedjan.accounts.tests.factories import MembershipFactory, UserFactory
from stodkedjan.core.models import AuditEvent, AuditKind
from stodkedjan.directory.models import Service
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.knowledge.tests.factories import make_method
from stodkedjan.network import services
from stodkedjan.network.models import Event, Network, Registration, RegistrationStatus
from stodkedjan.network.tests.test_events import register


def make_event(organisation, title="Utbildningsdag", days=10, capacity=1, **fields):
    starts = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        organisation=organisation,
        title=title,
        description="Om föräldraskapsstöd.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        capacity=capacity,
        is_published=True,
        **fields,
    )


@pytest.fixture
def network(world):
    network = Network.objects.create(organisation=world.county_board, name="Länsnätverket", purpose="Utbyte")
    network.members.add(world.home)  # its users' addresses are @home.example
    return network


@pytest.fixture
def organiser(world):
    return MembershipFactory(organisation=world.county_board, role=Role.EDITOR).user


def test_a_network_training_takes_member_addresses_and_the_invitation_and_turns_others_away(client, network, world):
    event = make_event(world.county_board, network=network, capacity=None)
    page = client.get(f"/sv/events/{event.pk}/").content.decode()
    assert "Utbildningen är för medlemmarna i Länsnätverket" in page

    assert "Du är anmäld" in register(client, event, "ny.kollega@home.example").content.decode()
    refused = register(client, event, "ada@elsewhere.example")
    assert refused.status_code == 403
    assert "Utbildningen är för ett nätverks medlemmar" in refused.content.decode()
    assert "Inget sparades" in refused.content.decode()
    assert not Registration.objects.filter(email="ada@elsewhere.example").exists()

    invited = client.get(f"/sv/events/{event.pk}/?invitation={event.invitation_key}").content.decode()
    assert "Du har en inbjudan" in invited
    token_page = register(client, event, "ada@elsewhere.example", query=f"?invitation={event.invitation_key}")
    assert "Du är anmäld" in token_page.content.decode()
    wrong_key = register(
        client, event, "bo@elsewhere.example", query="?invitation=0c9f5a51-0000-4000-8000-000000000000"
    )
    assert wrong_key.status_code == 403


def test_a_member_at_a_public_mail_service_does_not_open_the_training_to_all_its_users(network, world):
    MembershipFactory(organisation=world.home, role=Role.VIEWER, user=UserFactory(email="someone@gmail.com"))
    event = make_event(world.county_board, network=network)
    assert "gmail.com" not in services.member_domains(network)
    assert "home.example" in services.member_domains(network)
    assert not services.may_register(event, "anyone@gmail.com")
    assert services.may_register(event, "a@sub.home.example")
    assert services.may_register(event, "anyone@gmail.com", str(event.invitation_key))
    assert not services.may_register(event, "anyone@gmail.com", "not-the-key")


def test_the_organiser_moves_up_removes_and_moves_each_told_by_mail_and_audited(client, world, organiser):
    event = make_event(world.county_board, capacity=1)
    later = make_event(world.county_board, title="Utbildningsdag, andra tillfället", days=40, capacity=5)
    for email in ["a@example.se", "b@example.se", "c@example.se"]:
        register(client, event, email, name=email[0].upper())
    a, b, c = (Registration.objects.get(event=event, email=f"{x}@example.se") for x in "abc")
    assert (a.status, b.status, c.status) == ("confirmed", "waitlisted", "waitlisted")
    client.force_login(organiser)
    page = client.get(f"/sv/staff/events/{event.pk}/").content.decode()
    for action in ("Ge B en plats", "Ta bort A", "Flytta A"):
        assert action in page
    mail.outbox.clear()

    client.post(f"/sv/staff/registrations/{b.pk}/", {"action": "move_up"})
    assert Registration.objects.get(pk=b.pk).status == "confirmed"  # beyond the places set: the organiser's call
    assert [m.to for m in mail.outbox] == [["b@example.se"]]
    mail.outbox.clear()

    done = client.post(f"/sv/staff/registrations/{a.pk}/", {"action": "remove"}, follow=True).content.decode()
    assert "A togs bort och har fått besked med e-post." in done
    assert Registration.objects.get(pk=a.pk).status == "cancelled"
    assert [m.to for m in mail.outbox] == [["a@example.se"]]  # b and a held 2 of 1 place: none moves up
    assert "avbokad" in mail.outbox[0].subject
    mail.outbox.clear()

    client.post(f"/sv/staff/registrations/{b.pk}/", {"action": "move", f"target-{b.pk}": str(later.pk)})
    assert Registration.objects.get(pk=b.pk).status == "cancelled"
    moved = Registration.objects.get(event=later, email="b@example.se")
    assert moved.status == "confirmed"
    assert Registration.objects.get(pk=c.pk).status == "confirmed", "the freed place goes to the waiting list"
    assert sorted(m.to[0] for m in mail.outbox) == ["b@example.se", "c@example.se"]
    assert "Arrangören har flyttat din anmälan från" in next(m for m in mail.outbox if m.to == ["b@example.se"]).body

    summaries = list(AuditEvent.objects.filter(kind=AuditKind.REGISTRATION).values_list("summary", flat=True))
    assert any("b@example.se – flyttad upp" in s for s in summaries)
    assert any("a@example.se – borttagen av arrangören" in s for s in summaries)
    assert any("b@example.se – flyttad till Utbildningsdag, andra tillfället" in s for s in summaries)
    assert any("c@example.se – flyttad upp" in s for s in summaries)
    assert set(AuditEvent.objects.filter(kind=AuditKind.REGISTRATION).values_list("actor_email", flat=True)) == {
        organiser.email
    }


def test_only_those_who_may_edit_the_event_act_on_registrations(client, world):
    event = make_event(world.county_board)
    register(client, event, "a@example.se")
    registration = Registration.objects.get()
    client.force_login(world.users["county_board_viewer"])
    assert client.post(f"/sv/staff/registrations/{registration.pk}/", {"action": "remove"}).status_code == 403
    assert "Ta bort" not in client.get(f"/sv/staff/events/{event.pk}/").content.decode()
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mail.outbox] == [["a@example.se"]], "only the confirmation"


def test_a_move_to_a_date_that_is_not_the_organisers_changes_nothing(client, world, organiser):
    event = make_event(world.county_board)
    elsewhere = make_event(world.home, title="Kommunens dag", days=30)
    register(client, event, "a@example.se")
    registration = Registration.objects.get()
    client.force_login(organiser)
    answer = client.post(
        f"/sv/staff/registrations/{registration.pk}/",
        {"action": "move", f"target-{registration.pk}": str(elsewhere.pk)},
        follow=True,
    )
    assert "Välj datumet som anmälan ska flyttas till." in answer.content.decode()
    assert Registration.objects.get().status == "confirmed"
    assert not elsewhere.registrations.exists()


def test_publishing_is_one_button_and_the_page_says_which_state_it_is_in(client, world, organiser):
    event = make_event(world.county_board)
    Event.objects.filter(pk=event.pk).update(is_published=False)
    client.force_login(organiser)
    page = client.get(f"/sv/staff/events/{event.pk}/").content.decode()
    assert "inte publicerad" in page
    assert ">Publicera</button>" in page
    assert client.get(f"/sv/events/{event.pk}/").status_code == 404
    done = client.post(f"/sv/staff/events/{event.pk}/publish/", {"publish": "1"}, follow=True).content.decode()
    assert "Publicerat: evenemanget syns i den öppna listan" in done
    assert ">Avpublicera</button>" in done
    assert client.get(f"/sv/events/{event.pk}/").status_code == 200
    client.post(f"/sv/staff/events/{event.pk}/publish/", {"publish": "0"})
    assert client.get(f"/sv/events/{event.pk}/").status_code == 404


def test_a_method_page_lists_its_trainings_and_each_offering_once(client, world):
    method = make_method(world.national, "Connect", slug="connect")
    training = make_event(world.county_board, title="Connect-utbildning")
    training.methods.add(method)
    past = make_event(world.county_board, title="Förra årets utbildning", days=-300)
    past.methods.add(method)
    original = make_service(world.home, name="Connect i Södertälje")
    copy = make_service(world.home, name="Connect i Södertälje")
    copy.duplicate_of = original
    copy.save()
    Service.objects.filter(pk__in=[original.pk, copy.pk]).update(method=method)
    page = client.get("/sv/methods/connect/").content.decode()
    assert "Connect-utbildning" in page
    assert "Förra årets utbildning" not in page
    assert page.count("Connect i Södertälje") == 1
    assert "1 publicerad insats använder metoden." in page
    event_page = client.get(f"/sv/events/{training.pk}/").content.decode()
    assert 'href="/sv/methods/connect/"' in event_page


def test_a_method_page_in_arabic_says_before_each_swedish_text_that_it_is_swedish(client, world):
    make_method(world.national, "Connect", slug="connect", languages=["sv"])
    page = client.get("/ar/methods/connect/").content.decode()
    notes = page.count('class="fallback-note"')
    assert notes >= 2, "the summary and the description each fall back"
    main = page[page.index("<main") :]
    first_note, first_swedish = main.index('class="fallback-note"'), main.index('lang="sv" dir="ltr"')
    assert first_note < first_swedish, "the note comes before the Swedish text"
