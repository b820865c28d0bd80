import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from stodkedjan.geo import services
from stodkedjan.geo.models import Area, AreaKind, PoliceCategory, VulnerableAreaAssessment

CODE_PATTERNS: dict[str, str] = {
    AreaKind.COUNTRY: r"SE",
    AreaKind.COUNTY: r"\d{2}",
    AreaKind.MUNICIPALITY: r"\d{4}",
    AreaKind.DISTRICT: r"\d{4}-[a-z0-9-]+",
    AreaKind.VULNERABLE_AREA: r"\d{4}-uo-[a-z0-9-]+",
}


@pytest.fixture
def loaded(db):
    services.load_reference_data()


def kind_counts() -> dict[str, int]:
    return dict(Area.objects.values_list("kind").annotate(n=Count("id")))


def test_sweden_has_21_counties_and_290_municipalities(loaded):
    counts = kind_counts()
    assert counts[AreaKind.COUNTRY] == 1
    assert counts[AreaKind.COUNTY] == 21
    assert counts[AreaKind.MUNICIPALITY] == 290


def test_every_code_is_unique_and_well_formed(loaded):
    codes = list(Area.objects.values_list("code", "kind"))
    assert len({code for code, _kind in codes}) == len(codes)
    for code, kind in codes:
        assert re.fullmatch(CODE_PATTERNS[kind], code), (code, kind)


def test_municipality_codes_begin_with_their_county_code(loaded):
    for municipality in Area.objects.filter(kind=AreaKind.MUNICIPALITY).select_related("county", "parent"):
        assert municipality.code[:2] == municipality.county.code == municipality.parent.code


@pytest.mark.parametrize(("county", "municipalities"), [("01", 26), ("12", 33), ("14", 49), ("09", 1)])
def test_counties_have_the_municipality_counts_scb_publishes(loaded, county, municipalities):
    assert Area.objects.filter(kind=AreaKind.MUNICIPALITY, county__code=county).count() == municipalities


def test_stockholm_has_its_13_district_areas(loaded):
    districts = Area.objects.filter(kind=AreaKind.DISTRICT, parent__code="0180")
    assert districts.count() == 13
    assert districts.filter(name="Skärholmen", county__code="01").exists()


def test_the_2025_list_is_loaded_with_the_2023_stockholm_entries_as_history(loaded):
    areas = Area.objects.filter(kind=AreaKind.VULNERABLE_AREA)
    current = areas.filter(list_year=2025)
    assert current.count() == 65
    assert current.filter(police_category=PoliceCategory.PARTICULARLY_VULNERABLE).count() == 19
    assert current.exclude(shape=None).count() == 65, "every current area has its boundary"
    assert {"12", "14"} <= set(current.values_list("county__code", flat=True)), "Skåne and Västra Götaland too"
    alby = areas.get(name="Alby")
    assert alby.parent.code == "0127"
    assert alby.county.code == "01"
    assert list(alby.police_assessments.values_list("list_year", flat=True)) == [2025, 2023]
    bredang = areas.get(name="Bredäng")
    assert bredang.parent.name == "Skärholmen", "placed in its district area where it lies in one"
    replaced = areas.get(code="0180-uo-rinkeby-tensta")
    assert replaced.list_year == 2023
    assert set(replaced.replaced_by.values_list("name", flat=True)) == {"Rinkeby", "Tensta"}
    assert Area.objects.current().filter(kind=AreaKind.VULNERABLE_AREA).count() == 65, "the replaced are not offered"
    assert VulnerableAreaAssessment.objects.filter(list_year=2023).count() == 22
    assert VulnerableAreaAssessment.objects.filter(list_year=2025).count() == 65


def test_municipalities_and_counties_have_boundaries_and_a_point_inside(loaded):
    from shapely.geometry import Point, shape

    for code in ("0127", "1280", "01", "12"):
        area = Area.objects.get(code=code)
        assert shape(area.shape).contains(Point(area.centroid_longitude, area.centroid_latitude)), code


def test_loading_twice_changes_nothing(loaded):
    before = kind_counts()
    report = services.load_reference_data()
    assert report.total("created") == 0
    assert report.total("updated") == 0
    assert kind_counts() == before
    assert VulnerableAreaAssessment.objects.count() == 22 + 65


def test_the_command_reports_what_it_did(db, capsys):
    call_command("load_reference_data")
    assert "290 created" in capsys.readouterr().out


def write_list(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "lista.csv"
    path.write_text("omrade,kommun,kommunkod,kategori,lista_ar,kalla\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_new_police_list_updates_the_category_and_keeps_history(loaded, tmp_path):
    path = write_list(
        tmp_path, ["Alby,Botkyrka,0127,utsatt område,2027,test", "Granängsringen,Tyresö,0138,utsatt område,2027,test"]
    )
    assert services.import_vulnerable_areas(path) == 2
    alby = Area.objects.get(code="0127-uo-alby")
    assert (alby.police_category, alby.list_year) == (PoliceCategory.VULNERABLE, 2027)
    assert list(alby.police_assessments.values_list("list_year", "category")) == [
        (2027, PoliceCategory.VULNERABLE),
        (2025, PoliceCategory.PARTICULARLY_VULNERABLE),
        (2023, PoliceCategory.PARTICULARLY_VULNERABLE),
    ]
    assert Area.objects.get(code="0138-uo-granangsringen").parent.name == "Tyresö"


def test_an_older_list_imported_later_does_not_overwrite_the_newer_category(loaded, tmp_path):
    services.import_vulnerable_areas(write_list(tmp_path, ["Alby,Botkyrka,0127,riskområde,2021,test"]))
    alby = Area.objects.get(code="0127-uo-alby")
    assert (alby.police_category, alby.list_year) == (PoliceCategory.PARTICULARLY_VULNERABLE, 2025)


def test_a_bad_list_reports_every_bad_row_and_imports_nothing(loaded, tmp_path):
    path = write_list(
        tmp_path,
        [
            "Nyområdet,Botkyrka,0127,utsatt område,2025,ok",
            "Felkod,Ingenstans,9999,utsatt område,2025,",
            "Felkategori,Botkyrka,0127,lite utsatt,2025,",
            "Felår,Botkyrka,0127,utsatt område,tjugo,",
            "Nyområdet,Botkyrka,0127,utsatt område,2025,dubblett",
        ],
    )
    before = Area.objects.count()
    with pytest.raises(services.ImportRejected) as rejected:
        services.import_vulnerable_areas(path)
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (3, "kommunkod"),
        (4, "kategori"),
        (5, "lista_ar"),
        (6, "omrade"),
    ]
    assert Area.objects.count() == before
    assert not Area.objects.filter(name="Nyområdet").exists()


def test_a_file_without_the_expected_columns_is_rejected(loaded, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text("namn,kod\nAlby,0127\n", encoding="utf-8")
    with pytest.raises(services.ImportRejected) as rejected:
        services.import_vulnerable_areas(path)
    assert {e.column for e in rejected.value.errors} == {"omrade", "kommunkod", "kategori", "lista_ar"}


def test_the_import_command_prints_each_error_and_fails(loaded, tmp_path, capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_vulnerable_areas", str(write_list(tmp_path, ["X,Y,9999,utsatt område,2025,"])))
    assert "9999" in capsys.readouterr().err
