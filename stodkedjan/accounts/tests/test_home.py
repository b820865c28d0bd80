"""The staff home is a work list: what each role has to do, with its figures, links and one-click actions."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from conftest import World
from stodkedjan.accounts.models import Role
from stodkedjan.directory.models import Service, Status
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.plans.models import ActionPlan, FollowUpRound, RoundKind


def test_an_editor_sees_what_to_check_and_confirms_it_from_the_home_page(client: Any, world: World) -> None:
    stale = timezone.localdate() - datetime.timedelta(days=400)
    for name in ("Öppen förskola Alby", "Föräldracafé Fittja"):
        service = make_service(world.home, name=name)
        Service.objects.filter(pk=service.pk).update(assured_date=stale)
    make_service(world.home, name="Nytt utkast", status=Status.DRAFT)
    make_service(world.home, name="Nyss kontrollerad")
    client.force_login(world.users[Role.EDITOR])
    home = client.get("/sv/staff/").content.decode()
    assert "3 publicerade insatser" in home
    assert "1 utkast" in home
    assert "2 behöver kontrolleras" in home
    assert 'href="/sv/staff/services/">Insatser</a>' in home, "the menu leads to the offerings"
    assert client.get("/sv/staff/services/")["Location"] == f"/sv/staff/{world.home.slug}/services/"
    checked = Service.objects.get(name_sv="Öppen förskola Alby")
    assert f'action="/sv/staff/services/{checked.pk}/action/"' in home
    response = client.post(f"/sv/staff/services/{checked.pk}/action/", {"action": "check", "next": "home"}, follow=True)
    assert response.redirect_chain[-1][0] == "/sv/staff/"
    assert "1 behöver kontrolleras" in response.content.decode()
    checked.refresh_from_db()
    assert checked.assured_date == timezone.localdate()


def test_a_viewer_sees_the_figures_but_no_buttons(client: Any, world: World) -> None:
    service = make_service(world.home, name="Öppen förskola Alby")
    Service.objects.filter(pk=service.pk).update(assured_date=None)
    client.force_login(world.users[Role.VIEWER])
    home = client.get("/sv/staff/").content.decode()
    assert "1 behöver kontrolleras" in home
    assert "Stämmer fortfarande" not in home


def test_open_follow_ups_show_their_deadline_and_say_late_in_words(client: Any, world: World) -> None:
    plan = ActionPlan.objects.create(
        organisation=world.home, title="Handlingsplan Botkyrka", period_start=2026, period_end=2027
    )
    today = timezone.localdate()
    FollowUpRound.objects.create(plan=plan, kind=RoundKind.T1, year=2026, deadline=today - datetime.timedelta(days=3))
    FollowUpRound.objects.create(plan=plan, kind=RoundKind.T2, year=2026, deadline=today + datetime.timedelta(days=30))
    client.force_login(world.users[Role.EDITOR])
    home = client.get("/sv/staff/").content.decode()
    assert home.count("Handlingsplan Botkyrka") == 2
    assert home.count("<strong>försenad</strong>") == 1
    county = world.users["county_board_viewer"]
    client.force_login(county)
    county_home = client.get("/sv/staff/").content.decode()
    assert "2 uppföljningar öppna i länet" in county_home
    assert "<strong>1 försenad</strong>" in county_home
    assert f'href="/sv/staff/{world.county_board.slug}/plans/follow-up/"' in county_home


def test_the_county_board_sees_its_figures_and_the_national_agency_the_counties_side_by_side(
    client: Any, world: World
) -> None:
    from stodkedjan.geo.models import Area, AreaKind

    botkyrka = world.home.area
    alby = Area.objects.create(
        code="0127-uo-alby", name="Alby", kind=AreaKind.VULNERABLE_AREA, parent=botkyrka, county=botkyrka.county
    )
    make_service(world.home, ages=(8, 12), level="indicated", areas=[botkyrka])
    make_service(world.home, ages=(0, 5), areas=[alby])
    client.force_login(world.users["county_board_viewer"])
    home = client.get("/sv/staff/").content.decode()
    assert "2 kontrollerade insatser i länet" in home
    assert "0 av 1 utsatta områden saknar indikerat stöd för 8–12 år" in home, "Botkyrka's offering serves Alby"
    county = f"/sv/staff/{world.county_board.slug}/insights/county/"
    assert f'href="{county}?kind=vulnerable_area&amp;band=8-12&amp;level=indicated#gaps"' in home
    client.force_login(world.users["national_viewer"])
    home = client.get("/sv/staff/").content.decode()
    assert "uppföljningar öppna i landet" in home or "uppföljning öppen i landet" in home
    assert (
        f'<a href="/sv/staff/insights/areas/{botkyrka.county.code}/">{botkyrka.county.name}</a></th><td>2</td>' in home
    )
    assert "Behov i landet, efter tema" in home
