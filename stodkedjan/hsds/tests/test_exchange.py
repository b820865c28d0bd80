"""import_hsds / export_hsds: round trips in every format, idempotent upserts, all-or-nothing with every error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stodkedjan.accounts.models import Organisation
from stodkedjan.directory.models import Location, Service
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.finder.models import InformationPage
from stodkedjan.hsds import exchange, write
from stodkedjan.hsds import vocabulary as vocab

EXAMPLES = Path(__file__).resolve().parents[1] / "reference" / "examples"
OBJECT_OF_TABLE = {r["path"]: r["name"] for r in exchange.PACKAGE["resources"]}


@pytest.fixture
def directory(world: Any) -> None:
    """Published offerings of two organisations, with places, schedules, contacts, and some not published."""
    place = make_location(world.home)
    place.accessibility = "Ramp vid entrén."
    place.save()
    make_service(world.home, name="Föräldragrupp ABC", location=place, byday=("MO", "TH"), method_name="ABC")
    make_service(world.home, name="Hembesök", formats=("home_visit",), languages=("sv", "ar", "so"), ages=(0, 1))
    make_service(world.other, name="Malmö familjecentral", location=make_location(world.other), is_free=False)
    make_service(world.home, name="Utkast", status="draft")


def wipe() -> None:
    """An empty directory: only the reference areas remain."""
    Service.objects.all().delete()
    Location.objects.all().delete()
    InformationPage.objects.all().delete()
    Organisation.objects.all().delete()


def export(fmt: str, tmp_path: Path) -> Path:
    path = tmp_path / f"export.{ {'csv': 'zip'}.get(fmt, fmt) }"
    call_command("export_hsds", "--format", fmt, str(path), stdout=None)
    return path


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_import_into_an_empty_database_export_again_gives_the_same_data(directory, tmp_path, fmt):
    before = exchange.export_tables()
    assert {len(before["services.csv"]), len(before["organizations.csv"]), len(before["locations.csv"])} == {2, 3}
    path = export(fmt, tmp_path)
    wipe()
    call_command("import_hsds", str(path))
    assert exchange.export_tables() == before
    assert not Service.objects.filter(name_sv="Utkast").exists()


def test_every_exported_row_validates_against_its_hsds_object_schema(directory):
    for table, rows in exchange.export_tables().items():
        validator = write.validator(OBJECT_OF_TABLE[table])
        for row in rows:
            errors = [e.message for e in validator.iter_errors(row)]
            assert not errors, (table, row, errors)


def test_importing_twice_changes_nothing_the_second_time(directory, tmp_path):
    path = export("json", tmp_path)
    versions = sum(s.history.count() for s in Service.objects.all())
    counts = exchange.import_tables(exchange.read(path))
    assert counts["services"] == 0
    assert counts["unchanged"] == 3
    assert sum(s.history.count() for s in Service.objects.all()) == versions


def test_an_import_updates_by_id(directory, tmp_path):
    tables = exchange.export_tables()
    tables["services.csv"][0]["name"] = "Nytt namn"
    exchange.import_tables(tables)
    assert Service.objects.get(uuid=tables["services.csv"][0]["id"]).name_sv == "Nytt namn"
    assert Service.objects.count() == 4


def test_every_error_is_reported_and_nothing_is_written(directory):
    tables = exchange.export_tables()
    first, second = tables["services.csv"][0], tables["services.csv"][1]
    first["name"] = "Ändrat men aldrig sparat"
    second["status"] = "paused"
    tables["attributes.csv"] = [
        {**a, "taxonomy_term_id": vocab.term_id("level", "nonsense")}
        if a["link_id"] == first["id"] and a["link_type"] == "level"
        else a
        for a in tables["attributes.csv"]
    ]
    tables["locations.csv"][0]["latitude"] = 99.0
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_tables(tables)
    problems = [str(p) for p in failed.value.problems]
    assert any("locations.csv row 2" in p and "latitude" in p for p in problems), problems
    assert any(first["id"] in p and "taxonomy_term_id" in p for p in problems), problems
    assert any(second["id"] in p and "status" in p for p in problems), problems
    assert not Service.objects.filter(name_sv="Ändrat men aldrig sparat").exists()


def test_ids_of_another_organisations_services_are_refused(directory, world):
    tables = exchange.export_tables()
    theirs = Service.objects.get(organisation=world.other)
    mine = next(row for row in tables["services.csv"] if row["organization_id"] == str(world.home.uuid))
    tables["services.csv"] = [{**mine, "id": str(theirs.uuid)}]
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_tables(tables)
    assert "another organisation" in str(failed.value.problems[0])
    theirs.refresh_from_db()
    assert theirs.name_sv == "Malmö familjecentral"


def test_nested_hsds_objects_from_an_api_import_too(client, directory, tmp_path):
    page = json.loads(client.get("/api/hsds/organizations?full_service=true&per_page=100").content)
    before = exchange.export_tables()
    wipe()
    path = tmp_path / "organizations.json"
    path.write_text(json.dumps(page))
    exchange.import_tables(exchange.read(path))
    assert exchange.export_tables() == before


def test_the_official_example_package_is_refused_with_reasons(db):
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_tables(exchange.read(EXAMPLES / "csv"))
    problems = [str(p) for p in failed.value.problems]
    assert any("organizations.csv row 2" in p and "stodkedjan-omrade" in p for p in problems), problems
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", b'{"services.csv": [', "not JSON"),
        ("tables.json", b'{"nonsense.csv": []}', "not an HSDS table"),
        ("latin1.csv", "id,name\n1,Malmö\n".encode("latin-1"), "not an HSDS table name"),
        ("services.csv", b"id,name,colour\n1,x,red\n", "unknown columns: colour"),
        ("book.xlsx", b"not a workbook", "not an XLSX workbook"),
        ("pack.zip", b"not a zip", "not a zip archive"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(db, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.read(path)
    assert message in str(failed.value.problems[0])


def test_the_command_reports_every_problem_and_fails(db, tmp_path, capsys):
    path = tmp_path / "services.csv"
    path.write_text("id,name,status,organization_id\nnot-a-uuid,x,active,\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_hsds", str(path))
    assert "services.csv row 2 (id not-a-uuid): id: not a UUID" in capsys.readouterr().err
