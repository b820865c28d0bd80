"""The starting set of Kolada KPIs: documented, searchable by title, added once from the indicator page, and the
county report showing each indicator for the municipalities, the county and Sweden side by side."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils.translation import override

from stodkedjan.accounts.models import Role
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.plans import kolada_starter, services
from stodkedjan.plans.models import ActionPlan, Indicator, IndicatorSource, IndicatorValue


@pytest.fixture(autouse=True)
def swedish() -> Iterator[None]:
    with override("sv"):  # the staff pages and the county report are Swedish
        yield


def test_every_kpi_of_the_starting_set_says_where_its_id_was_found() -> None:
    codes = [kpi.code for kpi in kolada_starter.STARTING_SET]
    assert len(codes) == len(set(codes)) >= 10
    for kpi in kolada_starter.STARTING_SET:
        assert re.fullmatch(r"[NU]\d{5}", kpi.code), kpi.code
        assert re.search(r"\S+/\S+, \S+ @ [0-9a-f]{40}$", kpi.found_in), kpi.found_in  # repository, path, commit
        assert kpi.title
        assert kpi.why


def test_the_starting_set_is_searched_by_every_word_of_the_title() -> None:
    assert [k.code for k in kolada_starter.matching("ekonomiskt UTSATTA")] == ["N02904"]
    assert {k.code for k in kolada_starter.matching("förskola")} == {"N11102", "U11401"}
    assert kolada_starter.matching("förskola våldsbrott") == []
    assert len(kolada_starter.matching("")) == len(kolada_starter.STARTING_SET)


def test_an_editor_finds_a_kpi_by_its_title_and_adds_it_once(world, client) -> None:
    client.force_login(world.users[Role.EDITOR])
    listing = reverse("plans:indicator_list")
    page = client.get(listing, {"q": "förskola"}).content.decode()
    assert "N11102" in page
    assert "U11401" in page
    assert "N02904" not in page
    add = reverse("plans:indicator_add_kolada", kwargs={"slug": world.home.slug})
    answer = client.post(add, {"code": "N11102"}, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("plans:indicator_detail", kwargs={"code": "N11102"})
    indicator = Indicator.objects.get(code="N11102")
    assert (indicator.source, indicator.organisation) == (IndicatorSource.KOLADA, None)
    assert "personaltätheten" in indicator.description  # why it matters, in the team's words
    html = answer.content.decode()
    assert "manage.py fetch_kolada N11102 --areas 0127 01 SE" in html  # Botkyrka, its county and Sweden
    assert "OppnaHelsingborgLabs/Kolada" in html
    again = client.post(add, {"code": "N11102"}, follow=True).content.decode()
    assert "fanns redan" in again
    assert Indicator.objects.filter(code="N11102").count() == 1
    assert "Används" in client.get(listing, {"q": "förskola"}).content.decode()  # no longer offered to add


def test_only_the_starting_set_can_be_added_and_only_by_an_editor(world, client) -> None:
    add = reverse("plans:indicator_add_kolada", kwargs={"slug": world.home.slug})
    client.force_login(world.users[Role.EDITOR])
    assert "inte i startuppsättningen" in client.post(add, {"code": "N99999"}, follow=True).content.decode()
    client.force_login(world.users[Role.VIEWER])
    assert client.post(add, {"code": "N02904"}).status_code == 403
    assert "att börja med" not in client.get(reverse("plans:indicator_list")).content.decode()
    assert not Indicator.objects.exists()


def test_the_county_report_shows_an_indicator_for_each_municipality_the_county_and_sweden(world) -> None:
    from stodkedjan.insights import report

    county, home = world.county_board.area, world.home.area
    neighbour = Area.objects.create(
        code="0126", name="Huddinge", kind=AreaKind.MUNICIPALITY, parent=county, county=county
    )
    sweden = Area.objects.get(code="SE")
    indicator = Indicator.objects.create(code="N02904", title="Barn i ekonomiskt utsatta hushåll", source="kolada")
    for area, values in ((home, [17.0, 16.4, 15.9]), (neighbour, [8.0, 7.2, 7.0]), (county, [11.0, 10.5, 10.1])):
        for year, value in zip((2022, 2023, 2024), values, strict=True):
            IndicatorValue.objects.create(indicator=indicator, area=area, year=year, value=value)
    IndicatorValue.objects.create(indicator=indicator, area=sweden, year=2024, value=9.6)
    IndicatorValue.objects.create(indicator=indicator, area=world.other.area, year=2024, value=12.0)  # Malmö: not here
    plan = ActionPlan.objects.create(organisation=world.home, title="Plan", period_start=2024, period_end=2026)
    activity = services.add_activity(services.add_item(plan, "Tidigt stöd"), "Föräldragrupper")
    activity.indicators.add(indicator)

    section = next(s for s in report.sections(world.county_board) if s.title == "Indikatorer")
    ((title, rows),) = section.titled_tables
    assert title == "Barn i ekonomiskt utsatta hushåll. Källa: Kolada (RKA), nyckeltal N02904"
    assert rows == [
        ["Område", "2022", "2023", "2024"],
        ["Huddinge", "8", "7,2", "7"],  # the municipalities by name
        [home.name, "17", "16,4", "15,9"],
        [county.name, "11", "10,5", "10,1"],
        ["Sverige", "–", "–", "9,6"],
    ]
