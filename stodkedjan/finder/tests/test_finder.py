"""The parents' finder: what a search finds, what an offering page says, and that bad input is harmless."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from conftest import World
from stodkedjan.directory.models import Schedule, Service, Status
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.finder.models import FeedbackCount
from stodkedjan.finder.queries import upcoming_dates
from stodkedjan.geo.models import Area, AreaKind


def found(client: Any, **params: Any) -> list[str]:
    response = client.get("/sv/search/", params)
    assert response.status_code == 200
    return sorted(s.card.name_sv for s in response.context["results"].page.object_list)


@pytest.fixture
def district(world: World) -> Area:
    return Area.objects.create(
        code="0127-norsborg",
        name="Norsborg",
        kind=AreaKind.DISTRICT,
        parent=world.home.area,
        county=world.home.area.county,
    )


def test_filters_find_what_they_say(client: Any, world: World, district: Area) -> None:
    make_service(world.home, name="Öppen förskola", ages=(0, 5), formats=("drop_in",), languages=("sv", "so"))
    make_service(world.home, name="Tonårsgrupp", ages=(12, 18), level="selective", byday=("WE",))
    make_service(world.home, name="Familjebehandling", ages=(6, 18), level="indicated", is_free=False)
    make_service(world.home, name="Stadsdelsgrupp", areas=[district], languages=("ar",))
    make_service(world.other, name="Malmögrupp")
    make_service(world.home, name="Utkast", status=Status.DRAFT)
    make_service(world.home, name="Avpublicerad", status=Status.INACTIVE)
    code = world.home.area.code
    assert found(client, area=code) == ["Familjebehandling", "Stadsdelsgrupp", "Tonårsgrupp", "Öppen förskola"]
    assert found(client, area=district.code) == [
        "Familjebehandling",
        "Stadsdelsgrupp",
        "Tonårsgrupp",
        "Öppen förskola",
    ], "a municipality-wide offering serves its districts"
    assert found(client, area=code, age=3) == ["Stadsdelsgrupp", "Öppen förskola"]
    assert found(client, language="so") == ["Öppen förskola"]
    assert found(client, format="drop_in") == ["Öppen förskola"]
    assert found(client, level=["selective", "indicated"]) == ["Familjebehandling", "Tonårsgrupp"]
    assert "Familjebehandling" not in found(client, free="on")
    assert found(client, day="WE") == ["Tonårsgrupp"]
    assert "Utkast" not in found(client)
    assert "Avpublicerad" not in found(client)


@pytest.mark.parametrize("query", ["föräldrar", "FÖRÄLDRAR", "foraldrar", "föräldragrupperna", "Förälder"])
def test_free_text_handles_swedish_letters_case_and_word_forms(client: Any, world: World, query: str) -> None:
    make_service(world.home, name="Föräldragrupp i Alby")
    make_service(world.home, name="Öppen förskola", description="Lek och sång för de minsta.")
    assert found(client, q=query) == ["Föräldragrupp i Alby"]


def test_text_search_looks_in_description_organisation_and_method(client: Any, world: World) -> None:
    make_service(world.home, name="Grupp A", method_name="Connect")
    make_service(world.home, name="Grupp B", description="Vi pratar om skärmtid och sömn.")
    make_service(world.other, name="Grupp C")
    assert found(client, q="connect") == ["Grupp A"]
    assert found(client, q="skärmtid") == ["Grupp B"]
    assert found(client, q="malmö") == ["Grupp C"]


def test_names_weigh_more_than_descriptions(client: Any, world: World) -> None:
    make_service(world.home, name="Grupp om skolan", description="För föräldrar.")
    make_service(world.home, name="Föräldrar tillsammans", description="Om skolan och läxor.")
    names = [s.card.name_sv for s in client.get("/sv/search/", {"q": "skolan"}).context["results"].page.object_list]
    assert names == ["Grupp om skolan", "Föräldrar tillsammans"]


def test_sorting_by_distance_puts_the_nearest_first(client: Any, world: World) -> None:
    far = make_location(world.home, lat=59.20, lon=17.60)
    near = make_location(world.home, lat=59.24, lon=17.84)
    make_service(world.home, name="Långt bort", location=far)
    make_service(world.home, name="Nära", location=near)
    make_service(world.home, name="Per telefon")
    response = client.get("/sv/search/", {"sort": "distance", "lat": "59.241", "lon": "17.841"})
    results = response.context["results"]
    assert [s.card.name_sv for s in results.page.object_list] == ["Nära", "Långt bort", "Per telefon"]
    assert results.page.object_list[0].distance_km < 1 < results.page.object_list[1].distance_km
    arabic = client.get("/ar/search/", {"sort": "distance", "lat": "59.241", "lon": "17.841"}).content.decode()
    assert re.search(r'<p class="result__where">[^<]*<bdi dir="ltr">\d+[,.٫]\d</bdi>', arabic), "km isolated LTR"
    by_area = client.get("/sv/search/", {"sort": "distance", "area": world.home.area.code}).context["results"]
    assert by_area.sorted_by_distance
    unplaced = client.get("/sv/search/", {"sort": "distance"})
    assert unplaced.context["results"].distance_unavailable
    assert "för att sortera efter avstånd" in unplaced.content.decode()


def test_results_are_counted_and_paged(client: Any, world: World) -> None:
    for n in range(45):
        make_service(world.home, name=f"Grupp {n:02d}")
    first = client.get("/sv/search/")
    assert "45 erbjudanden hittades" in first.content.decode()
    assert len(first.context["results"].page.object_list) == 20
    third = client.get("/sv/search/", {"page": 3}).context["results"].page
    assert [s.card.name_sv for s in third.object_list] == [f"Grupp {n}" for n in range(40, 45)]
    assert client.get("/sv/search/", {"page": 99}).context["results"].page.number == 3
    searched = client.get("/sv/search/", {"q": "grupp", "page": 3}).context["results"]
    assert (searched.count, len(searched.page.object_list), searched.page.paginator.num_pages) == (45, 5, 3)
    assert client.get("/sv/search/", {"q": "grupp", "page": 99}).context["results"].page.number == 3
    seen = {
        s.pk for n in (1, 2, 3) for s in client.get("/sv/search/", {"q": "grupp", "page": n}).context["results"].page
    }
    assert len(seen) == 45, "the pages of a ranked search neither repeat nor skip an offering"


def test_the_area_list_follows_the_areas(client: Any, world: World) -> None:
    """The area filter's list is drawn once and kept, yet a new area is in it at once and the chosen one is
    marked."""
    page = client.get("/sv/search/", {"area": world.home.area.code}).content.decode()
    assert f'<option value="{world.home.area.code}" selected>' in page
    assert page.count(" selected>") == 1
    Area.objects.create(
        code="0127-uo-nytt",
        name="Nytt område",
        kind=AreaKind.DISTRICT,
        parent=world.home.area,
        county=world.home.area.county,
    )
    assert '<option value="0127-uo-nytt">– Nytt område</option>' in client.get("/sv/search/").content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"age": "-4"},
        {"age": "999999999999999999999"},
        {"age": "tolv"},
        {"area": "nowhere"},
        {"area": "x" * 5000},
        {"language": "klingon"},
        {"format": "<script>"},
        {"level": ["everything", "universal"]},
        {"day": "XX"},
        {"sort": "price"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "1e9"},
        {"lat": "nan", "lon": "inf", "sort": "distance"},
        {"lat": "91", "lon": "200", "sort": "distance"},
        {"q": "x" * 10_000},
        {"q": "'; DROP TABLE directory_service; --"},
        {"q": "% _ \\ %%"},
        {"q": "مجموعة الآباء 👨‍👩‍👧 שלום"},
        {"q": "\x00\x01"},
    ],
)
def test_bad_search_input_gives_a_normal_page(client: Any, world: World, params: dict[str, Any]) -> None:
    make_service(world.home, name="Föräldragrupp")
    response = client.get("/sv/search/", params)
    assert response.status_code == 200
    assert response.context["results"].count >= 0


def test_an_offering_page_says_what_a_parent_needs(client: Any, world: World) -> None:
    location = make_location(world.home)
    service = make_service(
        world.home,
        name="Föräldragrupp ABC",
        ages=(3, 12),
        languages=("sv", "ar"),
        location=location,
        email="abc@test.example",
        interpretation_available=True,
    )
    html = client.get(f"/sv/service/{service.uuid}/").content.decode()
    assert "Föräldragrupp ABC" in html
    assert '<bdi dir="ltr">3–12</bdi> år' in html
    assert 'href="tel:+46812345678"' in html
    assert 'href="mailto:abc@test.example"' in html
    assert "العربية" in html
    assert "Du kan få tolk." in html
    assert "https://www.openstreetmap.org/?mlat=59.24000" in html
    assert "Testvägen 1" in html


@pytest.mark.parametrize(
    ("lang", "words"),
    [("sv", "Väntande föräldrar och barn under ett år"), ("ar", "الآباء والأمهات المنتظرون والأطفال دون السنة")],
)
def test_an_antenatal_group_is_for_expecting_parents_not_children_aged_0_to_0(
    client: Any, world: World, lang: str, words: str
) -> None:
    service = make_service(world.home, name="Föräldragrupp före förlossningen", ages=(0, 0))
    page = client.get(f"/{lang}/service/{service.uuid}/").content.decode()
    results = client.get(f"/{lang}/search/", {"q": "förlossningen"}).content.decode()
    for html in (page, results):
        assert words in html
        assert "0–0" not in html


def test_content_falls_back_to_swedish_with_a_note_in_the_readers_language(client: Any, world: World) -> None:
    service = make_service(world.home, name="Föräldragrupp", name_ar="مجموعة الآباء")
    html = client.get(f"/ar/service/{service.uuid}/").content.decode()
    assert "<h1>مجموعة الآباء</h1>" in html
    assert "هذا النص متوفر باللغة السويدية فقط." in html, "the description is only in Swedish"
    assert '<div class="service__description" lang="sv" dir="ltr">' in html
    somali = client.get(f"/so/service/{service.uuid}/").content.decode()
    assert '<h1 lang="sv" dir="ltr">Föräldragrupp</h1>' in somali


def test_group_dates_and_the_calendar_file(client: Any, world: World) -> None:
    service = make_service(world.home, name="COPE")
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday()) + timedelta(days=3)  # this week's Thursday
    schedule = Schedule.objects.create(
        service=service, byday="TH", opens_at="17:30", closes_at="19:30", valid_from=start, count=6
    )
    schedule.refresh_from_db()
    dates = upcoming_dates(schedule, today=start + timedelta(days=8))
    assert [d.isoformat() for d in dates] == [(start + timedelta(days=7 * n)).isoformat() for n in range(2, 6)]
    response = client.get(f"/sv/service/{service.uuid}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert len(events) == len(upcoming_dates(schedule))
    assert str(events[0]["summary"]) == "COPE"
    assert events[0].decoded("dtstart").hour == 17
    assert events[0]["dtstart"].params["TZID"] == "Europe/Stockholm"
    ics = response.content.decode()
    assert "BEGIN:VTIMEZONE" in ics
    assert "TZID:Europe/Stockholm" in ics
    assert "08-123 456 78" in str(events[0]["description"])  # whom to call
    assert response["Content-Disposition"] == 'attachment; filename="cope.ics"'
    assert client.get(f"/sv/service/{make_service(world.home).uuid}/calendar.ics").status_code == 404


def test_feedback_is_counted_without_cookies(client: Any, world: World) -> None:
    response = client.post("/sv/feedback/", {"page": "search", "answer": "yes", "next": "/sv/search/?q=abc"})
    assert response.status_code == 302
    assert response["Location"] == "/sv/search/?q=abc&feedback=thanks#feedback"
    assert response.cookies == {}
    client.post("/sv/feedback/", {"page": "search", "answer": "no", "next": "https://evil.example/"})
    counts = FeedbackCount.objects.get(page="search")
    assert (counts.yes, counts.no) == (1, 1)
    assert client.post("/sv/feedback/", {"page": "<x>", "answer": "maybe"}).status_code == 400
    assert FeedbackCount.objects.count() == 1
    thanks = client.get("/sv/search/?q=abc&feedback=thanks").content.decode()
    assert "Tack för ditt svar." in thanks


def test_worried_now_shows_the_chosen_municipalitys_contacts(client: Any, world: World) -> None:
    from stodkedjan.finder.models import LocalContact

    LocalContact.objects.create(
        organisation=world.home,
        area=world.home.area,
        kind="emergency_social_services",
        name="Socialjouren",
        phone="08-555 000 00",
    )
    html = client.get("/so/worried-now/", {"area": world.home.area.code}).content.decode()
    assert 'href="tel:+46855500000"' in html
    assert 'href="tel:112"' in html
    assert 'href="tel:11414"' in html
    other = client.get("/so/worried-now/", {"area": world.other.area.code}).content.decode()
    assert "Socialjouren" not in other
    assert "Weli ma hayno lambarrada deegaanka" in other


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "تم العثور على عرض واحد"),
        (2, "تم العثور على عرضين"),
        (4, "تم العثور على 4 عروض"),
        (11, "تم العثور على 11 عرضًا"),
    ],
)
def test_arabic_counts_use_arabic_plural_forms(client: Any, world: World, count: int, words: str) -> None:
    for number in range(count):
        make_service(world.home, name=f"Föräldraträff Pluralis {number}")
    html = client.get("/ar/search/", {"q": "Pluralis"}).content.decode()
    assert words in html


@pytest.mark.parametrize(
    ("lang", "written"),
    [("sv", "torsdag 4 mars 2027"), ("ar", "الخميس، 4 مارس 2027"), ("so", "Khamiis, Maarso 4, 2027")],
)
def test_group_dates_are_written_as_the_readers_language_writes_them(
    client: Any, world: World, lang: str, written: str
) -> None:
    from datetime import date

    service = make_service(world.home, name="ABC")
    Schedule.objects.create(
        service=service, byday="TH", opens_at="17:30", closes_at="19:30", valid_from=date(2027, 3, 4), count=1
    )
    html = client.get(f"/{lang}/service/{service.uuid}/").content.decode()
    assert f'<bdi><time datetime="2027-03-04">{written}</time></bdi>' in html
    assert "2027-03-04</time>" not in html  # no ISO date for people to read


def test_interpreter_is_a_filter_and_shows_on_the_result_card(client: Any, world: World) -> None:
    make_service(world.home, name="Komet med tolk", interpretation_available=True)
    make_service(world.home, name="Komet utan tolk")
    html = client.get("/sv/search/", {"q": "Komet", "interpreter": "on"}).content.decode()
    assert "Komet med tolk" in html
    assert "Komet utan tolk" not in html
    assert "Du kan få tolk." in html  # on the card
    assert 'name="interpreter" id="id_interpreter" checked' in html  # the form keeps the choice
    both = client.get("/so/search/", {"q": "Komet"}).content.decode()
    assert "Komet utan tolk" in both
    assert both.count("Waxaad heli kartaa turjumaan.") == 1


def test_a_result_card_is_in_the_readers_language_or_says_its_swedish_and_escapes_what_editors_wrote(
    client: Any, world: World
) -> None:
    place = make_location(world.home)
    translated = make_service(
        world.home, name="Kometen & <co>", name_so="Kometka", description="Samtal för föräldrar.", location=place
    )
    swedish = make_service(world.home, name="Kometgruppen", description="Träffar för föräldrar om skolan.")
    Service.objects.filter(pk=swedish.pk).update(assured_date=None)  # never checked
    somali = client.get("/so/search/", {"q": "komet"}).content.decode()
    assert f'<a href="/so/service/{translated.uuid}/">Kometka</a>' in somali
    assert f'<a href="/so/service/{swedish.uuid}/" lang="sv" dir="ltr">Kometgruppen</a>' in somali
    assert '<p lang="sv" dir="ltr">Träffar för föräldrar om skolan.</p>' in somali
    assert "<li>Norsborg</li>" in somali, "the town of its place"
    with translation.override("so"):
        unchecked = gettext("This information has not been checked for over a year and may be out of date.")
    assert somali.count(unchecked) == 1, "only the offering nobody has checked"
    swedish_page = client.get("/sv/search/", {"q": "komet"}).content.decode()
    assert "Kometen &amp; &lt;co&gt;" in swedish_page
    assert "<co>" not in swedish_page
    assert 'lang="sv" dir="ltr">Komet' not in swedish_page, "Swedish on a Swedish page is not marked as such"


def names(client: Any, path: str = "/sv/search/", **params: Any) -> list[str]:
    """The names in the order the page ranks them."""
    return [s.card.name_sv for s in client.get(path, params).context["results"].page.object_list]


def test_every_word_counts_and_none_excludes(client: Any, world: World) -> None:
    make_service(world.home, name="Föräldrar till tonåringar", ages=(13, 18), description="Om bråk hemma.")
    make_service(world.home, name="Småbarnsgrupp", ages=(3, 12), description="När bråk blir vardag.")
    make_service(world.home, name="Tonårsträff", ages=(13, 18), description="Samtal och stöd.")
    make_service(world.home, name="Babycafé", ages=(0, 1))
    ranked = names(client, q="tonåring bråk")
    assert ranked[0] == "Föräldrar till tonåringar", "both words match: first"
    assert sorted(ranked[1:]) == ["Småbarnsgrupp", "Tonårsträff"], "one word is enough to be found"
    assert "Babycafé" not in ranked


def test_free_text_finds_an_offerings_language_format_interpreter_and_ages_in_every_site_language(
    client: Any, world: World
) -> None:
    make_service(world.home, name="Föräldragrupp", languages=("ar",), formats=("group",))
    make_service(world.home, name="Föräldragrupp i Fittja", languages=("sv",), formats=("group",))
    make_service(world.home, name="Samtal", languages=("so",), formats=("individual",), interpretation_available=True)
    make_service(world.home, name="MVC-grupp", ages=(0, 0), formats=("drop_in",))
    assert names(client, q="föräldragrupp arabiska")[0] == "Föräldragrupp"
    for path, query in [("/sv/search/", "arabiska"), ("/ar/search/", "العربية"), ("/ar/search/", "عربي")]:
        assert names(client, path, q=query) == ["Föräldragrupp"], query
    assert names(client, "/so/search/", q="turjubaan") == ["Samtal"]
    assert names(client, "/ar/search/", q="مترجم") == ["Samtal"]
    assert names(client, q="tolk somaliska") == ["Samtal"]
    assert names(client, "/so/search/", q="Soomaali") == ["Samtal"]
    assert names(client, q="gravid") == ["MVC-grupp"]
    assert set(names(client, "/en/search/", q="group")) == {"Föräldragrupp", "Föräldragrupp i Fittja"}


def test_an_offering_in_the_page_language_comes_before_one_in_another_when_they_match_alike(
    client: Any, world: World
) -> None:
    make_service(world.home, name="ABC på arabiska", languages=("ar",))
    make_service(world.home, name="ABC – Alla barn i centrum", languages=("sv",))
    assert names(client, q="ABC") == ["ABC – Alla barn i centrum", "ABC på arabiska"]
    assert names(client, "/ar/search/", q="ABC") == ["ABC på arabiska", "ABC – Alla barn i centrum"]


@pytest.mark.parametrize("lang", ["so", "sv"])
def test_a_common_word_is_ranked_from_its_best_rows_as_from_all_of_them(
    client: Any, world: World, settings: Any, lang: str
) -> None:
    """With more rows than a page needs, one word's page is read from each indexed word's best rows in index order
    (not all rows sorted): the page's language first, then names before descriptions, then the oldest offering."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.FINDER_PAGE_SIZE = 2  # the first page needs the best 8 rows of 14
    named = [make_service(world.home, name=f"Komet {n}", description="Samtal.").name_sv for n in range(10)]
    somali = [
        make_service(world.home, name=f"Samtal {n}", description="Om komet.", languages=("so",)).name_sv
        for n in range(4)
    ]
    with CaptureQueriesContext(connection) as first:
        client.get(f"/{lang}/search/", {"q": "komet"})
    assert any("WHERE token = " in q["sql"] and "ORDER BY weight DESC" in q["sql"] for q in first.captured_queries)
    ranked = [
        hit.card.name_sv
        for page in range(1, 8)
        for hit in client.get(f"/{lang}/search/", {"q": "komet", "page": page}).context["results"].page.object_list
    ]
    assert ranked == (somali + named if lang == "so" else named + somali)


