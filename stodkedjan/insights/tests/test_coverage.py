"""The coverage engine and gap rules, the support-chain pages, dashboards, exports, snapshots and the report."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from stodkedjan.accounts.models import Role
from stodkedjan.accounts.tests.factories import MembershipFactory
from stodkedjan.directory.models import Service
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.insights import services
from stodkedjan.insights.coverage import Engine
from stodkedjan.insights.models import CountySettings, CoverageSnapshot, GapRule
from stodkedjan.surveys.tests.factories import add_responses, make_round


def rectangle(west: float, south: float, east: float, north: float) -> dict:
    """A GeoJSON rectangle in longitude and latitude, for areas with a shape."""
    corners = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [corners]}


@pytest.fixture
def places(world):
    botkyrka = world.home.area
    alby = Area.objects.create(
        code="0127-uo-alby",
        name="Alby",
        kind=AreaKind.VULNERABLE_AREA,
        parent=botkyrka,
        county=botkyrka.county,
        police_category="sarskilt_utsatt",
        list_year=2025,
    )
    fittja = Area.objects.create(
        code="0127-uo-fittja",
        name="Fittja",
        kind=AreaKind.VULNERABLE_AREA,
        parent=botkyrka,
        county=botkyrka.county,
        police_category="utsatt",
        list_year=2025,
    )
    return {"county": botkyrka.county, "botkyrka": botkyrka, "alby": alby, "fittja": fittja}


@pytest.fixture
def county_admin(world):
    return MembershipFactory(organisation=world.county_board, role=Role.ADMIN).user


def test_an_offering_serves_the_areas_around_and_inside_what_it_names(world, places):
    in_alby = make_service(world.home, ages=(8, 12), level="indicated", areas=[places["alby"]])
    whole_municipality = make_service(world.home, ages=(0, 5), areas=[places["botkyrka"]])
    county_wide = make_service(world.county_board, ages=(13, 18), level="selective", areas=[places["county"]])
    make_service(world.home, areas=[places["alby"]], status="draft")
    make_service(world.other, areas=[world.other.area])  # another county
    engine = Engine(scope=places["county"])
    assert engine.services_behind(places["alby"], None, None) == {in_alby.pk, whole_municipality.pk, county_wide.pk}
    assert engine.services_behind(places["fittja"], None, None) == {whole_municipality.pk, county_wide.pk}
    assert engine.services_behind(places["botkyrka"], None, None) == {in_alby.pk, whole_municipality.pk, county_wide.pk}
    alby = engine.coverage(places["alby"])
    assert alby.cells[("8-12", "indicated")].verified == 1
    assert alby.cells[("6-12", "indicated")].verified == 1  # 8–12 overlaps 6–12
    assert alby.cells[("0-5", "indicated")].verified == 0
    assert alby.bands["13-18"].verified == 1
    assert alby.languages == {"sv": 3}


def test_an_offering_counts_where_its_place_lies_and_is_told_apart_from_those_serving_from_outside(world, places):
    from stodkedjan.directory.models import Location
    from stodkedjan.directory.tests.factories import make_location

    named_elsewhere = make_service(world.home, ages=(8, 12), level="indicated", areas=[places["alby"]])
    place = make_location(world.home, area=places["botkyrka"])
    Location.objects.filter(pk=place.pk).update(vulnerable_area=places["fittja"])  # as placed by its coordinates
    named_elsewhere.service_at_locations.create(location=place)
    from_outside = make_service(world.home, ages=(0, 5), areas=[places["botkyrka"]])
    engine = Engine(scope=places["county"])
    assert engine.services_behind(places["fittja"], None, None) == {named_elsewhere.pk, from_outside.pk}
    fittja = engine.coverage(places["fittja"])
    assert (fittja.verified, fittja.inside) == (2, 1)
    assert fittja.cells[("8-12", "indicated")].verified == 1, "the place in Fittja closes the gap there"
    assert engine.coverage(places["alby"]).inside == 0  # named for Alby, but its place is in Fittja
    assert engine.coverage(places["botkyrka"]).inside == 1


def test_an_area_the_newest_police_list_replaced_is_not_counted_as_a_gap_area(world, places):
    from stodkedjan.geo.models import VulnerableAreaAssessment

    old = Area.objects.create(
        code="0127-uo-gamla",
        name="Gamla området",
        kind=AreaKind.VULNERABLE_AREA,
        parent=places["botkyrka"],
        county=places["county"],
        list_year=2023,
    )
    VulnerableAreaAssessment.objects.create(area=places["alby"], list_year=2025, category="sarskilt_utsatt")
    engine = Engine(scope=places["county"])
    names = [a.name for a in engine.children_of(places["botkyrka"], (AreaKind.VULNERABLE_AREA,))]
    assert names == ["Alby", "Fittja"]
    assert old not in Area.objects.current()
    assert old in Area.objects.current(keeping=[old.pk]), "a plan that named it keeps it"


def test_offerings_not_checked_recently_are_counted_apart(world, places):
    fresh = make_service(world.home, ages=(8, 12), level="indicated", areas=[places["alby"]])
    old = make_service(world.home, ages=(8, 12), level="indicated", areas=[places["alby"]])
    Service.objects.filter(pk=old.pk).update(assured_date=timezone.localdate() - timedelta(days=400))
    cell = Engine(scope=places["county"]).coverage(places["alby"]).cells[("8-12", "indicated")]
    assert (cell.verified, cell.not_verified) == (1, 1)
    cell = Engine(scope=places["county"], stale_after_months=24).coverage(places["alby"]).cells[("8-12", "indicated")]
    assert (cell.verified, cell.not_verified) == (2, 0)
    assert fresh.pk


def test_the_default_rule_flags_a_vulnerable_area_without_indicated_support_for_8_to_12(client, world, places):
    make_service(world.home, ages=(8, 12), level="indicated", areas=[places["alby"]])
    stale = make_service(world.home, ages=(10, 14), level="indicated", areas=[places["fittja"]])
    Service.objects.filter(pk=stale.pk).update(assured_date=None)
    client.force_login(world.users[Role.VIEWER])
    fittja = client.get("/sv/staff/insights/areas/0127-uo-fittja/").content.decode()
    assert "chain__cell--gap" in fittja
    assert "Lucka" in fittja  # said in words, not only by colour
    assert "inget indikerat stöd för 8–12 år (tidiga insatser)" in fittja
    alby = client.get("/sv/staff/insights/areas/0127-uo-alby/").content.decode()
    assert "inget indikerat stöd för 8–12 år" not in alby
    behind = client.get("/sv/staff/insights/areas/0127-uo-fittja/offerings/?band=8-12&level=indicated").content.decode()
    assert stale.name in behind
    assert "aldrig kontrollerad" in behind


def test_a_county_admin_tunes_the_rules_and_the_expected_languages(client, world, places, county_admin):
    make_service(world.home, ages=(8, 12), level="indicated", areas=[places["alby"]], languages=("sv", "ar"))
    client.force_login(county_admin)
    url = f"/sv/staff/{world.county_board.slug}/insights/rules/"
    client.post(url + "rule/", {"action": "adopt_defaults"})
    assert world.county_board.gap_rules.count() == 5
    rule = {"band": "13-18", "level": "universal", "area_kind": "vulnerable_area", "minimum": 2, "is_active": "on"}
    assert client.post(url + "rule/", rule).status_code == 302
    again = client.post(url + "rule/", rule)
    assert again.status_code == 400
    assert "Länet har redan en regel" in again.content.decode()
    assert world.county_board.gap_rules.count() == 6
    client.post(url + "language/", {"area": places["alby"].pk, "language": "so", "source": "SCB"})
    client.post(url + "settings/", {"stale_after_months": 6})
    assert CountySettings.objects.get(organisation=world.county_board).stale_after_months == 6
    alby = client.get("/sv/staff/insights/areas/0127-uo-alby/").content.decode()
    assert "inget kontrollerat stöd på somaliska" in alby, "the language named as Swedish names it (CLDR)"
    assert "Soomaali" not in alby.split("<main")[1]
    assert "färre än 2 universella insatser för 13–18 år" in alby
    client.force_login(world.users["county_board_viewer"])
    assert client.post(url + "rule/", rule).status_code == 403


def test_an_area_with_no_offerings_says_so_and_an_unknown_one_is_404(client, world, places):
    client.force_login(world.users[Role.VIEWER])
    page = client.get("/sv/staff/insights/areas/0127-uo-fittja/")
    assert page.status_code == 200
    assert "Inget publicerat stöd når området ännu" in page.content.decode()
    assert client.get("/sv/staff/insights/areas/9999/").status_code == 404


def test_the_county_overview_shows_every_municipality_plans_needs_and_suppressed_surveys(client, world, places):
    make_service(world.home, areas=[places["botkyrka"]])
    survey_round = make_round(world.home)
    add_responses(survey_round, 3)
    client.force_login(world.users["county_board_viewer"])
    html = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/").content.decode()
    assert "Botkyrka kommun" in html or places["botkyrka"].name in html
    assert "Ingen uppföljningsomgång har öppnats" in html
    assert "färre än 5" in html  # three answers are never shown as 3
    assert ">3<" not in html.split("Föräldraenkäter")[1].split("</table>")[0]
    csv = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/overview.csv").content.decode("utf-8-sig")
    assert places["botkyrka"].name in csv
    assert client.get(f"/sv/staff/{world.county_board.slug}/insights/county/overview.xlsx").status_code == 200


def test_the_county_report_is_written_as_pdf_and_docx(client, world, places):
    from docx import Document
    from pypdf import PdfReader

    make_service(world.home, areas=[places["alby"]])
    survey_round = make_round(world.home)
    add_responses(survey_round, 7, support="yes")
    client.force_login(world.users["county_board_viewer"])
    pdf = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for heading in ["Sammanfattning", "Täckning och luckor i utsatta områden", "Vad föräldrarna sa", "Nätverk"]:
        assert heading in text
    assert "Alby" in text
    assert "7 svar" in text  # seven respondents: shown, with a table for each choice question
    assert "Får du stöd?" in text
    assert "Svarade på frågan" in text
    docx = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/report.docx")
    document = Document(io.BytesIO(docx.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Lokala handlingsplaner och deras uppföljning" in headings
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Alby" in cells


def test_snapshots_are_stored_once_a_month_and_shown_over_time(client, world, places):
    make_service(world.home, areas=[places["alby"]])
    month = timezone.localdate().replace(day=1)
    first = services.take_snapshots(month)
    assert services.take_snapshots(month) == first  # again: the same rows, replaced
    assert CoverageSnapshot.objects.filter(month=month).count() == first
    services.take_snapshots(month - timedelta(days=40))
    assert CoverageSnapshot.objects.get(area=places["alby"], month=month).verified == 1
    client.force_login(world.users[Role.VIEWER])
    html = client.get("/sv/staff/insights/areas/0127-uo-alby/").content.decode()
    assert month.strftime("%Y-%m") in html


def test_the_national_overview_lists_every_county(client, world, places):
    make_service(world.home, areas=[places["botkyrka"]])
    client.force_login(world.users["national_viewer"])
    response = client.get(f"/sv/staff/{world.national.slug}/insights/national/")
    html = response.content.decode()
    assert "Stockholms län" in html
    assert "Skåne län" in html
    assert client.get(f"/sv/staff/{world.national.slug}/insights/national/overview.xlsx").status_code == 200


def test_my_insights_goes_to_the_dashboard_of_the_organisations_level(client, world):
    for actor, target in [
        (Role.VIEWER, f"/sv/staff/{world.home.slug}/insights/"),
        ("county_board_viewer", f"/sv/staff/{world.county_board.slug}/insights/county/"),
        ("national_viewer", f"/sv/staff/{world.national.slug}/insights/national/"),
    ]:
        client.force_login(world.users[actor])
        assert client.get("/sv/staff/insights/")["Location"] == target


def test_the_coverage_pages_run_a_bounded_number_of_queries(client, world, places, django_assert_max_num_queries):
    for n in range(30):
        make_service(world.home, name=f"Grupp {n}", areas=[places["alby"] if n % 2 else places["botkyrka"]])
    GapRule.objects.create(organisation=world.county_board, band="8-12", level="indicated", area_kind="vulnerable_area")
    client.force_login(world.users["county_board_viewer"])
    with django_assert_max_num_queries(17):
        assert client.get("/sv/staff/insights/areas/0127/").status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(f"/sv/staff/{world.county_board.slug}/insights/county/").status_code == 200


def test_the_county_page_draws_a_map_where_every_municipality_has_a_shape(client, world, places):
    client.force_login(world.users["county_board_viewer"])
    url = f"/sv/staff/{world.county_board.slug}/insights/county/"
    assert 'class="area-grid"' in client.get(url).content.decode()  # no shapes: the grid
    square = rectangle(17.8, 59.2, 17.9, 59.3)
    Area.objects.filter(kind=AreaKind.MUNICIPALITY, county=places["county"]).update(shape=square)
    html = client.get(url).content.decode()
    assert 'class="chart map"' in html
    assert "url(#gap-hatch)" in html  # Botkyrka has gaps under the default rules: hatched, not only coloured
    assert 'class="area-grid"' not in html
    label = "Testkommun 0127: 0 kontrollerade insatser, 7 luckor"
    assert f'<a href="/sv/staff/insights/areas/0127/" aria-label="{label}"' in html, "each area a link, in words"
    assert "/sv/staff/insights/areas/0127-uo-alby/" not in html.split('class="chart map"')[1].split("</svg>")[0]
    places["alby"].shape = square
    places["alby"].save()
    drawn = client.get(url).content.decode().split('class="chart map"')[1].split("</svg>")[0]
    assert '<a href="/sv/staff/insights/areas/0127-uo-alby/" aria-label="Alby">' in drawn, "vulnerable areas on top"


def test_the_county_map_keeps_proportions_and_stays_small_with_the_real_boundaries(client, world):
    from stodkedjan.geo import services as geo_services

    geo_services.load_reference_data()
    stockholm = Area.objects.get(code="01")
    world.county_board.area = stockholm
    world.county_board.save()
    client.force_login(world.users["county_board_viewer"])
    html = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/").content.decode()
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    assert svg.count("<a href=") == 26 + Area.objects.current().filter(county=stockholm, kind="vulnerable_area").count()
    assert len(svg.encode()) < 60_000
    width, height = (float(v) for v in svg.split('viewBox="')[1].split('"')[0].split()[2:])
    assert 0.6 < width / height < 1.2, "Stockholm county is about as wide as tall once longitude is scaled"


def test_the_national_overview_maps_every_county_and_vulnerable_area_in_under_60_kb(client, world):
    from stodkedjan.geo import services as geo_services

    geo_services.load_reference_data()
    world.national.area = Area.objects.get(code="SE")
    world.national.save()
    client.force_login(world.users["national_viewer"])
    html = client.get(f"/sv/staff/{world.national.slug}/insights/national/").content.decode()
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    assert 'role="group"' in svg  # it holds links: a group, not an image
    assert "<title>Karta över länen och de utsatta områdena</title>" in svg
    assert svg.count('<a href="/sv/staff/insights/areas/') == 21 + 65
    assert '<a href="/sv/staff/insights/areas/12/" aria-label="Skåne län: 0 kontrollerade insatser"' in svg
    assert len(svg.encode()) < 60_000


def test_tampered_rule_posts_get_a_clear_answer_not_an_error(client, world, county_admin):
    client.force_login(county_admin)
    url = f"/sv/staff/{world.county_board.slug}/insights/rules/"
    assert client.post(url + "rule/", {"rule": "abc", "action": "delete"}).status_code == 404
    assert client.post(url + "language/", {"expected": "x'; drop", "action": "delete"}).status_code == 302
    bad = client.post(url + "settings/", {"stale_after_months": "-3"})
    assert bad.status_code == 400
    assert 'value="-3"' in bad.content.decode()
    missing = client.post(url + "rule/", {"band": "99", "level": "indicated"})
    assert missing.status_code == 400


def test_the_level_headings_follow_the_pages_language(client, world, places):
    """They were once made at import, in whichever language was active then."""
    client.force_login(world.users[Role.VIEWER])
    assert ">Universal</th>" in client.get("/en/staff/insights/areas/0127/").content.decode()
    assert ">Universell</th>" in client.get("/sv/staff/insights/areas/0127/").content.decode()
    assert ">Universal</th>" in client.get("/en/staff/insights/areas/0127/").content.decode()


def test_map_labels_stay_inside_the_drawing(client, world, places):
    west = rectangle(10.0, 59.0, 11.0, 60.0)
    east = rectangle(11.0, 59.0, 14.0, 60.0)
    Area.objects.filter(kind=AreaKind.MUNICIPALITY, county=places["county"]).update(shape=east)
    long_name = "En kommun med ett långt namn i väster"
    Area.objects.filter(pk=places["botkyrka"].pk).update(shape=west, name=long_name)
    client.force_login(world.users["county_board_viewer"])
    html = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/").content.decode()
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    labels = re.findall(r'<text x="([\d.-]+)"[^>]*>([^<]+)</text>', svg)
    assert any(text.startswith(long_name) for _x, text in labels)
    for x, text in labels:
        assert float(x) - len(text) * 6.5 / 2 >= -10.5, text


def test_an_area_page_maps_the_places_in_and_near_the_area(client, world, places):
    from stodkedjan.directory.models import Location

    square = rectangle(17.8, 59.2, 17.9, 59.3)
    beside = rectangle(17.9, 59.2, 18.0, 59.3)
    far = rectangle(16.0, 58.0, 16.1, 58.1)
    Area.objects.filter(pk=places["alby"].pk).update(shape=square)
    Area.objects.filter(pk=places["fittja"].pk).update(shape=beside)
    Area.objects.create(
        code="0127-uo-bort",
        name="Långt bort",
        kind=AreaKind.VULNERABLE_AREA,
        parent=places["botkyrka"],
        county=places["county"],
        list_year=2025,
        shape=far,
    )

    def place(name, latitude, longitude):
        return Location.objects.create(
            organisation=world.home, name=name, municipality=places["botkyrka"], latitude=latitude, longitude=longitude
        )

    make_service(world.home, areas=[places["alby"]], location=place("Albygården", 59.25, 17.85))
    make_service(world.home, areas=[places["alby"]], location=place("Fittja bibliotek", 59.25, 17.92))
    make_service(world.home, areas=[places["botkyrka"]], location=place("Kommunhuset", 59.6, 17.85))
    make_service(world.home, areas=[places["fittja"]], location=place("Bara för Fittja", 59.25, 17.97))
    client.force_login(world.users["county_board_viewer"])
    html = client.get("/sv/staff/insights/areas/0127-uo-alby/").content.decode()
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    assert "<desc>1 plats i området, 1 i närheten.</desc>" in svg
    assert "<title>Albygården: 1 insats</title>" in svg
    assert svg.count("<circle") == 2, "the Fittja-only place does not serve Alby; the town hall lies too far"
    assert 'fill="#fff" stroke="#111"' in svg.split("Fittja bibliotek")[0].rsplit("<circle", 1)[1], "near: a ring"
    assert '<a href="/sv/staff/insights/areas/0127-uo-fittja/" aria-label="Fittja">' in svg, "the neighbour"
    assert "0127-uo-bort" not in svg, "areas outside the frame are not drawn"
    assert "1 plats till ligger längre bort och ritas inte ut." in html
    assert "<td>Fittja bibliotek</td><td></td><td>1</td><td>i närheten av området</td>" in html
    assert len(svg.encode()) < 60_000


def test_the_county_report_carries_the_county_map_in_the_pdf_and_as_a_picture_in_word(client, world, places):
    from docx import Document
    from PIL import Image
    from pypdf import PdfReader

    from stodkedjan.insights import report

    square = rectangle(17.8, 59.2, 17.9, 59.3)
    Area.objects.filter(kind=AreaKind.MUNICIPALITY, county=places["county"]).update(shape=square)
    Area.objects.filter(pk=places["alby"].pk).update(shape=square)
    coverage = next(
        s for s in report.sections(world.county_board) if s.title == "Täckning och luckor i utsatta områden"
    )
    assert "<title>Karta över Stockholms län: kontrollerade insatser och luckor per kommun</title>" in coverage.map
    assert "<a " not in coverage.map, "no links in print"
    assert "url(#gap-hatch)" in coverage.map
    client.force_login(world.users["county_board_viewer"])
    pdf = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/report.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "streckat: luckor i stödkedjan" in text
    assert "Testkommun 0127 0" in text, "the map's labels are text in the PDF"
    docx = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/report.docx")
    document = Document(io.BytesIO(docx.content))
    pictures = list(document.inline_shapes)
    assert len(pictures) == 2  # the bar chart and the map
    blobs = [p.blob for p in document.part.package.parts if p.content_type == "image/png"]
    sizes = {Image.open(io.BytesIO(blob)).size[0] for blob in blobs}
    assert sizes == {1200}
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions
    assert captions[0].startswith("Kommunerna med antalet kontrollerade insatser")


def test_map_labels_that_would_overlap_are_left_to_the_links_and_the_table(client, world, places):
    wide = rectangle(10.0, 59.0, 14.0, 60.0)
    inner = rectangle(11.0, 59.25, 13.0, 59.65)
    Area.objects.filter(pk=places["botkyrka"].pk).update(shape=wide, name="Vida kommunen")
    other = Area.objects.create(
        code="0126",
        name="Inre kommunen",
        kind=AreaKind.MUNICIPALITY,
        parent=places["county"],
        county=places["county"],
        shape=inner,
    )
    client.force_login(world.users["county_board_viewer"])
    html = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/").content.decode()
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    assert ">Vida kommunen 0</text>" in svg, "the wider area keeps its label"
    assert ">Inre kommunen 0</text>" not in svg, "the one under it would overlap: left out"
    assert (
        f'<a href="/sv/staff/insights/areas/{other.code}/" aria-label="Inre kommunen: 0 kontrollerade insatser' in svg
    )


def test_the_county_report_can_be_sent_as_it_is(client, world, places):
    """A4 in both files; Word with the title and the board in the header, "Sida x av y" fields in the footer,
    the board as author and today as created; a heading over every table; gaps in vulnerable areas counted
    apart from the municipalities'; nothing in English."""
    from docx import Document
    from pypdf import PdfReader

    make_service(world.home, areas=[places["alby"]])
    client.force_login(world.users["county_board_viewer"])
    pdf = PdfReader(io.BytesIO(client.get(f"/sv/staff/{world.county_board.slug}/insights/county/report.pdf").content))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages} == {(595, 842)}
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Sida 1 av" in text
    assert "sammanställd ur Stödkedjans uppgifter" in text
    assert "Kontrollerade insatser och luckor i varje utsatt område" in text  # the table's heading
    gaps = r"\d+ luckor? i stödkedjan i länets \d+ utsatta\s+områden; \d+ till i kommunerna som\s+helhet"
    assert re.search(gaps, text)
    for english in ("not verified", "organisations", "made from", "Page ", "gaps"):
        assert english not in text, english
    docx = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/report.docx")
    document = Document(io.BytesIO(docx.content))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert world.county_board.name in section.header.paragraphs[0].text
    footer = section.footer._element.xml
    assert "PAGE" in footer
    assert "NUMPAGES" in footer
    assert section.footer.paragraphs[0].text.startswith("Sida ")
    properties = document.core_properties
    assert properties.title.startswith("Föräldraskapsstöd som förebygger brott")
    assert properties.author == world.county_board.name
    assert properties.created.date() == timezone.now().date()
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "Kontrollerade insatser och luckor i varje utsatt område" in headings
    assert "tblHeader" in document.element.xml, "table headings repeat on every page"


