"""Public pages in real Chromium: axe finds no WCAG 2.1 A/AA violation, keyboard works, RTL is right."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import patient_context

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def axe_violations(page: Any) -> list[str]:
    results = Axe().run(page, options=WCAG_21_AA)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]]


@pytest.mark.parametrize("lang", ["sv", "ar", "ti"])
@pytest.mark.parametrize("path", ["/{lang}/", "/{lang}/accessibility/", "/{lang}/account/login/", "/{lang}/open-data/"])
def test_public_pages_have_no_axe_violations(live_server: Any, page: Any, lang: str, path: str) -> None:
    page.goto(live_server.url + path.format(lang=lang))
    assert axe_violations(page) == []


def test_arabic_is_right_to_left(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/ar/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    # Logical CSS puts the start of the header on the right in RTL.
    brand = page.locator(".site-header__brand").bounding_box()
    switcher = page.locator(".language-switcher").bounding_box()
    assert brand["x"] > switcher["x"]


def test_keyboard_alone_reaches_the_skip_link_and_the_language_switcher(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/sv/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible(), "the skip link appears when it has focus"
    reached = []
    for _ in range(10):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('hreflang')"))
        if reached[-1] == "ar":
            break
    assert "ar" in reached, reached
    page.keyboard.press("Enter")
    page.wait_for_url("**/ar/")
    assert page.get_attribute("html", "dir") == "rtl"


def test_focus_is_visible(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/sv/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert outline == "rgb(255, 191, 71)", "focused links get the yellow focus background"


def test_the_home_page_works_on_a_small_phone_without_javascript(browser: Any, live_server: Any) -> None:
    context = patient_context(browser, java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/so/")
    for selector in ["main", ".site-header", ".language-switcher li:last-child", ".cards .card:last-child"]:
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0, (selector, box)
        assert box["x"] + box["width"] <= 360, (selector, box)
    page.get_by_role("link", name="Bayaanka helitaanka").click()
    page.wait_for_url("**/so/accessibility/")
    context.close()


def test_public_pages_make_no_third_party_requests(live_server: Any, page: Any) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/fa/")
    page.goto(live_server.url + "/fa/accessibility/")
    assert requested
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_staff_can_sign_in_and_switch_organisation(live_server: Any, page: Any, world: Any) -> None:
    from stodkedjan.accounts.models import Role
    from stodkedjan.accounts.tests.factories import PASSWORD, MembershipFactory

    user = world.users[Role.EDITOR]
    MembershipFactory(user=user, organisation=world.other, role=Role.VIEWER)
    page.goto(live_server.url + "/sv/account/login/")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/sv/staff/")
    assert "Botkyrka kommun" in page.locator("main").inner_text()
    page.get_by_label("Arbetar som").select_option(label="Malmö stad")
    page.get_by_role("button", name="Byt").click()
    assert "Malmö stad" in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_the_api_token_page_has_no_axe_violations(live_server: Any, page: Any, world: Any, client: Any) -> None:
    from stodkedjan.accounts.models import Role

    client.force_login(world.users[Role.ADMIN])
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}/sv/staff/organisations/{world.home.slug}/api-tokens/")
    page.fill("input[name=name]", "Kommunens webbplats")
    page.click("main form button[type=submit] >> nth=0")
    assert page.locator("code.token").inner_text().startswith("stk_")
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_the_page_for_a_database_that_does_not_answer_has_no_axe_violations(
    live_server: Any, page: Any, lang: str
) -> None:
    from django.test import RequestFactory

    from stodkedjan.core.views import database_unavailable

    posted = RequestFactory().post(f"/{lang}/survey/key/", {"q-why": "Jag vet inte vart jag ska vända mig"})
    html = database_unavailable(posted).content.decode()
    page.goto(live_server.url + f"/{lang}/")  # the same origin, so its stylesheets load
    page.set_content(html)
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("input[name=q-why]").get_attribute("value") == "Jag vet inte vart jag ska vända mig"
    assert axe_violations(page) == []


ORDER_OF_DIGITS = """(link) => {
  const text = link.firstChild.nodeType === 3 ? link.firstChild : link.querySelector('strong').firstChild;
  const part = (start, end) => { const r = document.createRange(); r.setStart(text, start); r.setEnd(text, end);
    return r.getBoundingClientRect().left; };
  return [text.textContent, part(0, 3) < part(text.textContent.length - 2, text.textContent.length)];
}"""


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_phone_numbers_read_left_to_right_in_right_to_left_pages(live_server: Any, page: Any, lang: str) -> None:
    for path in (f"/{lang}/", f"/{lang}/worried-now/"):
        page.goto(live_server.url + path)
        links = page.locator('a[href="tel:11414"]')
        assert links.count() >= 1, path
        for index in range(links.count()):
            text, in_order = links.nth(index).evaluate(ORDER_OF_DIGITS)
            assert text == "114 14"
            assert in_order, f"{path}: 114 14 reads as 14 114"