def test_offerings_in_the_chosen_area_come_first_and_the_others_say_they_serve_it_from_elsewhere(
    client: Any, world: World
) -> None:
    county = world.home.area.county
    assert county is not None
    neighbour = Area.objects.create(code="0126", name="Grannkommun", kind=AreaKind.MUNICIPALITY, parent=county)
    make_service(world.home, name="A: länsgemensam", areas=[county], location=make_location(world.home, area=neighbour))
    make_service(world.home, name="B: här", areas=[world.home.area], location=make_location(world.home))
    params = {"area": world.home.area.code}
    assert names(client, **params) == ["B: här", "A: länsgemensam"]
    html = client.get("/sv/search/", params).content.decode()
    assert html.index(f"I {world.home.area.name}") < html.index(f"Når {world.home.area.name} från annat håll")


def test_the_sort_links_set_the_sort_once_however_often_they_are_followed(client: Any, world: World) -> None:
    make_service(world.home, name="Grupp", location=make_location(world.home))
    html = client.get("/sv/search/", {"area": world.home.area.code, "sort": "distance"}).content.decode()
    link = html.split('class="sort-links"')[1].split("</p>")[0]
    assert "sort=relevance" in link
    assert link.count("sort=") == 1


def test_arabic_and_persian_letter_variants_and_marks_meet_in_the_index() -> None:
    from stodkedjan.directory import search

    assert search.words("العربية") == search.words("عربية") == ["عربيه"]
    assert search.words("عَرَبِيّ") == ["عربي"], "short vowels do not split or change a word"
    assert search.words("فارسی") == search.words("فارسي"), "Persian and Arabic yeh"
    assert search.words("کودک") == search.words("كودك"), "Persian and Arabic kaf"
    assert search.words("أطفال") == search.words("اطفال")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sv", "Tecken att ta på allvar"),
        ("en", "Signs to take seriously"),
        ("ar", "علامات يجب أخذها بجدية"),
        ("so", "Calaamado la iska jiro"),
        ("ti", "ብዕቱብ ክውሰዱ ዘለዎም ምልክታት"),
        ("fa", "نشانه‌هایی که باید جدی گرفت"),
    ],
)
def test_the_worried_parents_page_has_its_national_base_text_in_every_site_language(
    client: Any, world: World, lang: str, words: str
) -> None:
    html = client.get(f"/{lang}/worried-now/").content.decode()
    assert f"<h2>{words}</h2>" in html
    assert "fallback-note" not in html.split("<main")[1], "no Swedish stands in for the reader's language"