def test_the_county_filters_its_gaps_to_vulnerable_areas_lacking_indicated_support_for_8_to_12(client, world, places):
    """Which vulnerable area lacks which support for which age: the filters are in the address, vulnerable
    areas come first, and the download holds the same rows."""
    make_service(world.home, ages=(8, 12), level="indicated", areas=[places["fittja"]])
    client.force_login(world.users["county_board_viewer"])
    county = f"/sv/staff/{world.county_board.slug}/insights/county/"
    everything = client.get(county).context["gaps"]
    assert [g.area.kind for g in everything][:2] == ["vulnerable_area", "vulnerable_area"], "vulnerable areas first"
    query = {"kind": "vulnerable_area", "band": "8-12", "level": "indicated"}
    response = client.get(county, query)
    chosen = response.context["gaps"]
    assert [g.area.name for g in chosen] == ["Alby"]  # Fittja has one
    assert len(chosen) < len(everything)
    html = response.content.decode()
    assert '<option value="vulnerable_area" selected>' in html
    assert "1 lucka visas av" in html
    csv_url = (
        f"/sv/staff/insights/areas/{places['county'].code}/gaps.csv?kind=vulnerable_area&band=8-12&level=indicated"
    )
    assert csv_url.split("/sv")[1].replace("&", "&amp;") in html
    rows = list(csv.reader(io.StringIO(client.get(csv_url).content.decode("utf-8-sig")), delimiter=";"))
    gap_rows = rows[2 : rows.index([])]
    assert [row[0] for row in gap_rows] == ["Alby"]
    assert client.get(county, {"kind": "planet", "band": "x"}).status_code == 200, "unknown values are dropped"


