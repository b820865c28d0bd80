"""The providers' spreadsheet: template, preview with every error by row and column, atomic import, export."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from conftest import World
from stodkedjan.accounts.models import Role
from stodkedjan.directory import spreadsheet
from stodkedjan.directory.models import Service, Status

HEADER = [c.header for c in spreadsheet.COLUMNS]


def csv_file(rows: list[dict[str, str]]) -> bytes:
    lines = [";".join(HEADER)]
    for row in rows:
        lines.append(";".join(row.get(h, "") for h in HEADER))
    return "\n".join(lines).encode("utf-8")


def good_row(world: World, **changes: str) -> dict[str, str]:
    row = {
        "Namn": "Öppen förskola Alby",
        "Beskrivning": "Lek och sång.",
        "Nivå": "universell",
        "Ålder från": "0",
        "Ålder till": "5",
        "Format": "drop-in",
        "Arena": "öppen förskola",
        "Språk": "svenska, somaliska",
        "Kostnadsfritt": "ja",
        "Områden": world.home.area.code,
        "Plats": "Albyhuset",
        "Platsens kommun": world.home.area.code,
        "Veckodagar": "mån, ons",
        "Tid från": "09:00",
        "Tid till": "12:00",
        "Publicera": "ja",
    }
    row.update(changes)
    return row


def upload(client: Any, world: World, content: bytes, name: str = "erbjudanden.csv") -> Any:
    client.force_login(world.users[Role.EDITOR])
    file = io.BytesIO(content)
    file.name = name
    return client.post(f"/sv/staff/{world.home.slug}/services/import/", {"file": file})


def test_the_template_downloads_in_both_formats_and_imports_cleanly(client: Any, world: World) -> None:
    world.home.area.code = "0127"
    world.home.area.save()
    client.force_login(world.users[Role.VIEWER])
    xlsx = client.get(f"/sv/staff/{world.home.slug}/services/template/")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    csv = client.get(f"/sv/staff/{world.home.slug}/services/template/?format=csv")
    assert csv.content.decode("utf-8-sig").splitlines()[0] == ";".join(HEADER)
    rows = spreadsheet.parse(world.home, "mall.xlsx", xlsx.content)
    assert [r["name"] for r in rows] == ["Föräldragrupp ABC – Alla Barn i Centrum"]


def test_a_good_file_is_previewed_then_imported_once(client: Any, world: World) -> None:
    response = upload(client, world, csv_file([good_row(world), good_row(world, Namn="Föräldracafé", Publicera="nej")]))
    assert response.status_code == 302
    assert not Service.objects.exists(), "nothing is saved before the preview is confirmed"
    preview = client.get(response["Location"]).content.decode()
    assert "2 insatser, inga problem hittades" in preview
    client.post(response["Location"])
    assert client.post(response["Location"]).status_code == 404, "a second confirmation imports nothing"
    assert Service.objects.count() == 2
    published = Service.objects.get(name_sv="Öppen förskola Alby")
    assert published.status == Status.ACTIVE
    assert {t.code for t in published.terms.all()} == {"drop_in", "open_preschool", "sv", "so"}
    assert published.schedules.get().byday == "MO,WE"
    assert Service.objects.get(name_sv="Föräldracafé").status == Status.DRAFT


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_imported(client: Any, world: World) -> None:
    rows = [
        good_row(world),
        good_row(world, **{"Ålder från": "12", "Ålder till": "4", "Startdatum": "2027-13-45"}),
        good_row(world, Områden="9999, Atlantis", Språk="klingonska"),
        good_row(world),  # a duplicate of row 2
        good_row(world, Namn="", Kostnadsfritt="kanske", **{"Tid från": "25:00"}),
    ]
    response = upload(client, world, csv_file(rows))
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert {
        (3, "Ålder till"),
        (3, "Startdatum"),
        (4, "Områden"),
        (4, "Språk"),
        (5, "Namn"),
        (6, "Namn"),
        (6, "Kostnadsfritt"),
        (6, "Tid från"),
    } <= errors
    html = response.content.decode()
    assert "Okänt område ”Atlantis”" in html
    assert "Raden är en dubblett av rad 2." in html
    assert not Service.objects.exists()


def test_wrong_columns_and_broken_files_are_refused_with_a_reason(client: Any, world: World) -> None:
    wrong = upload(client, world, b"Titel;Beskrivning\nABC;Text\n")
    messages = [e.message for e in wrong.context["errors"]]
    assert "Okänd kolumn ”Titel”. Använd mallens kolumnnamn." in messages
    assert "Kolumnen ”Namn” saknas." in messages
    broken = upload(client, world, b"PK\x03\x04 not really a workbook", name="trasig.xlsx")
    assert broken.status_code == 400
    assert "kunde inte läsas som XLSX" in broken.content.decode()
    assert upload(client, world, b"", name="tom.csv").status_code == 200, "an empty upload is a form error"
    assert not Service.objects.exists()


def test_export_then_import_updates_the_same_offerings(client: Any, world: World) -> None:
    upload(client, world, csv_file([good_row(world)]))
    batch_url = f"/sv/staff/{world.home.slug}/services/import/"
    client.post(client.post(batch_url, {"file": _named(csv_file([good_row(world, Namn="Andra")]))})["Location"])
    client.post(upload(client, world, csv_file([good_row(world)]))["Location"])
    before = Service.objects.count()
    exported = client.get(f"/sv/staff/{world.home.slug}/services/export/").content
    sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
    assert sheet.max_row == before + 1
    again = upload(client, world, exported, name="export.xlsx")
    client.post(again["Location"])
    assert Service.objects.count() == before, "rows with an ID update their offering"


def _named(content: bytes) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = "fil.csv"
    return file