def test_the_myth_about_social_services_is_answered_in_somali_and_arabic_with_a_local_page_after_it(
    client: Any, world: World
) -> None:
    from stodkedjan.finder.models import InformationPage, PageKind

    InformationPage.objects.create(
        kind=PageKind.ABOUT_SOCIAL_SERVICES, organisation=world.home, title_sv="I Botkyrka", body_sv="Ring oss."
    )
    somali = client.get("/so/about-social-services/", {"area": world.home.area.code}).content.decode()
    assert "Khuraafaad: Adeegga bulshada waxay carruurta ka qaadaan" in somali
    assert somali.index("Khuraafaad") < somali.index("I Botkyrka"), "the national facts first, the local page after"
    arabic = client.get("/ar/about-social-services/").content.decode()
    assert "خرافة: الخدمات الاجتماعية تأخذ الأطفال" in arabic
    assert '<bdi dir="ltr">114 14</bdi>' in client.get("/ar/worried-now/").content.decode(), "not '14 114'"


def test_a_base_text_missing_in_a_language_falls_back_to_swedish_and_says_so() -> None:
    from stodkedjan.finder import base_pages

    fallback = base_pages.base_page("worried_now", "de")
    assert fallback is not None
    assert fallback.is_fallback
    assert fallback.lang == "sv"
    assert fallback.title == "Orolig för ditt barn just nu?"
    for path in base_pages.TEXTS_DIR.glob("*.md"):
        if path.name != "SOURCES.md":
            kind, language, _md = path.name.split(".")
            assert base_pages.base_page(kind, language).title, path.name


