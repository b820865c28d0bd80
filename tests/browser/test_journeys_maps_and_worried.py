"""Whole journeys by links and forms alone: a county coordinator from sign-in to an area's map and the report,
and an Arabic-speaking parent from the home page to what she can do today and an offering with an interpreter."""

from __future__ import annotations

from typing import Any

import pytest

from stodkedjan.accounts.models import Role
from stodkedjan.accounts.tests.factories import PASSWORD, MembershipFactory
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.finder.models import LocalContact
from stodkedjan.geo.models import Area, AreaKind
from tests.browser.test_public_accessibility import axe_violations

pytestmark = pytest.mark.browser


def rectangle(west: float, south: float, east: float, north: float) -> dict:
    corners = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [corners]}


def test_a_county_coordinator_goes_from_sign_in_to_an_areas_map_and_the_report(
    live_server: Any, page: Any, world: Any
) -> None:
    botkyrka = world.home.area
    Area.objects.filter(pk=botkyrka.pk).update(shape=rectangle(17.7, 59.1, 18.0, 59.3))
    alby = Area.objects.create(
        code="0127-uo-alby",
        name="Alby",
        kind=AreaKind.VULNERABLE_AREA,
        parent=botkyrka,
        county=botkyrka.county,
        list_year=2025,
        shape=rectangle(17.82, 59.22, 17.86, 59.25),
    )
    place = make_location(world.home, lat=59.235, lon=17.84)  # saved: placed in Alby by its coordinates
    make_service(world.home, name="Öppen förskola", ages=(0, 5), areas=[botkyrka], location=place)
    coordinator = MembershipFactory(organisation=world.county_board, role=Role.COORDINATOR).user
    page.goto(live_server.url + "/sv/account/login/")
    page.get_by_label("E-postadress").fill(coordinator.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/sv/staff/")
    page.get_by_role("link", name="Lägesbild").first.click()
    page.wait_for_url("**/insights/county/")
    page.locator(f'svg.map a[href="/sv/staff/insights/areas/{botkyrka.code}/"]').click()  # the municipality
    page.wait_for_url(f"**/insights/areas/{botkyrka.code}/")
    page.get_by_role("heading", name="Var insatserna ges").wait_for()
    alby_link = page.locator(f'svg.map a[href="/sv/staff/insights/areas/{alby.code}/"]')  # drawn inside it
    alby_link.focus()  # the place's dot lies over Alby's middle: follow the link by keyboard, as many do
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/insights/areas/{alby.code}/")
    assert page.locator("svg.map desc").text_content() == "1 plats i området, 0 i närheten."
    assert axe_violations(page) == []
    page.get_by_role("link", name="Lägesbild").first.click()
    page.wait_for_url("**/insights/county/")
    with page.expect_download() as report:
        page.get_by_role("link", name="Rapporten till regeringen (PDF)").click()
    assert report.value.suggested_filename.startswith(f"lagesrapport-{world.county_board.slug}-")


def test_an_arabic_speaking_parent_finds_what_to_do_today_and_an_offering_with_an_interpreter(
    live_server: Any, page: Any, world: Any
) -> None:
    LocalContact.objects.create(
        organisation=world.home,
        area=world.home.area,
        kind="social_services",
        name="Mottagningen",
        phone="08-123 456 78",
        languages=["sv", "ar"],
    )
    make_service(world.home, name="Komet", interpretation_available=True, location=make_location(world.home))
    make_service(world.home, name="Utan tolk", location=make_location(world.home))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/ar/")
    page.locator(".urgent-strip").get_by_role("link").last.click()  # the first thing on the page
    page.wait_for_url("**/ar/worried-now/")
    assert "علامات يجب أخذها بجدية" in page.locator("main").inner_text(), "the base text, in Arabic"
    chooser = page.locator("form", has=page.locator("#id_area"))
    chooser.locator("#id_area").select_option(world.home.area.code)
    chooser.locator("button").click()
    page.wait_for_url(f"**/ar/worried-now/?area={world.home.area.code}**")
    assert "العربية" in page.locator(".contact-cards").inner_text(), "the contact says it speaks Arabic"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Stödkedjan").first.click()  # the site's name leads home
    page.wait_for_url("**/ar/")
    page.locator("#id_q").fill("مترجم")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/ar/search/?**")
    cards = page.locator(".result")
    assert cards.count() == 1, "only the offering with an interpreter"
    assert "مترجم" in cards.first.locator(".result__why").inner_text()
    cards.first.get_by_role("link").first.click()
    page.wait_for_url("**/ar/service/**")
    assert page.locator("#share-link").input_value().endswith("/ar" + page.url.split("/ar", 1)[1])