def test_the_county_report_says_which_follow_ups_are_late_every_answer_and_the_change_since_last_time(world, places):
    """The follow-up section names each plan's T1, T2 and VB in words (late ones as late), every choice question
    of a survey round has its own headed table, and coverage is compared with the newest earlier snapshot."""
    from django.utils.translation import override

    from stodkedjan.insights import report
    from stodkedjan.plans import services as plan_services
    from stodkedjan.plans.models import ActionPlan

    today = timezone.localdate()
    plan = ActionPlan.objects.create(
        organisation=world.home, title="Plan för Botkyrka", period_start=today.year, period_end=today.year
    )
    plan_services.open_round(plan, "T1", today.year, today - timedelta(days=3), None)
    survey = make_round(world.county_board, min_cell_size=3)
    add_responses(survey, 6, support="yes", arenas=["bvc", "school"])
    add_responses(survey, 4, support="no", arenas=["library"])
    make_service(world.home, areas=[places["alby"]])
    with override("sv"):
        first = next(s for s in report.sections(world.county_board) if s.title.startswith("Förändring"))
        assert first.paragraphs[0].startswith("Ingen ögonblicksbild")
        assert not first.tables
    services.take_snapshots((today.replace(day=1) - timedelta(days=40)).replace(day=1))
    make_service(world.home, areas=[places["fittja"]])

    with override("sv"):
        found = {s.title: s for s in report.sections(world.county_board)}
        follow_up = found["Lokala handlingsplaner och deras uppföljning"]
        assert "sena 1," in follow_up.paragraphs[0]
        plans = dict(follow_up.titled_tables)[f"Uppföljningarna {today.year}, plan för plan"]
        assert plans[1][:3] == [
            world.home.name,
            "Plan för Botkyrka",
            f"sen: sista dag {date_format(today - timedelta(days=3))}",
        ]
        assert plans[1][3:] == ["inte öppnad", "inte öppnad"]

        parents = dict(found["Vad föräldrarna sa"].titled_tables)
        assert parents[f"{survey.title}: Får du stöd?"][1:] == [["Ja", "6"], ["Nej", "4"], ["Svarade på frågan", "10"]]
        assert parents[f"{survey.title}: Var?"][1:] == [
            ["BVC", "6"],
            ["Skolan", "6"],
            ["Biblioteket", "4"],
            ["Svarade på frågan", "10"],
        ]

        change = found["Förändring sedan förra ögonblicksbilden"]
        ((_title, rows),) = change.titled_tables
        county = next(row for row in rows if row[0] == places["county"].name)
        assert county[2:] == [str(int(county[1]) + 1), "+1"]