@pytest.mark.parametrize("lang", ["sv", "en", "ar", "so", "ti", "fa"])
def test_urgent_help_comes_before_everything_else_on_every_home_page(client: Any, db: Any, lang: str) -> None:
    main = client.get(f"/{lang}/").content.decode().split('<main id="main"')[1]
    assert main.index('href="tel:112"') < main.index("<h1"), "first screen: the emergency number"
    assert main.index(f'href="/{lang}/worried-now/"') < main.index("<h1")


def test_an_offering_page_can_be_shared_without_javascript(client: Any, world: World) -> None:
    service = make_service(world.home, name="Komet")
    html = client.get(f"/so/service/{service.uuid}/").content.decode()
    address = f"http://testserver/so/service/{service.uuid}/"
    assert f'<input id="share-link" type="url" value="{address}" readonly dir="ltr">' in html, "a link to copy"
    assert f'data-url="{address}" hidden>' in html, "the share sheet button only where the browser has one"
    assert "La wadaag" in html


def test_a_result_says_which_of_the_parents_words_it_matched(client: Any, world: World) -> None:
    make_service(world.home, name="Föräldragrupp", languages=("ar",), formats=("group",))
    make_service(world.home, name="Öppet hus", languages=("ar",), formats=("drop_in",))
    html = client.get("/sv/search/", {"q": "föräldragrupp arabiska"}).content.decode()
    first, second = html.split('class="result__why"')[1:3]
    assert first.startswith(">Matchar dina ord: <mark>föräldragrupp</mark>, <mark>arabiska</mark></p>")
    assert second.startswith(">Matchar dina ord: <mark>arabiska</mark></p>")
    typo = client.get("/sv/search/", {"q": "foraldragrup"}).content.decode()
    assert "<mark>foraldragrup</mark>" in typo, "the word as the parent typed it"


