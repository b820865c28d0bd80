"""The read API: every endpoint's answer validates against the official HSDS 3.0 schemas, on the demo data
and on generated data; only published data leaves; filters, pages, conditional requests, CORS, throttling."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stodkedjan.demo import services as demo
from stodkedjan.directory.models import Level, Service, Status, Taxonomy, choices_of
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.hsds import conformance
from stodkedjan.hsds import vocabulary as vocab
from stodkedjan.hsds.models import ApiToken
from stodkedjan.hsds.tests.schemas import assert_page, assert_valid

API = "/api/hsds"


def get(client: Any, path: str, **headers: str) -> Any:
    response = client.get(API + path, **headers)
    assert response.status_code == 200, (path, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


@pytest.fixture
def demo_data(db: Any) -> None:
    demo.load_demo()


def first_id(client: Any, path: str) -> str:
    return get(client, path + "?per_page=1")["contents"][0]["id"]


# --- every endpoint against the official schemas, on the demo data --------------------------------------
ENDPOINTS = [  # list path, its variants (query, item schema), the schema of one object
    ("/services", [("", "service_list"), ("full=true", "service")], "service"),
    (
        "/organizations",
        [("", "organization_list"), ("full=true", "organization"), ("full_service=true", "organization")],
        "organization",
    ),
    (
        "/service_at_locations",
        [("", "service_at_location_list"), ("full=true", "service_at_location")],
        "service_at_location",
    ),
    ("/taxonomies", [("", "taxonomy")], "taxonomy"),
    ("/taxonomy_terms", [("", "taxonomy_term")], "taxonomy_term"),
]


@pytest.mark.parametrize(("path", "variants", "schema"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_validates_against_the_official_schemas(client, demo_data, path, variants, schema):
    for query, item_schema in variants:
        page = get(client, f"{path}?per_page=1000&{query}")
        assert page["total_items"] > 0
        assert page["size"] > 0
        assert_page(page, item_schema)
    for item in get(client, f"{path}?per_page=1000")["contents"][:40]:
        assert_valid(schema, get(client, f"{path}/{item['id']}"))


def test_the_root_names_the_version_the_profile_and_the_openapi_document(client, db):
    root = get(client, "/")
    assert set(root) == {"version", "profile", "openapi_url"}
    assert root["version"] == "3.0.0"  # the HSDS release; a bare "3.0" would send ORUK's validator to its UK profile
    assert root["profile"].endswith("/sv/open-data/")
    assert root["openapi_url"].endswith("/api/hsds/openapi.json")
    assert client.get(root["profile"].removeprefix("http://testserver")).status_code == 200


def test_organization_with_full_service_nests_full_services(client, demo_data):
    org_id = first_id(client, "/organizations")
    organization = get(client, f"/organizations/{org_id}?full_service=true")
    assert organization["services"]
    assert all("attributes" in s for s in organization["services"])
    assert_valid("organization", organization)


# --- generated data ---------------------------------------------------------------------------------------
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(
    lambda s: s.strip()
)


examples = itertools.count(1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=words,
    ages=st.tuples(st.integers(0, 18), st.integers(0, 18)).map(sorted),
    level=st.sampled_from(Level.values),
    languages=st.lists(st.sampled_from([c for c, _n in choices_of(Taxonomy.LANGUAGE)]), min_size=1, unique=True),
    formats=st.lists(st.sampled_from([c for c, _n in choices_of(Taxonomy.FORMAT)]), min_size=1, unique=True),
    free=st.booleans(),
    with_place=st.booleans(),
    byday=st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), max_size=7, unique=True),
)
def test_generated_services_validate(client, world, name, ages, level, languages, formats, free, with_place, byday):
    name = f"{name} {next(examples)}"  # one offering per example: the same name twice would be a likely duplicate
    location = make_location(world.home) if with_place else None
    service = make_service(
        world.home,
        name=name,
        ages=tuple(ages),
        level=level,
        languages=tuple(languages),
        formats=tuple(formats),
        is_free=free,
        location=location,
        byday=tuple(byday),
        method_name=name[:20],
    )
    full = get(client, f"/services/{service.uuid}")
    assert_valid("service", full)
    assert full["name"] == name
    assert sorted(lang["code"] for lang in full["languages"]) == sorted(languages)
    codes = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]) for a in full["attributes"]}
    assert ("stodkedjan-niva", level) in codes
    assert all(("stodkedjan-format", f) in codes for f in formats)
    assert (full["cost_options"] != []) is free
    assert_page(get(client, f"/services?organization_id={world.home.uuid}&per_page=100"), "service_list")
    if with_place:
        sal = full["service_at_locations"][0]
        assert_valid("service_at_location", get(client, f"/service_at_locations/{sal['id']}"))


# --- only published data ------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [Status.DRAFT, Status.INACTIVE, Status.DEFUNCT])
def test_unpublished_services_never_leave(client, world, status):
    hidden = make_service(world.home, name="Hemlig grupp", status=status, location=make_location(world.home))
    make_service(world.home, name="Öppen grupp")
    listed = get(client, "/services?per_page=100")
    assert [s["name"] for s in listed["contents"]] == ["Öppen grupp"]
    assert client.get(f"{API}/services/{hidden.uuid}").status_code == 404
    sal = hidden.service_at_locations.get()
    assert client.get(f"{API}/service_at_locations/{sal.uuid}").status_code == 404
    assert "Hemlig" not in json.dumps(get(client, "/organizations?full_service=true"))
    assert "Hemlig" not in json.dumps(get(client, "/service_at_locations?full=true"))


def test_an_organisation_without_published_services_is_not_listed(client, world):
    make_service(world.home, status=Status.DRAFT)
    assert get(client, "/organizations")["total_items"] == 0
    assert client.get(f"{API}/organizations/{world.home.uuid}").status_code == 404


# --- query parameters --------------------------------------------------------------------------------------
def test_parameters_combine_as_and(client, world):
    make_service(world.home, name="Föräldragrupp ABC", level=Level.UNIVERSAL, ages=(3, 12))
    make_service(world.home, name="Föräldragrupp Komet", level=Level.INDICATED, ages=(8, 12))
    make_service(world.other, name="Föräldragrupp Malmö", level=Level.INDICATED, ages=(8, 12))
    make_service(world.home, name="Telefonrådgivning", level=Level.INDICATED, formats=("phone",))
    indicated = vocab.term_id("level", "indicated")

    def names(query: str) -> list[str]:
        return sorted(s["name"] for s in get(client, f"/services?{query}")["contents"])

    assert names("search=föräldragrupp") == ["Föräldragrupp ABC", "Föräldragrupp Komet", "Föräldragrupp Malmö"]
    assert names(f"search=föräldragrupp&taxonomy_term_id={indicated}") == ["Föräldragrupp Komet", "Föräldragrupp Malmö"]
    assert names(f"taxonomy_term_id={indicated}&organization_id={world.home.uuid}") == [
        "Föräldragrupp Komet",
        "Telefonrådgivning",
    ]
    assert names(f"taxonomy_term_id={vocab.term_id('format', 'phone')}") == ["Telefonrådgivning"]
    assert names(f"taxonomy_term_id={vocab.term_id('age_band', '0-5')}") == ["Föräldragrupp ABC", "Telefonrådgivning"]
    assert names(f"taxonomy_term_id={vocab.term_id('area', world.other.area.code)}") == ["Föräldragrupp Malmö"]
    assert names(f"taxonomy_id={vocab.VOCABULARIES['topic'].id}") == []
    assert names(f"taxonomy_term_id={vocab.term_id('level', 'nonsense')}") == []


def test_modified_after(client, world):
    old = make_service(world.home, name="Gammal")
    Service.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30))
    make_service(world.home, name="Ny")
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert [s["name"] for s in get(client, f"/services?modified_after={since}")["contents"]] == ["Ny"]
    assert get(client, "/services?modified_after=2000-01-01T00:00:00Z")["total_items"] == 2
    response = client.get(f"{API}/services?modified_after=yesterday")
    assert response.status_code == 422
    assert json.loads(response.content)["errors"][0]["path"] == "modified_after"


def test_pages_and_minimal(client, world):
    for _ in range(5):
        make_service(world.home)
    first = get(client, "/services?per_page=2")
    assert (first["total_items"], first["total_pages"], first["first_page"], first["last_page"]) == (5, 3, True, False)
    last = get(client, "/services?per_page=2&page=3")
    assert (last["size"], last["last_page"], last["first_page"]) == (1, True, False)
    beyond = get(client, "/services?per_page=2&page=9")
    assert beyond["contents"] == []
    assert beyond["empty"] is False
    all_ids = {s["id"] for p in (1, 2, 3) for s in get(client, f"/services?per_page=2&page={p}")["contents"]}
    assert len(all_ids) == 5
    minimal = get(client, "/services?minimal=true&per_page=10")["contents"]
    assert len(minimal) == 5
    assert all(set(item) == {"id", "modified_date"} for item in minimal)  # as the API reference says
    assert {item["id"] for item in minimal} == all_ids


@pytest.mark.parametrize(
    "query", ["per_page=0", "per_page=1001", "page=0", "page=abc", "format=xml", "taxonomy_id=nope", "full=maybe"]
)
def test_bad_parameters_are_422_with_a_reason(client, db, query):
    response = client.get(f"{API}/services?{query}")
    assert response.status_code == 422
    body = json.loads(response.content)
    assert body["error"] == "invalid_parameter"
    assert body["errors"]


def test_unknown_and_malformed_ids_are_404_with_a_reason(client, db):
    for path in ("/services/nope", "/services/00000000-0000-0000-0000-000000000000", "/taxonomy_terms/x"):
        response = client.get(API + path)
        assert response.status_code == 404
        assert json.loads(response.content)["error"] == "not_found"


def test_ndjson_streams_every_result_without_pages(client, world):
    for _ in range(3):
        make_service(world.home)
    response = client.get(f"{API}/services?format=ndjson&full=true")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 3
    for line in lines:
        assert_valid("service", json.loads(line))


def test_taxonomy_terms_hierarchy(client, world):
    county = world.home.area.parent
    children = get(client, f"/taxonomy_terms?parent_id={vocab.term_id('area', county.code)}&per_page=100")["contents"]
    assert world.home.area.code in {t["code"] for t in children}
    top = get(client, f"/taxonomy_terms?top_only=true&taxonomy_id={vocab.VOCABULARIES['area'].id}")["contents"]
    assert [t["code"] for t in top] == ["SE"]
    levels = get(client, f"/taxonomy_terms?taxonomy_id={vocab.VOCABULARIES['level'].id}")["contents"]
    assert sorted(t["code"] for t in levels) == sorted(Level.values)


# --- conditional requests, CORS, rate limit, query budget --------------------------------------------------
def test_etag_and_last_modified_give_304(client, world):
    service = make_service(world.home)
    first = client.get(f"{API}/services/{service.uuid}")
    assert client.get(f"{API}/services/{service.uuid}", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    later = client.get(f"{API}/services/{service.uuid}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert later.status_code == 304
    page = client.get(f"{API}/services")
    assert client.get(f"{API}/services", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    service.name_sv = "Nytt namn"
    service.save()
    assert client.get(f"{API}/services/{service.uuid}", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get(f"{API}/services", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 200


def test_cors_for_reads(client, db):
    response = client.get(f"{API}/services", HTTP_ORIGIN="https://kommun.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        f"{API}/services",
        HTTP_ORIGIN="https://kommun.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/sv/", HTTP_ORIGIN="https://kommun.example")


@pytest.mark.parametrize(
    "path", ["/", "/services", "/openapi.json", "/services/nope", "/services?per_page=0", "/taxonomies/x"]
)
def test_every_api_answer_is_open_to_every_origin_even_without_origin(client, db, path):
    response = client.get(API + path)  # no Origin header: a validator, a proxy, a server-side client
    assert response["Access-Control-Allow-Origin"] == "*", response.status_code


def test_head_answers_as_get_without_the_body(client, world):
    make_service(world.home)
    got, head = client.get(f"{API}/services"), client.head(f"{API}/services")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(got.content))
    assert (head["ETag"], head["Access-Control-Allow-Origin"]) == (got["ETag"], "*")


def test_a_rate_limited_answer_is_open_to_every_origin_too(client, db, settings):
    settings.HSDS_ANONYMOUS_RATE = "1/min"
    cache.clear()
    try:
        client.get(f"{API}/taxonomies", REMOTE_ADDR="10.0.0.9")
        refused = client.get(f"{API}/taxonomies", REMOTE_ADDR="10.0.0.9")
        assert refused.status_code == 429
        assert refused["Access-Control-Allow-Origin"] == "*"
    finally:
        cache.clear()


def test_anonymous_clients_are_rate_limited_per_address(client, db, settings):
    settings.HSDS_ANONYMOUS_RATE = "3/min"
    cache.clear()
    try:
        statuses = [client.get(f"{API}/taxonomies", REMOTE_ADDR="10.0.0.1").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get(f"{API}/taxonomies", REMOTE_ADDR="10.0.0.1")
        assert 0 < int(refused["Retry-After"]) <= 60
        assert json.loads(refused.content)["error"] == "rate_limited"
        assert client.get(f"{API}/taxonomies", REMOTE_ADDR="10.0.0.2").status_code == 200
    finally:
        cache.clear()


def test_the_root_and_a_token_holder_are_not_counted_by_the_rate_limit(client, world, settings):
    settings.HSDS_ANONYMOUS_RATE = "2/min"
    _token, raw = ApiToken.issue(world.home, "validator", None)
    cache.clear()
    try:
        for _ in range(5):
            assert client.get(f"{API}/", REMOTE_ADDR="10.0.0.3").status_code == 200
            with_token = client.get(f"{API}/services", REMOTE_ADDR="10.0.0.3", HTTP_AUTHORIZATION=f"Bearer {raw}")
            assert with_token.status_code == 200
        counted = [client.get(f"{API}/services", REMOTE_ADDR="10.0.0.3").status_code for _ in range(3)]
        assert counted == [200, 200, 429]
        wrong = client.get(f"{API}/services", REMOTE_ADDR="10.0.0.3", HTTP_AUTHORIZATION="Bearer stk_not-a-token")
        assert wrong.status_code == 429  # an invalid token is no way around the limit
    finally:
        cache.clear()


def test_three_validator_passes_back_to_back_stay_within_the_default_rate(client, demo_data, settings):
    """Open Referral UK's validator is often run several times in a row; it reports a 429 as a failure."""
    settings.HSDS_ANONYMOUS_RATE = settings.HSDS_ANONYMOUS_RATE_DEFAULT  # what production has
    cache.clear()

    def fetch(path: str) -> tuple[int, dict[str, str], Any]:
        response = client.get(API + path, REMOTE_ADDR="10.0.0.4")
        return response.status_code, dict(response.headers), json.loads(response.content)

    try:
        for _ in range(3):
            problems, requests = conformance.check_api(fetch)
            assert problems == [], problems[:5]
            assert requests >= 15  # root, OpenAPI, 5 lists with their variants, 5 objects
    finally:
        cache.clear()


