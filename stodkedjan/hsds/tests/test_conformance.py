"""Our HSDS exchange as Open Referral's own tools read it: frictionless on the data package, the official
compiled schemas with additional properties forbidden, and the checks of those checks (they find what is wrong)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from stodkedjan.demo import services as demo
from stodkedjan.directory.models import Schedule
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.hsds import conformance, exchange, serialize, write
from stodkedjan.hsds import vocabulary as vocab


@pytest.fixture
def demo_data(db: Any) -> None:
    demo.load_demo()


def test_validate_hsds_passes_on_the_demo_data_in_every_format(demo_data, tmp_path, capsys):
    call_command("validate_hsds", "--keep", str(tmp_path))
    out = capsys.readouterr().out
    assert "Valid HSDS 3.0: 0 errors." in out
    assert {"hsds.json", "hsds.zip", "hsds.xlsx"} <= {p.name for p in tmp_path.iterdir()}
    with zipfile.ZipFile(tmp_path / "hsds.zip") as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        shipped = set(archive.namelist())
    assert {r["path"] for r in descriptor["resources"]} <= shipped  # every resource it names is there


def rewrite_zip(path: Path, table: str, change: Any) -> None:
    """Change one CSV of a package in place: ``change(rows)`` gets and returns a list of dict rows."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    rows = list(csv.DictReader(io.StringIO(files[table].decode())))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=exchange.FIELDS[table], lineterminator="\n")
    writer.writeheader()
    writer.writerows(change(rows))
    files[table] = out.getvalue().encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)


def test_frictionless_finds_what_open_referral_would_refuse(world, tmp_path):
    make_service(world.home, location=make_location(world.home), byday=("MO",))
    path = tmp_path / "hsds.zip"
    path.write_bytes(exchange.to_csv_zip(exchange.export_tables()))
    assert conformance.check_package(path) == []
    rewrite_zip(path, "schedules.csv", lambda rows: [{**r, "opens_at": "17:30"} for r in rows])
    rewrite_zip(path, "organizations.csv", lambda rows: [{**r, "description": ""} for r in rows])
    problems = [str(p) for p in conformance.check_package(path)]
    assert any("schedule" in p and "opens_at" in p for p in problems), problems
    assert any("organization" in p and "description" in p for p in problems), problems
    with zipfile.ZipFile(path) as archive:
        kept = {n: archive.read(n) for n in archive.namelist() if n != "programs.csv"}
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in kept.items():
            archive.writestr(name, content)
    assert any("programs.csv" in str(p) for p in conformance.check_package(path))


def test_the_workbook_is_checked_sheet_by_sheet(world, tmp_path):
    make_service(world.home, location=make_location(world.home), byday=("TU",))
    path = tmp_path / "hsds.xlsx"
    path.write_bytes(exchange.to_xlsx(exchange.export_tables()))
    assert conformance.check_workbook(path) == []
    book = load_workbook(path)
    sheet = book["schedules"]
    column = [c.value for c in sheet[1]].index("opens_at") + 1
    sheet.cell(row=2, column=column, value="halv sex")
    book.save(path)
    problems = [str(p) for p in conformance.check_workbook(path)]
    assert any("schedule" in p and "opens_at" in p for p in problems), problems


def test_rows_with_fields_hsds_does_not_have_are_found(world):
    make_service(world.home)
    tables = exchange.export_tables()
    assert conformance.check_tables(tables) == []
    tables["services.csv"][0]["colour"] = "red"
    del tables["funding.csv"]
    problems = [str(p) for p in conformance.check_tables(tables)]
    assert any("services.csv row 2" in p and "colour" in p for p in problems), problems
    assert any("funding.csv" in p and "missing" in p for p in problems), problems