def test_local_contacts_say_which_languages_they_speak(client: Any, world: World) -> None:
    from stodkedjan.accounts.models import Role

    client.force_login(world.users[Role.ADMIN])
    url = f"/sv/staff/{world.home.slug}/contacts/"
    posted = {"area": world.home.area.pk, "kind": "social_services", "name": "Mottagningen", "phone": "08-123 456 78"}
    assert client.post(url, {**posted, "languages": ["sv", "so", "xx"]}).status_code == 200, "unknown: refused"
    assert client.post(url, {**posted, "languages": ["sv", "so"]}).status_code == 302
    client.logout()
    html = client.get("/so/worried-now/", {"area": world.home.area.code}).content.decode()
    assert 'Wuxuu ku hadlaa: <span lang="sv">Svenska</span>, <span lang="so">Soomaali</span>' in html


def test_an_offering_held_as_two_group_series_is_one_card_that_says_when_each_starts(client: Any, world: World) -> None:
    service = make_service(world.home, name="ABC i Alby")
    today = timezone.localdate()
    for weeks, day in ((2, "WE"), (12, "MO")):
        Schedule.objects.create(
            service=service,
            byday=day,
            opens_at=time(17, 30),
            closes_at=time(19, 30),
            valid_from=today + timedelta(weeks=weeks),
            count=4,
        )
    response = client.get("/sv/search/", {"q": "abc"})
    assert [s.card.name_sv for s in response.context["results"].page] == ["ABC i Alby"]
    html = response.content.decode()
    assert "2 grupper, start" in html
    assert html.count('<time datetime="') >= 2
    make_service(world.home, name="ABC i Fittja")
    Schedule.objects.create(
        service=Service.objects.get(name_sv="ABC i Fittja"),
        byday="TU",
        opens_at=time(17, 30),
        closes_at=time(19, 30),
        valid_from=today + timedelta(days=3),
        count=4,
    )
    assert "Nästa grupp startar" in client.get("/sv/search/", {"q": "fittja"}).content.decode()


