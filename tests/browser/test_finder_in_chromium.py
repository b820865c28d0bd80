"""The finder in real Chromium: axe, keyboard only, JavaScript off, a 360 px phone, no third-party requests."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import patient_context
from stodkedjan.directory.models import Service
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.finder.models import InformationPage, LocalContact, PageKind
from tests.browser.test_public_accessibility import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def offerings(world: Any) -> list[Service]:
    location = make_location(world.home)
    made = [
        make_service(
            world.home,
            name=f"Föräldragrupp {n}",
            ages=(3, 12),
            languages=("sv", "ar", "so"),
            location=location,
            byday=("TH",),
            name_ar=f"مجموعة الآباء {n}",
        )
        for n in range(25)
    ]
    for kind in PageKind.values:
        InformationPage.objects.create(organisation=world.county_board, kind=kind, title_sv="Rubrik", body_sv="Text.")
    LocalContact.objects.create(
        organisation=world.home,
        area=world.home.area,
        kind="social_services",
        name="Mottagningen",
        phone="08-123 456 78",
    )
    return made


def pages(offerings: list[Service], area: str) -> list[str]:
    return [
        "/{lang}/",
        f"/{{lang}}/search/?q=f%C3%B6r%C3%A4ldrar&area={area}&age=7",
        f"/{{lang}}/service/{offerings[0].uuid}/",
        f"/{{lang}}/worried-now/?area={area}",
        "/{lang}/about-social-services/",
    ]


@pytest.mark.parametrize("lang", ["sv", "ar", "so"])
def test_finder_pages_have_no_axe_violations(
    live_server: Any, page: Any, offerings: Any, world: Any, lang: str
) -> None:
    for path in pages(offerings, world.home.area.code):
        page.goto(live_server.url + path.format(lang=lang))
        assert axe_violations(page) == [], path


def test_search_to_offering_with_the_keyboard_only(live_server: Any, page: Any, offerings: Any) -> None:
    page.goto(live_server.url + "/sv/")
    page.focus("#id_q")
    page.keyboard.type("föräldrar")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.textContent") == "Sök"
    page.keyboard.press("Enter")
    page.wait_for_url("**/sv/search/?**")
    assert "25 erbjudanden hittades" in page.locator("main").inner_text()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.result') !== null"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/sv/service/**")
    assert page.locator("h1").inner_text().startswith("Föräldragrupp")


def test_the_whole_flow_works_without_javascript_on_a_small_phone(
    browser: Any, live_server: Any, offerings: Any, world: Any
) -> None:
    context = patient_context(browser, java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/ar/")
    page.fill("#id_q", "ABC")
    page.select_option("#id_area", world.home.area.code)
    page.fill("#id_age", "7")
    page.get_by_role("button", name="بحث").click()
    page.wait_for_url("**/ar/search/?**")
    assert page.get_attribute("html", "dir") == "rtl"
    page.goto(live_server.url + "/ar/search/?q=f%C3%B6r%C3%A4ldrar")
    long_address = "kontakt@foreningenforforaldrarialby.demo.example"  # once ran off a 360 px screen
    Service.objects.filter(pk=offerings[0].pk).update(email=long_address)
    for path in ["/ar/search/?q=f%C3%B6r%C3%A4ldrar", f"/ar/service/{offerings[0].uuid}/", "/ar/worried-now/"]:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        # In a right-to-left page an overflow runs off the left edge, which scrollWidth does not count.
        outside = page.evaluate(
            "[...document.querySelectorAll('main *')].filter(e => { const r = e.getBoundingClientRect();"
            " return r.width && (r.left < -1 || r.right > 361); }).map(e => e.textContent.trim().slice(0, 40))"
        )
        assert outside == [], path
    page.goto(live_server.url + "/ar/search/?q=f%C3%B6r%C3%A4ldrar")
    page.locator(".result a").first.click()
    page.wait_for_url("**/ar/service/**")
    assert "مجموعة الآباء" in page.locator("h1").inner_text()
    page.get_by_role("button", name="نعم").click()
    assert "شكرًا على إجابتك." in page.locator("#feedback").inner_text()
    context.close()


def test_the_finder_makes_no_third_party_requests_and_sets_no_cookies(
    live_server: Any, page: Any, offerings: Any, world: Any
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in pages(offerings, world.home.area.code):
        page.goto(live_server.url + path.format(lang="fa"))
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert page.context.cookies() == []
