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


def sign_in(page: Any, live_server: Any, email: str) -> int:
    """Sign in by the form and land on the staff home; the clicks it took."""
    page.goto(live_server.url + "/sv/account/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/sv/staff/")
    return 1


def test_an_editor_confirms_three_stale_offerings_from_the_home_page(live_server: Any, page: Any, world: Any) -> None:
    stale = timezone.localdate() - datetime.timedelta(days=400)
    names = ["Öppen förskola Alby", "Föräldracafé Fittja", "ABC Hallunda"]
    for name in names:
        service = make_service(world.home, name=name)
        Service.objects.filter(pk=service.pk).update(assured_date=stale)
    clicks = sign_in(page, live_server, world.users[Role.EDITOR].email)
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


def test_a_county_coordinator_finds_the_gaps_sees_who_is_late_and_downloads_both_reports(
    live_server: Any, page: Any, world: Any
) -> None:
    from stodkedjan.accounts.tests.factories import MembershipFactory
    from stodkedjan.geo.models import Area, AreaKind
    from stodkedjan.plans.models import ActionPlan, FollowUpRound, RoundKind

    botkyrka = world.home.area
    for code, name in (("0127-uo-alby", "Alby"), ("0127-uo-fittja", "Fittja")):
        Area.objects.create(
            code=code, name=name, kind=AreaKind.VULNERABLE_AREA, parent=botkyrka, county=botkyrka.county, list_year=2025
        )
    make_service(world.home, ages=(8, 12), level="indicated", areas=[Area.objects.get(code="0127-uo-fittja")])
    plan = ActionPlan.objects.create(
        organisation=world.home, title="Handlingsplan Botkyrka", period_start=2026, period_end=2026
    )
    late = timezone.localdate() - datetime.timedelta(days=10)
    FollowUpRound.objects.create(plan=plan, kind=RoundKind.T2, year=late.year, deadline=late)
    coordinator = MembershipFactory(organisation=world.county_board, role=Role.COORDINATOR).user
    clicks = sign_in(page, live_server, coordinator.email)
    page.get_by_role("link", name="saknar indikerat stöd för 8–12 år").click()  # the filter comes with the link
    clicks += 1
    page.wait_for_url("**/insights/county/**")
    page.get_by_text("1 lucka visas av").wait_for()
    gaps = page.locator("#gaps ~ .table-wrapper").first.inner_text()
    assert "Alby" in gaps
    assert "Fittja" not in gaps
    languages = page.locator("#languages ~ .table-wrapper").first
    assert "Fittja\t1\tsvenska (1)" in languages.inner_text(), "and the languages of what there is"
    assert "Alby\t0\tinga" in languages.inner_text()
    assert axe_violations(page) == []
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Rapporten till regeringen (PDF)").click()
    clicks += 1
    assert pdf.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as docx:
        page.get_by_role("link", name="Samma rapport (Word)").click()
    clicks += 1
    assert docx.value.suggested_filename.endswith(".docx")
    page.get_by_role("link", name="Översikt").first.click()
    clicks += 1
    page.get_by_role("link", name="uppföljning öppen i länet").click()
    clicks += 1
    page.wait_for_url("**/plans/follow-up/**")
    row = page.get_by_role("row", name="Botkyrka kommun")
    assert "försenad" in row.inner_text()
    print(f"\nclicks: a county coordinator from sign-in to the filtered gaps, both reports and who is late: {clicks}")
    assert clicks == 6  # 7 before the home page carried the filtered link


def test_a_municipal_coordinator_opens_t2_for_all_plans_and_an_editor_reports_and_submits(
    live_server: Any, page: Any, world: Any
) -> None:
    from stodkedjan.plans import services as plan_services
    from stodkedjan.plans.models import ActionPlan, FollowUpRound

    year = timezone.localdate().year
    for title in ("Handlingsplan Alby", "Handlingsplan Fittja"):
        plan = ActionPlan.objects.create(organisation=world.home, title=title, period_start=year, period_end=year)
        plan_services.add_activity(plan_services.add_item(plan, "Föräldrar får stöd tidigt"), f"Grupper i {title[15:]}")
    clicks = sign_in(page, live_server, world.users[Role.COORDINATOR].email)
    page.get_by_role("link", name="2 handlingsplaner").click()
    clicks += 1
    page.get_by_label("Rapport", exact=True).select_option("T2")
    page.get_by_label("År", exact=True).fill(str(year))
    page.get_by_label("Sista dag", exact=True).fill(f"{year}-12-31")
    page.get_by_role("button", name="Öppna för alla planer").click()
    clicks += 1
    page.get_by_text(f"T2 {year} är öppen för 2 planer.").wait_for()
    assert FollowUpRound.objects.filter(kind="T2", year=year).count() == 2
    assert axe_violations(page) == []
    print(f"\nclicks: a municipal coordinator opens T2 for every plan from sign-in: {clicks}")
    assert clicks == 3

    page.context.clear_cookies()
    clicks = sign_in(page, live_server, world.users[Role.EDITOR].email)
    page.get_by_role("link", name="Handlingsplan Alby").click()
    clicks += 1
    page.get_by_label("Status").select_option("on_track")
    page.get_by_role("button", name="Spara och lämna in rapporten").click()
    clicks += 1
    page.get_by_text("Lämnades in").first.wait_for()
    alby = FollowUpRound.objects.get(plan__title="Handlingsplan Alby")
    assert alby.submitted_at is not None
    assert alby.follow_ups.get().status == "on_track"
    print(f"clicks: an editor reports a status and submits from sign-in: {clicks}")
    assert clicks == 3


