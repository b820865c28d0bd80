"""The staff pages of the knowledge bank, the network and insights in real Chromium: no axe violations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from stodkedjan.accounts.models import Role
from stodkedjan.accounts.tests.factories import MembershipFactory
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.network.models import Event, Network
from tests.browser.test_plan_pages import signed_in
from tests.browser.test_public_accessibility import axe_violations

pytestmark = pytest.mark.browser


def test_insights_network_and_knowledge_staff_pages_have_no_axe_violations(
    live_server: Any, page: Any, world: Any, client: Any
) -> None:
    botkyrka = world.home.area
    alby = Area.objects.create(
        code="0127-uo-alby", name="Alby", kind=AreaKind.VULNERABLE_AREA, parent=botkyrka, county=botkyrka.county
    )
    make_service(world.home, ages=(0, 5), areas=[alby])
    network = Network.objects.create(organisation=world.county_board, name="Länsnätverket", purpose="Utbyte")
    network.members.add(world.home)
    starts = timezone.now() + timedelta(days=5)
    event = Event.objects.create(
        organisation=world.county_board,
        title="Kursdag",
        description="x",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=10,
        is_published=True,
    )
    admin = MembershipFactory(organisation=world.county_board, role=Role.ADMIN).user
    signed_in(page, client, live_server, admin)
    board = world.county_board.slug
    for path in (
        f"/sv/staff/insights/areas/{alby.code}/",
        f"/sv/staff/insights/areas/{alby.code}/offerings/?band=0-5&level=universal",
        f"/sv/staff/{board}/insights/county/",
        f"/sv/staff/{board}/insights/rules/",
        f"/sv/staff/{board}/knowledge/",
        f"/sv/staff/{board}/knowledge/methods/new/",
        f"/sv/staff/{board}/networks/",
        f"/sv/staff/networks/{network.pk}/",
        f"/sv/staff/{board}/events/",
        f"/sv/staff/events/{event.pk}/",
        f"/sv/staff/{board}/events/new/",
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path


def test_the_county_and_national_maps_pass_axe_and_fit_a_360_px_phone(
    live_server: Any, page: Any, world: Any, client: Any
) -> None:
    from stodkedjan.geo import services as geo_services

    geo_services.load_reference_data()  # the real boundaries: Stockholm county and all of Sweden
    world.county_board.area = Area.objects.get(code="01")
    world.county_board.save()
    world.national.area = Area.objects.get(code="SE")
    world.national.save()
    page.set_viewport_size({"width": 360, "height": 800})
    for user, path in (
        (world.users["county_board_viewer"], f"/sv/staff/{world.county_board.slug}/insights/county/"),
        (world.users["national_viewer"], f"/sv/staff/{world.national.slug}/insights/national/"),
    ):
        signed_in(page, client, live_server, user)
        page.goto(live_server.url + path)
        drawn = page.locator("svg.map")
        assert drawn.count() == 1, path
        box = drawn.bounding_box()
        assert box is not None
        assert box["width"] <= 360, "the map shrinks to the phone's width"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert axe_violations(page) == [], path
