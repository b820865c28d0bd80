"""Fuzzing the inputs that take files and free text: whatever arrives, the answer is a clear refusal or a
result, never an unexpected exception (a 500), and a refused import writes nothing."""

from __future__ import annotations

import csv
import io
import json
import string
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from django.utils.html import conditional_escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stodkedjan.core.tests.faults import hidden_fields
from stodkedjan.directory import spreadsheet
from stodkedjan.directory.models import Service
from stodkedjan.hsds import exchange
from stodkedjan.plans.importer import parse_plan
from stodkedjan.plans.tables import PlanRejected
from stodkedjan.surveys.models import Response
from stodkedjan.surveys.tests.factories import make_round

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SUFFIXES = st.sampled_from([".csv", ".tsv", ".xlsx", ".docx", ".txt", ".pdf", ""])
CELL = st.text(alphabet=string.printable + "åäöÅÄÖ–•\u00a0", max_size=40)
PLAN_HEADERS = [
    "Prioriterad utgångspunkt",
    "Område",
    "Mål och nytta",
    "Metoder och arbetssätt",
    "Ansvarig",
    "Tidsplan",
    "Uppföljning",
]
DIRECTORY_HEADERS = [c.header for c in spreadsheet.COLUMNS]


def as_csv(rows: list[list[str]], delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8")


@FUZZ
@given(content=st.binary(max_size=2000), suffix=SUFFIXES)
def test_any_bytes_as_a_plan_file_are_read_or_refused(content, suffix):
    try:
        parse_plan(f"plan{suffix}", content)
    except PlanRejected as refusal:
        assert refusal.problems
        assert all(p.message for p in refusal.problems)


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=8), max_size=12), headers=st.booleans())
def test_any_table_as_a_plan_is_read_or_refused_with_a_reason(rows, headers):
    content = as_csv(([PLAN_HEADERS] if headers else []) + rows)
    try:
        plan = parse_plan("plan.csv", content)
    except PlanRejected as refusal:
        assert all(p.message for p in refusal.problems)
    else:
        assert isinstance(plan, dict)


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=len(DIRECTORY_HEADERS)), min_size=1, max_size=6))
def test_any_directory_spreadsheet_is_imported_whole_or_not_at_all(world, rows):
    before = Service.objects.count()
    content = as_csv([DIRECTORY_HEADERS, *rows])
    try:
        parsed = spreadsheet.parse(world.home, "erbjudanden.csv", content)
    except spreadsheet.SpreadsheetRejected as refusal:
        assert all(e.message for e in refusal.errors)
        assert Service.objects.count() == before
        return
    spreadsheet.import_rows(world.home, parsed, world.users["admin"])
    assert Service.objects.count() == before + len(parsed)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)
HSDS_LIKE = st.fixed_dictionaries(
    {
        "services": st.lists(
            st.dictionaries(st.sampled_from(["id", "name", "status", "organization_id", "description"]), JSON_VALUES),
            max_size=3,
        )
    }
)


@FUZZ
@given(payload=st.one_of(JSON_VALUES, HSDS_LIKE), raw=st.binary(max_size=200), use_raw=st.booleans())
def test_any_hsds_file_is_imported_whole_or_refused(world, payload, raw, use_raw):
    before = Service.objects.count()
    with TemporaryDirectory() as folder:
        path = Path(folder) / "hsds.json"
        path.write_bytes(raw if use_raw else json.dumps(payload).encode())
        try:
            exchange.import_tables(exchange.read(path))
        except exchange.ImportFailed as refusal:
            assert all(p.message for p in refusal.problems)
            assert Service.objects.count() == before


@FUZZ
@given(q=st.text(max_size=300), age=st.text(max_size=5), area=st.text(max_size=20))
def test_any_search_answers_without_an_error(client, db, q, age, area):
    response = client.get("/sv/search/", {"q": q, "age": age, "area": area})
    assert response.status_code == 200


@FUZZ
@given(q=st.text(max_size=100), page=st.text(max_size=6), per_page=st.text(max_size=6))
def test_any_api_query_answers_without_a_server_error(client, db, q, page, per_page):
    response = client.get("/api/hsds/services", {"search": q, "page": page, "per_page": per_page})
    assert response.status_code < 500


@FUZZ
@given(content=st.binary(max_size=1500))
def test_any_bytes_as_a_directory_spreadsheet_are_refused_with_a_reason_or_read(world, content):
    try:
        spreadsheet.parse(world.home, "erbjudanden.csv", content)
    except spreadsheet.SpreadsheetRejected as refusal:
        assert all(e.message for e in refusal.errors)


@FUZZ
@given(content=st.binary(max_size=1500))
def test_any_bytes_as_an_hsds_csv_are_refused_with_a_reason_or_read(world, content):
    with TemporaryDirectory() as folder:
        path = Path(folder) / "services.csv"
        path.write_bytes(content)
        try:
            exchange.import_tables(exchange.read(path))
        except exchange.ImportFailed as refusal:
            assert all(p.message for p in refusal.problems)


def test_a_lone_carriage_return_in_a_plan_csv_is_read_not_a_crash():
    """Found by the fuzzer: a bare \\r inside a line made the CSV reader raise (a 500 on upload)."""
    try:
        parse_plan("plan.csv", b"\x00\r\n\r0")
    except PlanRejected as refusal:
        assert refusal.problems


@pytest.fixture
def survey_round(world):
    return make_round(world.home)  # once for all the examples of a test


@FUZZ
@given(why=st.text(max_size=3000), kids=st.text(max_size=8), area=st.text(max_size=30))
def test_any_survey_answer_is_stored_once_or_refused_with_the_answers_kept(client, survey_round, why, kids, area):
    url = f"/sv/survey/{survey_round.link_key}/"
    form = client.get(url).content.decode()
    fields = hidden_fields(form)
    fields.update({"q-support": "no", "q-why": why, "q-kids": kids, "area": area, "go": "next"})
    before = Response.objects.count()
    answer = client.post(url, fields)
    assert answer.status_code in (302, 400)
    assert Response.objects.count() == before + (answer.status_code == 302)
    if answer.status_code == 400:
        page = answer.content.decode()
        assert "error-message" in page
        assert conditional_escape(why) in page  # what the parent wrote is still in the form