def test_the_county_sees_the_languages_of_each_vulnerable_area_for_one_age_band_and_level(client, world, places):
    """For 8–12 at the indicated level: each vulnerable area's verified offerings with their languages, named in
    Swedish, and the languages the county board expects there without an offering; the same in the download
    and, cell by cell, in the area's own support chain."""
    make_service(world.home, ages=(8, 12), level="indicated", areas=[places["alby"]], languages=("so", "ar"))
    make_service(world.home, ages=(8, 12), level="indicated", areas=[places["alby"]], languages=("so",))
    make_service(world.home, ages=(0, 5), areas=[places["alby"]], languages=("ti",))  # another band
    services.add_expected_language(world.county_board, places["alby"], "ti", "SCB")
    client.force_login(world.users["county_board_viewer"])
    query = {"kind": "vulnerable_area", "band": "8-12", "level": "indicated"}
    response = client.get(f"/sv/staff/{world.county_board.slug}/insights/county/", query)
    rows = {row.area.name: row for row in response.context["area_languages"]}
    assert (rows["Alby"].offerings, rows["Alby"].named) == (2, [("somaliska", 2), ("arabiska", 1)])
    assert rows["Alby"].named_missing == ["tigrinja"], "tigrinja is given, but only for 0–5"
    assert (rows["Fittja"].offerings, rows["Fittja"].languages) == (0, [])
    html = response.content.decode()
    assert "Språk i de utsatta områdena" in html
    assert "somaliska (2), arabiska (1)" in html
    download = client.get(f"/sv/staff/insights/areas/{places['county'].code}/gaps.csv", query)
    text = download.content.decode("utf-8-sig")
    assert "Alby;8–12 år (tidiga insatser);indikerad;2;somaliska (2), arabiska (1);tigrinja" in text
    chain = client.get(f"/sv/staff/insights/areas/{places['alby'].code}/").context["chain"]
    early = next(row for row in chain if row["band"] == "8-12")
    indicated = next(item for item in early["cells"] if item["level"] == "indicated")
    assert indicated["languages"] == ["somaliska", "arabiska"]