def test_a_provider_adds_a_somali_group_in_alby_and_confirms_three_stale_offerings(
    live_server: Any, page: Any, world: Any
) -> None:
    """The editor says the group is given in Somali only, is told after saving that Somali readers need its
    name and description in Somali, writes them, publishes, and a parent searching in Somali finds it; then
    the three offerings not checked for a year are confirmed from the home page."""
    from stodkedjan.directory.models import Taxonomy
    from stodkedjan.directory.tests.factories import make_location
    from stodkedjan.geo.models import Area, AreaKind

    botkyrka = world.home.area
    Area.objects.create(
        code="0127-uo-alby", name="Alby", kind=AreaKind.VULNERABLE_AREA, parent=botkyrka, county=botkyrka.county
    )
    make_location(world.home)
    stale = timezone.localdate() - datetime.timedelta(days=400)
    for name in ("Öppen förskola Tumba", "Föräldracafé Fittja", "ABC Hallunda"):
        Service.objects.filter(pk=make_service(world.home, name=name).pk).update(assured_date=stale)
    clicks = sign_in(page, live_server, world.users[Role.EDITOR].email)
    page.get_by_role("link", name="Ny insats").click()
    clicks += 1
    page.get_by_label("Namn (svenska)").fill("Föräldragrupp på somaliska – Alby")
    page.get_by_label("Beskrivning (svenska)").fill("Samtal om att vara förälder till barn i skolåldern, på somaliska.")
    page.get_by_label("universell – för alla föräldrar").check()
    page.get_by_label("Barnets ålder från (år)").fill("6")
    page.get_by_label("Barnets ålder till (år)").fill("12")
    page.get_by_label("grupp", exact=True).check()
    page.get_by_label("familjecentral", exact=True).check()
    page.get_by_label("somaliska (Soomaali)").check()
    page.get_by_label("Alby", exact=True).check()
    page.get_by_role("button", name="Spara").click()
    clicks += 1
    page.get_by_text("Den ges på somaliska").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Redigera").click()
    clicks += 1
    assert page.locator("#translations").get_attribute("open") is not None, "the translations are open"
    page.get_by_label("Namn (somaliska)").fill("Koox waalidiinta – Alby")
    page.get_by_label("Beskrivning (somaliska)").fill("Wadahadal ku saabsan waalidnimada, af Soomaali.")
    page.get_by_role("button", name="Spara").click()
    clicks += 1
    page.get_by_role("button", name="Publicera").click()
    clicks += 1
    page.get_by_text("Insatsen är publicerad").wait_for()
    group = Service.objects.get(name_sv="Föräldragrupp på somaliska – Alby")
    assert list(group.terms.filter(taxonomy=Taxonomy.LANGUAGE).values_list("code", flat=True)) == ["so"]
    assert [a.name for a in group.areas_served.all()] == ["Alby"]
    found = page.request.get(live_server.url + "/so/search/?q=koox+waalidiinta").text()
    assert "Koox waalidiinta – Alby" in found, "a parent searching in Somali finds it in Somali"
    page.get_by_role("link", name="Översikt").first.click()
    clicks += 1
    for name in ("Öppen förskola Tumba", "Föräldracafé Fittja", "ABC Hallunda"):
        page.get_by_role("button", name=name).click()
        clicks += 1
        page.wait_for_url("**/sv/staff/")
    page.get_by_text("0 behöver kontrolleras").wait_for()
    print(f"\nclicks: a provider adds a Somali group in Alby, publishes it and confirms three stale: {clicks}")
    assert clicks == 10


