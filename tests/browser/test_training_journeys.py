"""Issue 26's journeys in real Chromium, by links and forms alone: a family-centre worker on a 360 px phone goes
from the first page to a method, its training, registers and cancels from the confirmation page, and the one
waiting moves up and is told; the county coordinator signs in, creates a training for the regional network and
publishes it; a member registers, a non-member is turned away with the reason, the invitation link lets a guest
in, and the organiser removes someone (mailed and audited)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from conftest import patient_context
from stodkedjan.accounts.models import Role
from stodkedjan.accounts.tests.factories import MembershipFactory, UserFactory
from stodkedjan.core.models import AuditEvent, AuditKind
from stodkedjan.knowledge.tests.factories import make_method
from stodkedjan.network.models import Event, Network, Registration
from stodkedjan.network.tests.test_trainings import make_event
from tests.browser.test_public_accessibility import axe_violations
from tests.browser.test_staff_home_journeys import sign_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}}


def fill_registration(page: Any, name: str, email: str) -> None:
    page.get_by_label("Namn", exact=True).fill(name)
    page.get_by_label("E-postadress", exact=True).fill(email)
    page.get_by_label("Jag förstår att mitt namn").check()
    page.get_by_role("button", name="Anmäl dig").click()


def test_a_worker_on_a_phone_finds_a_training_from_a_method_registers_and_cancels_and_the_next_moves_up(
    browser: Any, live_server: Any, world: Any
) -> None:
    method = make_method(world.national, "Connect", slug="connect", languages=["sv", "ar"])
    training = make_event(world.county_board, title="Connect – utbildning för gruppledare", days=20, capacity=1)
    training.methods.add(method)
    mail.outbox = []

    context = patient_context(browser, **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/sv/")
    page.get_by_role("main").get_by_role("link", name="Metoder och kunskap").click()  # on the first screen's card
    clicks = 1
    page.get_by_role("link", name="Connect", exact=True).click()
    clicks += 1
    page.wait_for_url("**/sv/methods/connect/")
    assert axe_violations(page) == []
    trainings = page.locator("#trainings + ul")
    trainings.get_by_role("link", name="Connect – utbildning för gruppledare").click()
    clicks += 1
    page.wait_for_url(f"**/sv/events/{training.pk}/")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    fill_registration(page, "Ada Andersson", "ada@familjecentralen.example")
    clicks += 1
    assert page.get_by_role("heading", level=1).inner_text() == "Du är anmäld"
    assert axe_violations(page) == []

    other = patient_context(browser, **PHONE, java_script_enabled=False)  # a colleague, without JavaScript
    colleague = other.new_page()
    colleague.goto(f"{live_server.url}/sv/events/{training.pk}/")
    fill_registration(colleague, "Bo Berg", "bo@familjecentralen.example")
    assert colleague.get_by_role("heading", level=1).inner_text() == "Du står på väntelistan"
    other.close()

    page.get_by_role("link", name="Avboka min anmälan").click()  # from the confirmation page itself
    clicks += 1
    page.wait_for_url("**/sv/events/cancel/**")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ja, avboka min anmälan").click()
    clicks += 1
    assert page.get_by_role("heading", level=1).inner_text() == "Din anmälan är avbokad"
    print(f"\nclicks: a worker on a phone from the first page to a training, registered and cancelled: {clicks}")
    assert clicks == 6
    context.close()

    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"ada@familjecentralen.example": "cancelled", "bo@familjecentralen.example": "confirmed"}
    told = [m for m in mail.outbox if m.to == ["bo@familjecentralen.example"]]
    assert [m.subject for m in told][-1] == "Du fick en plats: Connect – utbildning för gruppledare"
    assert told[-1].attachments, "the one who moved up gets the calendar file"


def test_the_county_coordinator_creates_a_network_training_a_member_registers_and_an_outsider_is_turned_away(
    browser: Any, live_server: Any, page: Any, world: Any
) -> None:
    network = Network.objects.create(organisation=world.county_board, name="Länsnätverket för föräldraskapsstöd")
    network.members.add(world.home)  # Botkyrka: its staff's addresses are @home.example
    coordinator = MembershipFactory(
        organisation=world.county_board, role=Role.COORDINATOR, user=UserFactory(email="samordnare@lst.example")
    ).user
    starts = timezone.localtime() + timedelta(days=30)

    clicks = sign_in(page, live_server, coordinator.email)
    page.get_by_role("link", name="Nätverk", exact=True).click()
    clicks += 1
    page.get_by_role("link", name="Länsnätverket för föräldraskapsstöd").click()
    clicks += 1
    page.get_by_role("link", name="Ny utbildning för nätverket").click()
    clicks += 1
    assert (
        page.get_by_label("Bara för medlemmarna i (frivilligt)").locator("option:checked").inner_text() == network.name
    )
    page.get_by_label("Rubrik").fill("Nätverksträff om Connect")
    page.get_by_label("Beskrivning").fill("För nätverkets medlemmar.")
    page.get_by_label("Börjar").fill(starts.strftime("%Y-%m-%dT09:00"))
    page.get_by_label("Slutar").fill(starts.strftime("%Y-%m-%dT15:00"))
    page.get_by_label("Plats (frivilligt)", exact=True).fill("Länsstyrelsen")
    page.get_by_label("Platser (frivilligt)", exact=True).fill("10")
    page.get_by_role("button", name="Spara").click()
    clicks += 1
    assert "inte publicerad" in page.get_by_role("main").inner_text()
    page.get_by_role("button", name="Publicera").click()
    clicks += 1
    page.get_by_text("Publicerat: evenemanget syns i den öppna listan").wait_for()
    assert axe_violations(page) == []
    invitation = page.get_by_label("Inbjudningslänk").input_value()
    public = page.get_by_role("link", name="Se den öppna sidan").get_attribute("href")
    print(f"\nclicks: a county coordinator from sign-in to a published network training: {clicks}")
    assert clicks == 6
    event = Event.objects.get(title="Nätverksträff om Connect")
    assert (event.network_id, event.is_published) == (network.pk, True)

    for lang in ("sv", "ar"):
        visitor = patient_context(browser).new_page()
        visitor.goto(live_server.url + public.replace("/sv/", f"/{lang}/"))
        assert axe_violations(visitor) == [], lang
        visitor.context.close()

    member = patient_context(browser).new_page()
    member.goto(live_server.url + public)
    assert "Utbildningen är för medlemmarna i Länsnätverket för föräldraskapsstöd" in member.content()
    fill_registration(member, "Kim Botkyrka", "kim@home.example")
    assert member.get_by_role("heading", level=1).inner_text() == "Du är anmäld"
    member.context.close()

    outsider = patient_context(browser).new_page()
    outsider.goto(live_server.url + public)
    fill_registration(outsider, "Ola Utanför", "ola@elsewhere.example")
    assert outsider.get_by_role("heading", level=1).inner_text() == "Utbildningen är för ett nätverks medlemmar"
    assert "Inget sparades" in outsider.get_by_role("main").inner_text()
    assert axe_violations(outsider) == []
    link = urlsplit(invitation)  # the organiser sent the invitation link (its host is SITE_URL's)
    outsider.goto(f"{live_server.url}{link.path}?{link.query}")
    assert "Du har en inbjudan" in outsider.get_by_role("main").inner_text()
    fill_registration(outsider, "Ola Utanför", "ola@elsewhere.example")
    assert outsider.get_by_role("heading", level=1).inner_text() == "Du är anmäld"
    outsider.context.close()

    mail.outbox = []
    page.reload()
    page.get_by_role("button", name="Ta bort Ola Utanför").click()
    page.get_by_text("Ola Utanför togs bort och har fått besked med e-post.").wait_for()
    assert axe_violations(page) == []
    assert [m.to for m in mail.outbox] == [["ola@elsewhere.example"]]
    assert dict(event.registrations.values_list("email", "status")) == {
        "kim@home.example": "confirmed",
        "ola@elsewhere.example": "cancelled",
    }
    (entry,) = AuditEvent.objects.filter(kind=AuditKind.REGISTRATION)
    assert (entry.actor_email, "ola@elsewhere.example – borttagen av arrangören" in entry.summary) == (
        coordinator.email,
        True,
    )


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_the_changed_staff_pages_of_trainings_and_networks_have_no_axe_violations(
    live_server: Any, page: Any, world: Any, lang: str
) -> None:
    network = Network.objects.create(organisation=world.county_board, name="Länsnätverket")
    network.members.add(world.home)
    coordinator = MembershipFactory(organisation=world.county_board, role=Role.COORDINATOR).user
    event = make_event(world.county_board, network=network, capacity=1)
    make_event(world.county_board, title="Andra tillfället", days=40)
    for email in ("a@home.example", "b@home.example"):
        Registration.objects.create(event=event, name=email[0].upper(), email=email, status="confirmed")
    sign_in(page, live_server, coordinator.email)
    for path in (
        f"/{lang}/staff/events/{event.pk}/",
        f"/{lang}/staff/events/{event.pk}/edit/",
        f"/{lang}/staff/networks/{network.pk}/",
        f"/{lang}/staff/{world.county_board.slug}/events/new/?network={network.pk}",
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    page.goto(f"{live_server.url}/{lang}/staff/{world.county_board.slug}/events/new/")
    page.locator("form button[type=submit]").last.click()  # nothing filled in: the summary names each field
    summary = page.locator(".error-summary")
    assert summary.locator("a[href^='#id_']").count() >= 3
    assert axe_violations(page) == [], "the form with its errors"
