"""Staff journeys from sign-in, by links and forms alone, with the clicks counted and printed: a provider's
editor confirms three offerings that were not checked for a year from the home page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from stodkedjan.accounts.models import Role
from stodkedjan.accounts.tests.factories import PASSWORD
from stodkedjan.directory.models import Service
from stodkedjan.directory.tests.factories import make_service
from tests.browser.test_public_accessibility import axe_violations

pytestmark = pytest.mark.browser


def test_an_editor_confirms_three_stale_offerings_from_the_home_page(live_server: Any, page: Any, world: Any) -> None:
    stale = timezone.localdate() - datetime.timedelta(days=400)
    names = ["Öppen förskola Alby", "Föräldracafé Fittja", "ABC Hallunda"]
    for name in names:
        service = make_service(world.home, name=name)
        Service.objects.filter(pk=service.pk).update(assured_date=stale)
    editor = world.users[Role.EDITOR]
    clicks = 0
    page.goto(live_server.url + "/sv/account/login/")
    page.get_by_label("E-postadress").fill(editor.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    clicks += 1
    page.wait_for_url("**/sv/staff/")
    page.get_by_text("3 behöver kontrolleras").wait_for()
    assert axe_violations(page) == []
    for remaining, name in zip((2, 1, 0), names, strict=True):
        button = page.get_by_role("button", name=name)  # "Stämmer fortfarande", its offering named for screen readers
        assert button.inner_text().startswith("Stämmer fortfarande")
        button.click()
        clicks += 1
        page.wait_for_url("**/sv/staff/")
        page.get_by_text(f"{remaining} behöver kontrolleras").wait_for()
    assert set(Service.objects.values_list("assured_date", flat=True)) == {timezone.localdate()}
    page.get_by_role("link", name="Insatser").first.click()
    clicks += 1
    page.wait_for_url(f"**/sv/staff/{world.home.slug}/services/")
    print(f"\nclicks: an editor confirms three stale offerings from sign-in: {clicks - 1} (and 1 to the list)")
    assert clicks == 5
