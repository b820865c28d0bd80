"""Survey and meeting pages in a real browser: no axe violations (right-to-left included), and a parent answers
one question per screen with JavaScript off, the response stored once."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from conftest import patient_context
from stodkedjan.accounts.models import Role
from stodkedjan.meetings import services as meeting_services
from stodkedjan.surveys.models import Response
from stodkedjan.surveys.tests.factories import add_responses, make_round
from stodkedjan.surveys.tests.test_xform import CORPUS
from tests.browser.test_plan_pages import signed_in
from tests.browser.test_public_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_survey_pages_have_no_axe_violations(live_server: Any, page: Any, world: Any, client: Any) -> None:
    survey = make_round(world.home, layout="paged")
    north, _south = survey.areas.order_by("code")
    add_responses(survey, 7, north, support="yes", arenas=["bvc"], trust="3")
    add_responses(survey, 3, north, support="no", why="Tider", trust="1")
    for path in (
        f"/ar/survey/{survey.link_key}/",
        f"/sv/survey/{survey.link_key}/",
        f"/sv/survey/{survey.link_key}/thanks/",
        f"/so/survey/{survey.link_key}/",  # the round is not in Somali: the language choice
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    # An XLSForm's preview and a new ODK Collect access (its QR code and address, shown once).
    signed_in(page, client, live_server, world.users[Role.EDITOR])
    page.goto(f"{live_server.url}/sv/staff/{world.home.slug}/surveys/import/")
    page.set_input_files("#id_file", str(CORPUS / "socio-economic-survey-v20240515.xlsx"))
    page.locator("main form button[type=submit]").first.click()
    page.get_by_role("button", name="Läs in enkäten").wait_for()
    assert axe_violations(page) == [], "XLSForm preview"
    from stodkedjan.surveys import xlsform

    imported = make_round(world.home, definition=xlsform.read_path(CORPUS / "socio-economic-survey-v20240515.xlsx"))
    page.goto(f"{live_server.url}/sv/staff/surveys/rounds/{imported.pk}/collect/")
    page.get_by_label("Namn på enheten eller intervjuaren").fill("Surfplatta 1")
    page.get_by_role("button", name="Skapa åtkomst").click()
    page.locator("#server-url").wait_for()
    assert axe_violations(page) == [], "ODK Collect access"
    page.goto(f"{live_server.url}/ar/survey/{survey.link_key}/")
    page.get_by_role("button", name="ابدأ").click()  # no area chosen: the error summary
    assert axe_violations(page) == [], "error page"
    meeting = meeting_services.save_meeting(
        world.home,
        {
            "title": "Dialogmöte",
            "starts_at": timezone.now(),
            "place": "Kommunhuset",
            "online_link": "",
            "invited": [world.home],
            "questions": [("Var finns luckorna?", True)],
        },
    )
    signed_in(page, client, live_server, world.users[Role.EDITOR])
    for path in (
        f"/sv/staff/surveys/rounds/{survey.pk}/",
        f"/sv/staff/surveys/rounds/{survey.pk}/analysis/?by=area&row=support&column=trust",
        f"/sv/staff/surveys/rounds/{survey.pk}/interview/",
        f"/sv/staff/surveys/rounds/{survey.pk}/coding/why/",
        f"/sv/staff/surveys/questionnaires/{survey.version.questionnaire_id}/",
        f"/sv/staff/meetings/{meeting.pk}/",
        f"/sv/staff/meetings/{meeting.pk}/answers/{world.home.slug}/",
        f"/sv/staff/{world.home.slug}/needs/new/",
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path


def test_a_parent_answers_screen_by_screen_without_javascript(browser: Any, live_server: Any, world: Any) -> None:
    survey = make_round(world.home, layout="paged")
    context = patient_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sv/survey/{survey.link_key}/")
    page.get_by_label("Var bor du?").select_option(label="Norra")
    page.get_by_role("button", name="Börja").click()
    page.get_by_role("button", name="Nästa").click()  # the required question left empty
    assert "Svara på frågan för att gå vidare." in page.locator("main").inner_text()
    page.get_by_label("Nej").check()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("Varför inte?").fill("Tiderna passar inte, ring 070-123 45 67")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Tillbaka").click()
    assert "Tiderna passar inte" in page.get_by_label("Varför inte?").input_value()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("Hur många barn har du?").fill("2")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("BVC").check()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("3").check()
    page.get_by_role("button", name="Skicka").click()
    assert "Tack för dina svar" in page.locator("h1").inner_text()
    stored = Response.objects.get()
    assert stored.answers == {
        "support": "no",
        "why": "Tiderna passar inte, ring [telefonnummer]",
        "kids": 2,
        "arenas": ["bvc"],
        "trust": "3",
    }
    assert context.cookies() == []
    context.close()


def test_a_survey_team_imports_an_odk_form_starts_a_round_and_sets_up_odk_collect(
    live_server: Any, page: Any, world: Any
) -> None:
    """Issue 20's staff journey from sign-in, by links and forms alone: an XLSForm from ODK's samples is
    previewed and imported, a round started, and a tablet given access; Collect's form list then answers."""
    from datetime import timedelta
    from urllib.parse import urlsplit

    from stodkedjan.surveys.tests.factories import make_areas
    from tests.browser.test_staff_home_journeys import sign_in

    make_areas(world.home)
    clicks = sign_in(page, live_server, world.users[Role.EDITOR].email)
    page.get_by_role("link", name="Enkäter", exact=True).click()
    page.get_by_role("link", name="Importera en XLSForm").click()
    page.set_input_files("#id_file", str(CORPUS / "socio-economic-survey-v20240515.xlsx"))
    page.get_by_role("button", name="Importera", exact=True).click()
    clicks += 3
    page.get_by_role("heading", name="Det här kommer att frågas").wait_for()  # and the one row left out, why
    page.get_by_role("button", name="Läs in enkäten").click()
    page.get_by_role("link", name="Starta en omgång").click()
    clicks += 2
    today = timezone.localdate()
    page.get_by_label("Omgångens namn").fill("Intervjuer i Norra")
    page.get_by_label("Öppnar").fill(today.isoformat())
    page.get_by_label("Stänger").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Målområden").select_option(label="Norra")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Intervjua offline med ODK Collect").click()
    clicks += 2
    page.get_by_label("Namn på enheten eller intervjuaren").fill("Surfplatta Norra 1")
    page.get_by_role("button", name="Skapa åtkomst").click()
    clicks += 1
    address = urlsplit(page.locator("#server-url").input_value())
    listing = page.request.get(f"{live_server.url}{address.path}formList")
    assert listing.status == 200
    assert "Intervjuer i Norra" in listing.text()
    print(f"\nclicks: a survey team from sign-in to a tablet set up for ODK Collect with an imported form: {clicks}")
    assert clicks == 9
