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
