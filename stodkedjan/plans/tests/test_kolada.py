"""Kolada's answers as Kolada serves them: a real v2 KPI list, v2 and v3 envelopes, paging, regions and the
country, and a plain refusal for everything that is not KPI metadata or data (files: kolada/SOURCE.md)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from stodkedjan.accounts.models import Role
from stodkedjan.plans.indicators import KoladaRejected, import_kolada, kolada_area_code, unit_of
from stodkedjan.plans.models import Indicator, IndicatorValue

FILES = Path(__file__).parent / "kolada"


def files(*names: str) -> list[tuple[str, str]]:
    return [(name, (FILES / name).read_text(encoding="utf-8")) for name in names]


def refusal(*names: str) -> str:
    with pytest.raises(KoladaRejected) as refused:
        import_kolada(files(*names))
    assert not Indicator.objects.exists()  # nothing written
    assert not IndicatorValue.objects.exists()
    return str(refused.value)


def test_the_real_v2_kpi_list_saved_bare_imports_all_110_with_their_units(db):
    result = import_kolada(files("kpi_metadata_v2_sample.json"))
    assert (result.indicators, Indicator.objects.count()) == (110, 110)
    first = Indicator.objects.get(code="N00002")
    assert first.title.startswith("Personalkostnader som andel")
    assert first.unit == "andel (%)"


def test_a_paged_v3_answer_with_regions_and_sweden_imports_whole(world):
    result = import_kolada(files("v3_data_page1.json", "v3_data_page2.json"))
    values = {(v.area.code, v.year, v.gender): (v.value, v.status, v.count) for v in IndicatorValue.objects.all()}
    assert values[("0127", 2023, "K")] == (63.5, "", 1)
    assert values[("01", 2023, "T")] == (71.2, "", 1)  # region 0001 is our county 01
    assert values[("SE", 2024, "T")] == (74.5, "", 1)  # 0000 is Sweden
    assert values[("0127", 2024, "T")] == (62.0, "Preliminary", 3)
    assert ("01", 2024, "T") not in values  # Kolada's missing value (status, no value)
    assert result.values == len(values) == 7


def test_the_pages_of_a_v2_kpi_list_join(db):
    import_kolada(files("v2_kpi_page2.json", "v2_kpi_page1.json"))
    assert sorted(Indicator.objects.values_list("code", flat=True)) == ["N15033", "N15419"]


def test_importing_the_same_pages_again_writes_nothing(world):
    pages = files("v3_data_page1.json", "v3_data_page2.json")
    import_kolada(pages)
    stored = list(IndicatorValue.objects.order_by("pk").values_list("pk", "value"))
    again = import_kolada(list(reversed(pages)) + pages[:1])  # another order, a page twice
    assert (again.values, again.unchanged) == (0, 7)
    assert list(IndicatorValue.objects.order_by("pk").values_list("pk", "value")) == stored


def test_a_missing_page_is_refused_saying_which(world):
    message = refusal("v3_data_page1.json")
    assert "page 2 of this answer is missing" in message
    assert "next_url" in message
    assert "next_page" in refusal("v2_kpi_page1.json")


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("v2_municipalities.json", "a municipality or region (0127, /municipality)"),
        ("v2_units.json", "an organisational unit (V15E012700101, /ou)"),
        ("v2_groups.json", "a municipality group (G33940, /municipality_groups)"),
        ("v3_oudata.json", "organisational unit V15E012700101 (/oudata)"),
        ("v3_group_data.json", "G33940 is a municipality group"),
        ("v3_bad_gender.json", "gender 'Total' is not T, K or M"),
    ],
)
def test_what_is_not_kpi_metadata_or_data_is_refused_with_a_reason(world, name, says):
    message = refusal(name)
    assert says in message
    if name.startswith("v2_"):
        assert "/v3/kpi" in message  # and what the importer wants instead


def test_an_envelope_without_values_says_what_to_save(db, tmp_path):
    with pytest.raises(KoladaRejected, match="Save the answer of /v3/kpi"):
        import_kolada([("odd.json", '{"data": []}')])


def test_the_command_reads_a_folder_of_pages(world, tmp_path):
    for name in ("v3_data_page1.json", "v3_data_page2.json"):
        (tmp_path / name).write_bytes((FILES / name).read_bytes())
    out = io.StringIO()
    call_command("import_indicators", "--kolada", str(tmp_path), stdout=out)
    assert "7 values imported, 0 unchanged" in out.getvalue()


@pytest.mark.parametrize(
    ("kolada", "ours"), [("0180", "0180"), ("0001", "01"), ("0025", "25"), ("0000", "SE"), ("G33940", "G33940")]
)
def test_kolada_ids_map_to_our_areas(kolada: str, ours: str) -> None:
    assert kolada_area_code(kolada) == ours


@pytest.mark.parametrize(
    ("title", "unit"),
    [("Elever i åk 9 som är behöriga, andel (%)", "andel (%)"), ("Kostnad, kr/inv", "kr/inv"), ("Antal", "")],
)
def test_the_unit_is_read_from_the_end_of_the_title(title: str, unit: str, db: Any) -> None:
    assert unit_of(title) == unit


def test_the_indicator_page_shows_the_municipality_beside_its_county_and_sweden(world, client):
    import_kolada(files("v3_data_page1.json", "v3_data_page2.json", "v2_kpi_page1.json", "v2_kpi_page2.json"))
    client.force_login(world.users[Role.VIEWER])  # a Botkyrka member
    html = client.get(reverse("plans:indicator_detail", kwargs={"code": "N15033"})).content.decode()
    names = (world.home.area.name, "Stockholms län", "Sverige")
    assert [name for name in names if f'<th scope="row">{name}</th>' in html] == list(names)
    assert "Källa: Kolada (RKA), nyckeltal N15033" in html
    assert "andel (%)" in html  # the unit, read from the title


def test_a_paging_link_without_a_readable_page_number_is_refused(world):
    page = {"values": [], "next_url": "https://api.kolada.se/v3/kpi?page=two"}
    with pytest.raises(KoladaRejected, match="no page number"):
        import_kolada([("odd.json", json.dumps(page))])
