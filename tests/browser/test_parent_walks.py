"""A parent's walk through the finder on a 360 px phone, in Swedish, Somali and Arabic, with JavaScript on and
off: the urgent numbers first, a two-word search in her language for her area, the nearest first, the offering
and its share link — by links and forms alone, axe-clean on every page (axe, itself a script, runs in the walks
with JavaScript; the pages without it are the same server-drawn HTML)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import patient_context
from stodkedjan.directory.tests.factories import make_location, make_service
from tests.browser.test_public_accessibility import axe_violations

pytestmark = pytest.mark.browser

# (language, two words a parent would type, the offering that must come first)
WALKS = [
    ("sv", "föräldragrupp arabiska", "Föräldragrupp på arabiska"),
    ("so", "turjubaan Soomaali", "Koox waalidiin"),
    ("ar", "مترجم العربية", "Föräldragrupp på arabiska"),
]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(("language", "words", "first"), WALKS, ids=[w[0] for w in WALKS])
def test_a_parent_on_a_phone_searches_in_her_language_and_reaches_an_offering(
    live_server: Any, browser: Any, world: Any, language: str, words: str, first: str, javascript: bool
) -> None:
    near, far = make_location(world.home, lat=59.24, lon=17.84), make_location(world.home, lat=59.30, lon=17.95)
    make_service(
        world.home, name="Föräldragrupp på arabiska", languages=("ar",), interpretation_available=True, location=near
    )
    make_service(world.home, name="Koox waalidiin", languages=("so",), interpretation_available=True, location=far)
    make_service(world.home, name="Öppen förskola", location=near)
    context = patient_context(browser, java_script_enabled=javascript, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/{language}/")
    assert page.locator("main a").first.get_attribute("href").startswith("tel:"), "urgent numbers come first"
    page.locator("#id_q").fill(words)
    page.locator("#id_area").select_option(world.home.area.code)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/{language}/search/?**")
    cards = page.locator(".result h3")
    assert cards.first.inner_text() == first
    if javascript:  # axe runs as a script; without JavaScript the page is the same server-drawn HTML
        assert axe_violations(page) == []
    page.locator('a[href*="sort=distance"]').first.click()
    page.wait_for_url("**sort=distance**")
    assert page.url.count("sort=") == 1, "the sort is set once"
    distance = page.locator(".result .result__where").first.inner_text()  # "I Alby · about 4,6 km away"
    assert re.search(r"\d+[,.٫]\d", distance), "the distance from the area's centre is shown"
    page.locator(".result h3 a").first.click()
    page.wait_for_url(f"**/{language}/service/**")
    share = page.locator("#share-link")
    assert share.input_value().endswith(page.url.split(live_server.url, 1)[1])
    if javascript:
        assert axe_violations(page) == []
    context.close()