def test_the_strict_schemas_refuse_an_extra_field_the_official_ones_let_through(world, client):
    service = make_service(world.home, location=make_location(world.home))
    served = json.loads(client.get(f"/api/hsds/services/{service.uuid}").content)
    assert conformance.errors("service", served, "") == []
    assert write.schema_errors("service", {**served, "colour": "red"}) == []  # the official schema: passes
    problems = conformance.errors("service", {**served, "colour": "red"}, "")
    assert problems
    assert "colour" in str(problems[0])


# --- what the package needs of our data -----------------------------------------------------------------------
def test_times_are_hh_mm_ss_with_swedens_offset_on_the_schedules_first_day(world):
    service = make_service(world.home, byday=("MO",))
    schedule = Schedule.objects.get(service=service)
    serializer = serialize.Serializer()
    for valid_from, offset, hours in ((date(2027, 1, 11), "+01:00", 1), (date(2027, 6, 14), "+02:00", 2)):
        schedule.valid_from = valid_from
        row = serializer.schedule(schedule, str(service.uuid))
        assert (row["opens_at"], row["closes_at"], row["timezone"]) == (f"17:30:00{offset}", f"19:00:00{offset}", hours)


@pytest.mark.parametrize(
    ("given", "valid_from", "wall_clock"),
    [
        ("17:30", None, "17:30:00"),
        ("17:30:00", None, "17:30:00"),
        ("17:30:00+01:00", "2027-01-11", "17:30:00"),
        ("16:30:00Z", "2027-01-11", "17:30:00"),  # UTC in winter: an hour behind Sweden
        ("15:30:00Z", "2027-06-14", "17:30:00"),  # and two in summer
        ("halv sex", None, "halv sex"),  # left for the form to refuse with its reason
    ],
)
def test_a_written_time_is_read_as_swedish_wall_clock_time(given, valid_from, wall_clock):
    assert write.local_time(given, valid_from) == wall_clock


def test_a_schedule_round_trips_through_the_package_unchanged(world):
    service = make_service(world.home, byday=("MO", "TH"))
    tables = exchange.export_tables()
    schedule = tables["schedules.csv"][0]
    schedule["opens_at"] = "08:00:00Z"  # another system writes UTC
    schedule["valid_from"] = "2027-01-11"
    exchange.import_tables(tables)
    stored = Schedule.objects.get(service=service)
    assert (stored.opens_at, stored.closes_at) == (time(9, 0), time(19, 0))


def test_taxonomy_term_codes_are_unique_across_every_taxonomy(world):
    codes = [t.published_code for t in vocab.all_terms()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    kind = next(t for t in vocab.fixed_terms() if t.vocabulary == "organisation_kind" and t.code == "civil_society")
    arena = next(t for t in vocab.fixed_terms() if t.vocabulary == "arena" and t.code == "civil_society")
    assert (kind.published_code, arena.published_code) == ("organisation-civil_society", "civil_society")
    assert kind.id == vocab.term_id("organisation_kind", "civil_society")  # ids did not change


def test_an_organisation_without_a_description_gets_one_that_says_it_was_made(world):
    world.home.description = ""
    world.home.save()
    make_service(world.home)
    row = next(r for r in exchange.export_tables()["organizations.csv"] if r["id"] == str(world.home.uuid))
    assert row["description"].startswith("Kommun i ")
    assert serialize.GENERATED_NOTE in row["description"]
    world.home.description = "Vi samordnar föräldraskapsstödet."
    world.home.save()
    row = next(r for r in exchange.export_tables()["organizations.csv"] if r["id"] == str(world.home.uuid))
    assert row["description"] == "Vi samordnar föräldraskapsstödet."


def test_a_made_description_is_not_imported_as_the_organisations_own(world):
    world.home.description = ""
    world.home.save()
    make_service(world.home)
    tables = exchange.export_tables()
    exchange.import_tables(tables)
    world.home.refresh_from_db()
    assert world.home.description == ""
    assert exchange.export_tables()["organizations.csv"] == tables["organizations.csv"]
