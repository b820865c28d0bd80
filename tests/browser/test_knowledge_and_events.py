"""The knowledge bank's and the events' public pages in real Chromium: axe-clean, and registering works
with JavaScript off."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import patient_context
from stodkedjan.knowledge.tests.factories import make_method
from stodkedjan.network.models import Event, Registration
from tests.browser.test_public_accessibility import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def event(world: Any) -> Event:
    starts = timezone.now() + timedelta(days=14)
    method = make_method(world.national, "ABC", slug="abc", languages=["sv", "ar"])
    event = Event.objects.create(
        organisation=world.county_board,
        title="Utbildningsdag",
        description="Om föräldraskapsstöd.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        place="Länsstyrelsen",
        capacity=1,
        is_published=True,
    )
    event.methods.add(method)
    return event


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_knowledge_and_event_pages_have_no_axe_violations(live_server: Any, page: Any, event: Event, lang: str) -> None:
    for path in [
        "methods/",
        "methods/abc/",
        "methods/evidence-ratings/",
        "resources/",
        "events/",
        f"events/{event.pk}/",
    ]:
        page.goto(f"{live_server.url}/{lang}/{path}")
        assert axe_violations(page) == [], path


def test_registering_without_javascript_and_the_waiting_list(browser: Any, live_server: Any, event: Event) -> None:
    context = patient_context(browser, java_script_enabled=False)
    page = context.new_page()
    for email in ["ada@example.se", "bo@example.se"]:
        page.goto(f"{live_server.url}/sv/events/{event.pk}/")
        page.fill("#id_name", "Ada Andersson")
        page.fill("#id_email", email)
        page.check("#id_consent")
        page.click("form button[type=submit]")
    assert page.locator("h1").inner_text() == "Du står på väntelistan"  # axe needs JavaScript: see the test above
    assert context.cookies() == []
    context.close()
    assert dict(Registration.objects.values_list("email", "status")) == {
        "ada@example.se": "confirmed",
        "bo@example.se": "waitlisted",
    }


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_the_pages_a_registrant_meets_have_no_axe_violations(
    live_server: Any, page: Any, event: Event, lang: str
) -> None:
    """The confirmation with its cancel link, the cancel question, "send my links" and a network training's
    refusal, each in Swedish and in Arabic (right to left)."""
    from stodkedjan.network.models import Network

    def register(email: str) -> None:
        page.locator("#id_name").fill("Ada Andersson")
        page.locator("#id_email").fill(email)
        page.check("#id_consent")
        page.locator("#register ~ form button[type=submit]").first.click()
        page.locator("h1").wait_for()

    page.goto(f"{live_server.url}/{lang}/events/{event.pk}/")
    register("ada@example.se")
    assert axe_violations(page) == [], "registered"
    page.locator("a.button--secondary").click()  # cancel, from the confirmation page
    page.wait_for_url("**/events/cancel/**")
    assert axe_violations(page) == [], "cancel"
    page.goto(f"{live_server.url}/{lang}/events/{event.pk}/")
    page.locator("#id_resend_email").fill("nobody@example.se")
    page.locator("#id_resend_email ~ button").click()
    page.wait_for_url(f"**/events/{event.pk}/links/")
    assert axe_violations(page) == [], "links sent"

    network = Network.objects.create(organisation=event.organisation, name="Länsnätverket")
    Event.objects.filter(pk=event.pk).update(network=network)
    page.goto(f"{live_server.url}/{lang}/events/{event.pk}/")
    register("outsider@elsewhere.example")
    assert not Registration.objects.filter(email="outsider@elsewhere.example").exists(), "refused"
    assert axe_violations(page) == [], "refused"
