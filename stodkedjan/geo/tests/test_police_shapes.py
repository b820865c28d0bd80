"""The police's 2025 list as published (GeoJSON in SWEREF 99 TM): 65 areas with their boundaries, each in its
municipality, the 2023 entries kept as history with their successors, and places placed by their coordinates."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stodkedjan.directory.models import Location
from stodkedjan.directory.tests.factories import make_location
from stodkedjan.geo import services, shapes
from stodkedjan.geo.models import Area, AreaKind, PoliceCategory
from stodkedjan.geo.services import DATA_DIR

POLICE_2025 = DATA_DIR / "utsatta_omraden_2025.geojson"


@pytest.fixture
def listed_2025(db):
    services.load_reference_data()  # Sweden, the 2023 entries for Stockholm county and the 2025 list
    assert services.import_police_geojson(POLICE_2025, 2025) == 65  # importing the same list again changes nothing


def current() -> list[Area]:
    return list(Area.objects.filter(kind=AreaKind.VULNERABLE_AREA, list_year=2025))


def test_all_65_areas_of_2025_are_placed_each_inside_its_municipality(listed_2025):
    areas = current()
    assert len(areas) == 65
    assert sum(a.police_category == PoliceCategory.PARTICULARLY_VULNERABLE for a in areas) == 19
    assert not any(a.police_category == PoliceCategory.RISK for a in areas)  # no riskområde in 2025
    assert len({a.county_id for a in areas}) > 5  # far beyond Stockholm
    for area in areas:
        municipality = services.municipality_of(area)
        assert municipality is not None
        assert area.code.startswith(municipality.code)
        assert area.shape is not None
        assert area.shape["type"] in ("Polygon", "MultiPolygon")
        lat, lon = area.centroid_latitude or 0.0, area.centroid_longitude or 0.0
        assert 55 < lat < 69, "reprojected to WGS 84"
        assert 11 < lon < 25
        away = services.metres_from_municipality(municipality.code, lat, lon)
        assert away is not None
        assert away < shapes.MARGIN_METRES
    assert Area.objects.get(name="Rosengård").code.startswith("1280-uo-")  # Malmö


def test_areas_of_2023_stay_with_their_year_and_say_what_replaced_them(listed_2025):
    alby = Area.objects.get(code="0127-uo-alby")  # on both lists: one area, two assessments
    assert sorted(alby.police_assessments.values_list("list_year", flat=True)) == [2023, 2025]
    hallunda = Area.objects.get(code="0127-uo-hallunda-norsborg")  # "Hallunda / Norsborg" in 2025
    assert hallunda.list_year == 2025
    old = Area.objects.get(code="0180-uo-rinkeby-tensta")
    assert old.list_year == 2023
    assert sorted(a.name for a in old.replaced_by.all()) == ["Rinkeby", "Tensta"]
    ronna = Area.objects.get(code="0181-uo-ronna-geneta-lina")
    assert sorted(a.name for a in ronna.replaced_by.all()) == ["Geneta", "Lina", "Ronna"]
    assert Area.objects.get(code="0180-uo-husby").parent.code == "0180-rinkeby-kista"  # its district, as before


@pytest.mark.parametrize(
    ("where", "latitude", "longitude", "expected"),
    [
        ("Rinkeby centrum", 59.3884, 17.9285, "Rinkeby"),
        ("Rosengård centrum", 55.5840, 13.0440, "Rosengård"),
        ("Uppsala, Stora torget", 59.8586, 17.6389, None),
    ],
)
def test_a_location_is_placed_in_the_vulnerable_area_it_lies_in(
    listed_2025, world, where, latitude, longitude, expected
):
    municipality = Area.objects.get(code={"Rinkeby": "0180", "Rosengård": "1280"}.get(expected or "", "0380"))
    location = Location.objects.create(
        organisation=world.home, name=where, municipality=municipality, latitude=latitude, longitude=longitude
    )
    placed = location.vulnerable_area.name if location.vulnerable_area else None
    assert placed == expected
    assert location.outside_municipality is False


def test_a_location_far_outside_the_municipality_it_names_is_flagged(listed_2025, world):
    botkyrka = Area.objects.get(code="0127")
    location = Location.objects.create(
        organisation=world.home, name="Fel ort", municipality=botkyrka, latitude=59.8586, longitude=17.6389
    )
    assert location.outside_municipality is True
    location.latitude, location.longitude = 59.2490, 17.8610  # Fittja centrum, Botkyrka
    location.save()
    assert location.outside_municipality is False
    assert location.vulnerable_area is not None
    assert location.vulnerable_area.name == "Fittja"


def test_a_bad_geojson_reports_every_feature_and_imports_nothing(listed_2025, tmp_path):
    document = json.loads(POLICE_2025.read_text())
    document["features"][0]["properties"]["KATEGORI"] = "lite utsatt"
    document["features"][1]["geometry"] = {"type": "Point", "coordinates": [674000, 6580000]}
    document["features"][2]["properties"]["NAMN"] = ""
    path = tmp_path / "lista_2027.geojson"
    path.write_text(json.dumps(document))
    before = Area.objects.count()
    with pytest.raises(services.ImportRejected) as rejected:
        services.import_police_geojson(path, 2027)
    assert sorted((e.row, e.column) for e in rejected.value.errors) == [(1, "KATEGORI"), (2, "geometry"), (3, "NAMN")]
    assert Area.objects.count() == before
    assert not Area.objects.filter(list_year=2027).exists()


def test_the_command_reads_the_year_from_the_file_name(db, capsys, tmp_path):
    services.load_reference_data()
    call_command("import_vulnerable_areas", str(POLICE_2025))
    assert "65 areas imported" in capsys.readouterr().out
    unnamed = tmp_path / "omraden.geojson"
    unnamed.write_bytes(POLICE_2025.read_bytes())
    with pytest.raises(CommandError, match="--year"):
        call_command("import_vulnerable_areas", str(unnamed))


def test_the_organisation_sees_a_place_that_lies_outside_its_municipality(listed_2025, world, client):
    from stodkedjan.directory.tests.factories import make_service

    botkyrka = Area.objects.get(code="0127")
    wrong = make_location(world.home, area=botkyrka, lat=59.8586, lon=17.6389)  # Uppsala
    right = make_location(world.home, area=botkyrka, lat=59.2490, lon=17.8610)  # Fittja
    service = make_service(world.home, name="Föräldraträff")
    service.service_at_locations.create(location=wrong)
    service.service_at_locations.create(location=right)
    client.force_login(world.users["editor"])
    html = client.get(f"/sv/staff/services/{service.pk}/").content.decode()
    assert html.count("Platsen ligger utanför Botkyrka") == 1
    assert "Fittja" in html


def test_places_saved_before_the_list_are_placed_by_the_command(db, world, capsys):
    services.load_reference_data()
    rinkeby = make_location(world.home, area=Area.objects.get(code="0180"), lat=59.3884, lon=17.9285)
    assert rinkeby.vulnerable_area is not None  # placed when saved
    Location.objects.filter(pk=rinkeby.pk).update(vulnerable_area=None)  # as a place saved before the list came
    call_command("place_locations")
    assert "1 placed anew" in capsys.readouterr().out
    rinkeby.refresh_from_db()
    assert rinkeby.vulnerable_area is not None
    assert rinkeby.vulnerable_area.name == "Rinkeby"
    assert services.place_many([(59.3884, 17.9285), (59.8586, 17.6389)]) == [rinkeby.vulnerable_area.pk, None]