def test_a_kept_card_follows_a_change_to_the_offering_its_place_and_its_organisation(client: Any, world: World) -> None:
    """Cards are kept in the cache between searches (finder.cards), never past a change to what they show."""
    from stodkedjan.directory import services

    place = make_location(world.home)
    service = make_service(world.home, name="Föräldracafé Alby", location=place)

    def card() -> str:
        return client.get("/sv/search/", {"q": "föräldracafé"}).content.decode()

    assert "Föräldracafé Alby" in card()
    service.name_sv = "Föräldracafé Fittja"
    service.save()
    services.reindex(service)
    assert "Föräldracafé Fittja" in card()
    assert "Föräldracafé Alby" not in card()
    place.city = "Tumba"
    place.save()
    assert "<li>Tumba</li>" in card()
    world.home.name = "Botkyrka kommun, förvaltningen"
    world.home.save()
    assert "Botkyrka kommun, förvaltningen" in card()


def test_the_search_form_keeps_what_was_chosen(client: Any, world: World) -> None:
    html = client.get("/so/search/", {"language": "ar", "format": "home_visit", "day": "TH"}).content.decode()
    assert '<option value="ar" selected lang="ar">' in html
    assert '<option value="home_visit" selected>' in html
    assert '<option value="TH" selected>' in html
    assert html.count(" selected") == 3


