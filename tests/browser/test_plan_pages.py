"""The plan pages in a real browser: no axe violations, and a row edited in place with JavaScript off."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from conftest import patient_context
from stodkedjan.accounts.models import Role
from stodkedjan.plans import services
from stodkedjan.plans.models import ActionPlan
from tests.browser.test_public_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page: Any, client: Any, live_server: Any, user: Any) -> None:
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_plan_round_and_print_pages_have_no_axe_violations(
    live_server: Any, page: Any, world: Any, client: Any
) -> None:
    plan = ActionPlan.objects.create(organisation=world.home, title="Handlingsplan", period_start=2025, period_end=2026)
    item = services.add_item(plan, "1. Föräldrar får stöd tidigt")
    services.add_activity(item, "Föräldraträffar")
    round_ = services.open_round(plan, "T1", 2025, datetime.date(2025, 5, 15), None)
    signed_in(page, client, live_server, world.users[Role.EDITOR])
    for path in (
        f"/sv/staff/plans/{plan.pk}/",
        f"/sv/staff/plans/{plan.pk}/?edit={item.activities.get().pk}",
        f"/sv/staff/plans/rounds/{round_.pk}/",
        f"/sv/staff/plans/{plan.pk}/print/",
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path


def test_a_row_is_edited_in_place_without_javascript(browser: Any, live_server: Any, world: Any, client: Any) -> None:
    plan = ActionPlan.objects.create(organisation=world.home, title="Handlingsplan", period_start=2025, period_end=2026)
    activity = services.add_activity(services.add_item(plan, "1. Tidigt"), "Föräldraträffar")
    context = patient_context(browser, java_script_enabled=False)
    page = context.new_page()
    signed_in(page, client, live_server, world.users[Role.EDITOR])
    page.goto(f"{live_server.url}/sv/staff/plans/{plan.pk}/")
    page.get_by_role("link", name="Redigera rad").click()
    page.get_by_label("Ansvarig").fill("Familjepedagog\nBibliotekarie")
    page.get_by_label("T1 (tertialrapport 1)").check()
    page.get_by_role("button", name="Spara").click()
    assert "Raden sparades." in page.locator("main").inner_text()
    activity.refresh_from_db()
    assert (activity.responsible, activity.follow_up) == (["Familjepedagog", "Bibliotekarie"], ["T1"])
    context.close()