@pytest.mark.parametrize("count", [2, 12])
def test_a_full_page_costs_the_same_queries_whatever_its_size(client, world, count):
    place = make_location(world.home)
    for _ in range(count):
        make_service(world.home, location=place, byday=("MO",))
    with CaptureQueriesContext(connection) as queries:
        page = get(client, "/services?full=true&per_page=50")
    assert page["size"] == count
    assert len(queries) <= 12, [q["sql"][:120] for q in queries]


def test_postcode_and_proximity(client, world):
    near = make_location(world.home, lat=59.24, lon=17.84)  # postal code 145 59
    far = make_location(world.home, lat=59.40, lon=18.10)
    far.postal_code = "183 30"
    far.save()
    half_located = make_location(world.home, lat=59.25, lon=None)  # same code, no longitude: not in the centroid
    make_service(world.home, name="Nära", location=near)
    make_service(world.home, name="Långt bort", location=far)
    make_service(world.home, name="Utan longitud", location=half_located)

    def names(query: str) -> list[str]:
        page = get(client, f"/service_at_locations?{query}")
        return sorted(item["service"]["name"] for item in page["contents"])

    assert names("postcode=14559") == ["Nära", "Utan longitud"]
    assert names("postcode=145%2059&proximity=2000") == ["Nära"]
    assert names("postcode=14559&proximity=40000") == ["Långt bort", "Nära"]
    assert names("postcode=99999&proximity=40000") == []