@pytest.mark.parametrize("params", [{}, {"q": "grupp"}])
def test_a_search_counts_up_to_a_limit_and_says_more_beyond_it(
    client: Any, world: World, settings: Any, params: dict[str, str]
) -> None:
    """Beyond FINDER_COUNT_UP_TO matches the page says "more than", asks for an area and pages as far as it counted."""
    settings.FINDER_COUNT_UP_TO = 30
    for n in range(45):
        make_service(world.home, name=f"Grupp {n:02d}")
    response = client.get("/sv/search/", params)
    results = response.context["results"]
    assert (results.count, results.more, results.page.paginator.num_pages) == (30, True, 2)
    assert "Fler än 30 erbjudanden hittades" in response.content.decode()
    assert "Välj din kommun eller stadsdel" in response.content.decode()
    last = client.get("/sv/search/", {**params, "page": 9}).context["results"].page
    assert (last.number, len(last.object_list)) == (2, 20)
    settings.FINDER_COUNT_UP_TO = 45
    assert client.get("/sv/search/", params).context["results"].more is False


def test_words_each_under_the_limit_are_counted_together_and_one_offering_with_both_counts_once(
    client: Any, world: World, settings: Any
) -> None:
    settings.FINDER_COUNT_UP_TO = 30
    for n in range(20):
        make_service(world.home, name=f"Kometen {n:02d}", description="Samtal.")
        make_service(world.home, name=f"Kometer {n:02d}", description="Samtal.")
        make_service(world.home, name=f"Solen {n:02d}", description="Solen och månen.")
    for query in ("komet", "kometen solen"):  # two indexed words under one prefix; two words typed
        results = client.get("/sv/search/", {"q": query}).context["results"]
        assert (results.count, results.more) == (30, True), query
    both = client.get("/sv/search/", {"q": "solen månen"}).context["results"]
    assert (both.count, both.more) == (20, False), "an offering with both words counts once"


@pytest.mark.parametrize("with_both", [25, 15])
def test_offerings_with_every_word_come_first_and_the_rest_follow_by_where_the_words_matched(
    client: Any, world: World, with_both: int
) -> None:
    for n in range(with_both):
        make_service(world.home, name=f"Komet och stjärna {n:02d}", description="Samtal.")
    for n in range(5):
        make_service(world.home, name=f"Samtal {n}", description="Om kometen på himlen.")  # one word, in the text
    for n in range(10):
        make_service(world.home, name=f"Stjärnan {n}", description="Samtal.")  # one word, in the name
    first, second = (
        client.get("/sv/search/", {"q": "komet stjärna", "page": page}).context["results"].page.object_list
        for page in (1, 2)
    )
    ranked = [hit.card.name_sv.rsplit(" ", 1)[0] for hit in [*first, *second]]
    both, in_name = ["Komet och stjärna"] * with_both, ["Stjärnan"] * 10
    assert ranked == [*both, *in_name, *["Samtal"] * 5][:40]
    assert all(hit.matched_words == ["komet", "stjärna"] for hit in first[: min(with_both, 20)])


def test_a_word_counts_once_by_where_it_matched_best_however_many_indexed_words_it_begins(
    client: Any, world: World
) -> None:
    # "komet" begins three of its indexed words: counted by the best of them, 3 + 1 (stjärna), not 3 + 1 + 1 + 1
    make_service(world.home, name="Komet", description="Kometgrupp och kometcafé, stjärna.")
    make_service(world.home, name="Komet och stjärna", description="Samtal.")  # komet: 3, stjärna: 3
    assert names(client, q="komet stjärna") == ["Komet och stjärna", "Komet"]


def test_an_offering_not_read_yet_that_ties_with_the_best_read_and_came_first_comes_first(
    client: Any, world: World, settings: Any
) -> None:
    """Read best first, four rows a word for a page of one: "komet" gives Komet (3) and three with it in the text
    (1), "stjärna" four with it in the name (3). Komet scores 3 + 1 (stjärna in its text), as much as an offering
    not read can (1 + 3); one that does, older than Komet, comes before it, so the page is not settled there."""
    settings.FINDER_PAGE_SIZE = 1
    for n in range(3):
        make_service(world.home, name=f"Samtal {n}", description="Om komet.")
    for n in range(4):
        make_service(world.home, name=f"Stjärna {n}", description="Samtal.")
    make_service(world.home, name="Stjärnan", description="Om komet.")
    make_service(world.home, name="Komet", description="Om stjärna.")
    assert names(client, q="komet stjärna") == ["Stjärnan"]