def test_a_coordinator_finds_a_kolada_kpi_by_its_title_adds_it_and_links_it_to_an_activity(
    live_server: Any, page: Any, world: Any
) -> None:
    from stodkedjan.plans import services as plan_services
    from stodkedjan.plans.models import ActionPlan

    year = timezone.localdate().year
    plan = ActionPlan.objects.create(organisation=world.home, title="Handlingsplan", period_start=year, period_end=year)
    activity = plan_services.add_activity(plan_services.add_item(plan, "Tidigt stöd"), "Föräldragrupper i Alby")
    clicks = sign_in(page, live_server, world.users[Role.COORDINATOR].email)
    page.get_by_role("link", name="Indikatorer", exact=True).click()
    page.get_by_label("Sök på titel eller Kolada-id").fill("ekonomiskt utsatta")
    page.get_by_role("button", name="Sök", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lägg till N02904").click()
    clicks += 3
    page.get_by_text("N02904 finns nu bland indikatorerna").wait_for()
    assert "fetch_kolada N02904 --areas 0127 01 SE" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Handlingsplaner", exact=True).click()
    page.get_by_role("link", name="Handlingsplan", exact=True).click()
    page.get_by_role("link", name="Redigera rad").click()
    page.get_by_label("Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%)").check()
    page.get_by_role("button", name="Spara").click()
    clicks += 4
    page.get_by_text("Raden sparades.").wait_for()
    assert list(activity.indicators.values_list("code", flat=True)) == ["N02904"]
    print(f"\nclicks: a coordinator adds a Kolada KPI by its title and links it to an activity: {clicks}")
    assert clicks == 8


def test_a_provider_confirms_one_offering_by_its_link_and_a_change_to_another_waits_until_it_is_approved(
    live_server: Any, page: Any, world: Any
) -> None:
    """Issue 24's journey: the daily run e-mails the provider's editor; one link confirms, the other leads to the
    form, whose change waits as a draft; the coordinator approves it from the staff home, and parents see the new
    text only then."""
    import re
    from urllib.parse import urlsplit

    from django.core import mail

    from stodkedjan.accounts.models import EditReview
    from stodkedjan.directory import verification

    world.home.edit_review = EditReview.OWN
    world.home.save()
    stale = timezone.localdate() - datetime.timedelta(days=400)
    confirmed, changed = (make_service(world.home, name=n) for n in ("Öppen förskola Alby", "Föräldracafé Fittja"))
    Service.objects.filter(pk__in=[confirmed.pk, changed.pk]).update(assured_date=stale)
    mail.outbox = []
    verification.send_due()
    editor = world.users[Role.EDITOR].email
    (digest,) = [m for m in mail.outbox if m.to == [editor]]
    link = {
        name: urlsplit(url).path for name, url in re.findall(r"^(.+)\n(https?://\S+/verify/\S+/)$", digest.body, re.M)
    }
    assert set(link) == {"Öppen förskola Alby", "Föräldracafé Fittja"}

    page.goto(live_server.url + link["Öppen förskola Alby"])  # the first link in the e-mail
    clicks = 1
    assert axe_violations(page) == []
    page.get_by_role("button", name="Det stämmer fortfarande").click()
    clicks += 1
    page.get_by_text("markerad som kontrollerad i dag").wait_for()
    confirmed.refresh_from_db()
    assert (confirmed.assured_date, confirmed.assurer_email) == (timezone.localdate(), editor)

    page.goto(live_server.url + link["Föräldracafé Fittja"])  # the second
    clicks += 1
    page.get_by_label("Vad behöver ändras? (frivilligt)").fill("Vi träffas nu på tisdagar.")
    page.get_by_role("button", name="Något behöver ändras").click()
    clicks += 1
    page.get_by_role("link", name="Ändra insatsen").click()
    clicks += 1
    page.get_by_label("E-postadress").fill(editor)  # the link signed no one in
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    clicks += 1
    page.wait_for_url(f"**/sv/staff/services/{changed.pk}/edit/")
    page.get_by_label("Namn (svenska)").fill("Föräldracafé Fittja – tisdagar")
    page.get_by_role("button", name="Spara").click()
    clicks += 1
    page.get_by_text("väntar på granskning").first.wait_for()
    public = live_server.url + f"/sv/service/{changed.uuid}/"
    parent = page.context.new_page()
    parent.goto(public)
    assert parent.get_by_role("heading", level=1).inner_text() == "Föräldracafé Fittja", "parents see the live text"
    page.get_by_role("button", name="Logga ut").click()
    clicks += 1

    clicks += sign_in(page, live_server, world.users[Role.COORDINATOR].email)
    page.get_by_role("link", name="1 ändring att granska").click()
    clicks += 1
    page.get_by_role("link", name="Granska: Föräldracafé Fittja").click()
    clicks += 1
    row = page.get_by_role("row", name="Namn (svenska)")
    assert "Föräldracafé Fittja – tisdagar" in row.inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Godkänn och publicera").click()
    clicks += 1
    page.get_by_text("Ändringen är godkänd och publicerad").wait_for()
    parent.reload()
    assert parent.get_by_role("heading", level=1).inner_text() == "Föräldracafé Fittja – tisdagar"
    assert any(m.to == [editor] and "är publicerad" in m.subject for m in mail.outbox), "the author is told"
    print(f"\nclicks: a provider confirms one offering and changes another, a coordinator approves: {clicks}")
    assert clicks == 12