def test_several_words_read_best_first_give_the_pages_grouping_gives(world: World, settings: Any) -> None:
    """Several words without other criteria are read best first (``every_word_in_order``) and the page is settled
    without grouping every offering: on a varied set of offerings, the same pages as grouping all of them, in the
    page's language, for words that begin several indexed words, ties and words in few offerings."""
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stodkedjan.directory import search as words
    from stodkedjan.finder import search

    settings.FINDER_PAGE_SIZE = 4
    rng = random.Random(6)
    vocabulary = ["komet", "kometgrupp", "kometcafé", "stjärna", "stjärnhimmel", "solen", "solsken", "månen", "natt"]
    for n in range(90):
        make_service(
            world.home,
            name=f"{' '.join(rng.sample(vocabulary, rng.randint(1, 2)))} {n}",
            description=" ".join(rng.sample(vocabulary, rng.randint(0, 4))) or "Samtal.",
            languages=tuple(rng.sample(["sv", "so", "ar"], rng.randint(1, 2))),
        )
    settled = 0
    for lang in ("sv", "so", "ar"):
        translation.activate(lang)
        for query in (
            "komet stjärna",
            "stjärna komet natt",
            "solen månen",
            "himlen kometer",
            "natt sol",
            "komet kometen",
        ):
            tokens = [token for _word, token in words.query_words(query)]
            for number in (1, 2, 3):
                offset = (number - 1) * settings.FINDER_PAGE_SIZE
                with CaptureQueriesContext(connection) as read:
                    best_first = search._Ranked(search.Scope(), tokens).every_word_in_order(offset + 4)
                grouped = search._Ranked(search.Scope(), tokens).grouped(offset)
                if best_first is not None:
                    settled += 1
                    assert best_first[offset:] == grouped, (lang, query, number)
                    assert not [q for q in read.captured_queries if "GROUP BY" in q["sql"]]
    translation.activate("sv")
    assert settled >= 20, "many of these pages are settled best first"


def test_another_name_for_the_same_thing_finds_it_and_counts_as_the_parents_word(client: Any, world: World) -> None:
    make_service(world.home, name="Föräldravandring i Alby", description="Vuxna ute på kvällen.")
    make_service(world.home, name="Nattöppet fritids", description="Öppet sent.")
    results = client.get("/sv/search/", {"q": "nattvandring alby"}).context["results"]
    first = results.page.object_list[0]
    assert first.card.name_sv == "Föräldravandring i Alby"
    assert first.matched_words == ["nattvandring", "alby"], "both words matched: the other name counts as the word"
    nearest = client.get("/sv/search/", {"q": "nattvandring", "sort": "distance", "lat": "59.24", "lon": "17.84"})
    listed = nearest.context["results"]
    assert (listed.sorted_by_distance, listed.count) == (True, 1)
    assert listed.page.object_list[0].matched_words == ["nattvandring"]


def test_a_search_whose_matches_fit_on_its_page_is_not_counted_again(client: Any, world: World, settings: Any) -> None:
    """The page is read first; when it is not full it is every match, and no count query follows. A typo in one of
    two words, the other of which matches, is still corrected (the page cannot tell; the index is asked)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.FINDER_PAGE_SIZE = 5
    for n in range(3):
        make_service(world.home, name=f"Tonårsgrupp {n}")
    make_service(world.home, name="Stöd vid bråk", description="För familjer med tonåringar.")
    with CaptureQueriesContext(connection) as few:
        results = client.get("/sv/search/", {"q": "tonårsgrupp"}).context["results"]
    assert (results.count, results.more, len(results.page.object_list)) == (3, False, 3)
    counting = "SELECT DISTINCT service_id"  # the count of a search's offerings
    assert not [q for q in few.captured_queries if counting in q["sql"]], "three matches on a page of five"
    with CaptureQueriesContext(connection) as again:  # the cards are kept now
        client.get("/sv/search/", {"q": "tonårsgrupp"})
    assert len(again.captured_queries) == 2, "the indexed words under the prefix; the page, with its cards' versions"
    for n in range(3, 8):
        make_service(world.home, name=f"Tonårsgrupp {n}")
    with CaptureQueriesContext(connection) as many:
        results = client.get("/sv/search/", {"q": "tonårsgrupp"}).context["results"]
    assert (results.count, len(results.page.object_list)) == (8, 5)
    assert [q for q in many.captured_queries if counting in q["sql"]], "a full page: the rest is counted"
    second = client.get("/sv/search/", {"q": "tonårsgrupp", "page": 2}).context["results"]
    assert (second.count, second.page.number, len(second.page.object_list)) == (8, 2, 3)
    typo = client.get("/sv/search/", {"q": "bråk tonoringar"}).context["results"].page.object_list
    assert typo[0].card.name_sv == "Stöd vid bråk"
    assert typo[0].matched_words == ["bråk", "tonoringar"], "the typo was corrected, so both words matched"
