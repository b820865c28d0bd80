"""Writes with an organisation's token: the staff form's checks, own data only, bad input refused whole."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stodkedjan.accounts.models import Role
from stodkedjan.directory.models import Location, Service, Status
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.hsds import vocabulary as vocab
from stodkedjan.hsds.models import ApiToken, hash_token
from stodkedjan.hsds.tests.schemas import assert_valid

API = "/api/hsds"


@pytest.fixture
def token(world: Any) -> str:
    _token, raw = ApiToken.issue(world.home, "Webbplatsen", world.users[Role.ADMIN])
    return raw


def attribute(vocabulary: str, code: str, value: str = "") -> dict[str, Any]:
    return {"id": vocab.term_id(vocabulary, code), "taxonomy_term_id": vocab.term_id(vocabulary, code), "value": value}


def payload(world: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "name": "Föräldraträffar i Fittja",
        "description": "Sex träffar om att vara förälder till en tonåring.",
        "status": "active",
        "minimum_age": 12,
        "maximum_age": 18,
        "languages": [{"code": "sv"}, {"code": "so"}],
        "attributes": [
            attribute("level", "selective"),
            attribute("format", "group"),
            attribute("arena", "family_centre"),
            attribute("area", world.home.area.code),
            attribute("field", "method", "Connect"),
        ],
        "phones": [{"number": "08-530 610 00"}],
        "schedules": [{"freq": "WEEKLY", "byday": "TU", "opens_at": "17:30", "closes_at": "19:00"}],
        "cost_options": [{"amount": 0, "currency": "SEK"}],
    }
    body.update(changes)
    return body


def send(client: Any, method: str, path: str, body: Any, token: str | None, raw: bytes | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else json.dumps(body)
    return getattr(client, method)(API + path, data=data, content_type="application/json", **headers)


def test_create_update_and_unpublish_with_a_token(client, world, token):
    created = send(client, "post", "/services", payload(world), token)
    assert created.status_code == 201, created.content
    body = json.loads(created.content)
    assert_valid("service", body)
    service = Service.objects.get(uuid=body["id"])
    assert (service.organisation, service.status, service.level, service.method_name) == (
        world.home,
        Status.ACTIVE,
        "selective",
        "Connect",
    )
    assert sorted(service.terms.filter(taxonomy="language").values_list("code", flat=True)) == ["so", "sv"]
    assert service.schedules.get().byday == "TU"
    assert client.get(f"{API}/services/{service.uuid}").status_code == 200

    service.name_en = "Parent meetings in Fittja"
    service.save()
    changed = send(client, "put", f"/services/{service.uuid}", payload(world, name="Nytt namn", maximum_age=16), token)
    assert changed.status_code == 200, changed.content
    service.refresh_from_db()
    assert (service.name_sv, service.maximum_age) == ("Nytt namn", 16)
    assert service.name_en == "Parent meetings in Fittja"  # languages HSDS cannot carry are kept
    assert "API token Webbplatsen" in service.history.first().history_change_reason

    assert send(client, "delete", f"/services/{service.uuid}", None, token).status_code == 204
    service.refresh_from_db()
    assert service.status == Status.INACTIVE
    assert client.get(f"{API}/services/{service.uuid}").status_code == 404


def test_put_with_a_new_id_creates_with_that_id(client, world, token):
    new_id = "0b8f3c2e-8d7a-4a51-9f0e-3f1b2a6c7d90"
    response = send(client, "put", f"/services/{new_id}", payload(world, id=new_id), token)
    assert response.status_code == 201
    assert Service.objects.filter(uuid=new_id, organisation=world.home).exists()


def test_a_new_place_can_be_given_inline_and_an_existing_one_by_id(client, world, token):
    own = make_location(world.home)
    new_place = {
        "location": {
            "name": "Fittja träffpunkt",
            "location_type": "physical",
            "addresses": [{"address_1": "Fittjavägen 1", "postal_code": "145 50", "city": "Norsborg"}],
            "attributes": [attribute("area", world.home.area.code)],
        }
    }
    body = payload(world, service_at_locations=[{"location_id": str(own.uuid)}, new_place])
    response = send(client, "post", "/services", body, token)
    assert response.status_code == 201, response.content
    names = sorted(s["location"]["name"] for s in json.loads(response.content)["service_at_locations"])
    assert names == sorted([own.name, "Fittja träffpunkt"])


def refused(response: Any, status: int, path: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["error"]
    if path is not None:
        assert path in [e["path"] for e in body.get("errors", [])], body
    return body


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"attributes": [attribute("format", "group"), attribute("area", "0127")]}, "attributes[stodkedjan-niva]"),
        ({"name": ""}, "name"),
        ({"minimum_age": 15, "maximum_age": 10}, "maximum_age"),
        ({"minimum_age": 25}, "minimum_age"),
        ({"languages": []}, "languages"),
        ({"schedules": [{"byday": "TU", "opens_at": "19:00", "closes_at": "17:00"}]}, "schedules/0/closes_at"),
        ({"schedules": [{"byday": "XX", "opens_at": "17:00", "closes_at": "19:00"}]}, "schedules/0/byday"),
        ({"phones": [{"number": "ring oss"}]}, "phones/0/number"),
        (
            {"attributes": [{"taxonomy_term_id": "5b0f2a47-1111-4a0e-9d7a-0c9f4e2b6d11"}]},
            "attributes/0/taxonomy_term_id",
        ),
        ({"status": "temporarily closed"}, "status"),
        ({"minimum_age": "tolv"}, "minimum_age"),
        ({"languages": "sv"}, "languages"),
        ({"email": "inte en adress"}, "email"),
        ({"service_at_locations": [{"location_id": "5b0f2a47-1111-4a0e-9d7a-0c9f4e2b6d11"}]}, "service_at_locations/0"),
    ],
)
def test_the_staff_forms_checks_apply_and_name_the_field(client, world, token, changes, path):
    refused(send(client, "post", "/services", payload(world, **changes), token), 422, path)
    assert not Service.objects.exists()


def test_areas_outside_the_organisations_county_are_refused(client, world, token):
    body = payload(world, attributes=[*payload(world)["attributes"][:3], attribute("area", world.other.area.code)])
    refused(send(client, "post", "/services", body, token), 422, "attributes[stodkedjan-omrade]")


def test_a_token_never_reaches_another_organisations_data(client, world, token):
    theirs = make_service(world.other, name="Malmös grupp")
    refused(send(client, "put", f"/services/{theirs.uuid}", payload(world), token), 403)
    refused(send(client, "delete", f"/services/{theirs.uuid}", None, token), 403)
    refused(send(client, "post", "/services", payload(world, id=str(theirs.uuid)), token), 409, "id")
    refused(send(client, "post", "/services", payload(world, organization_id=str(world.other.uuid)), token), 403)
    their_place = make_location(world.other)
    body = payload(world, service_at_locations=[{"location_id": str(their_place.uuid)}])
    refused(send(client, "post", "/services", body, token), 422, "service_at_locations/0")
    theirs.refresh_from_db()
    assert (theirs.name, theirs.status) == ("Malmös grupp", Status.ACTIVE)
    assert Service.objects.count() == 1
    assert Location.objects.filter(organisation=world.home).count() == 0


def test_without_a_valid_token_nothing_is_written(client, world, token):
    for bad in (None, "stk_wrong", "Basic abc"):
        response = send(client, "post", "/services", payload(world), bad)
        refused(response, 401)
        assert response["WWW-Authenticate"] == "Bearer"
    stored = ApiToken.objects.get()
    stored.revoked_at = stored.created_at
    stored.save()
    refused(send(client, "post", "/services", payload(world), token), 401)
    assert not Service.objects.exists()


def test_tokens_are_stored_only_as_a_hash(world, token):
    stored = ApiToken.objects.get()
    assert stored.digest == hash_token(token)
    assert token not in {stored.digest, stored.hint, stored.name}
    assert token.startswith(stored.hint)


@pytest.mark.parametrize(
    ("raw", "status", "error"),
    [
        (b'{"name": "x",', 400, "invalid_json"),
        (b"\xff\xfe{}", 400, "invalid_utf8"),
        (b"[" * 5000 + b"]" * 5000, 400, "too_deep"),
        (b'{"a":' * 30 + b"1" + b"}" * 30, 400, "too_deep"),
        (b"[]", 422, "invalid_body"),
        (b'{"name": "x", "favourite_colour": "blue"}', 422, "unknown_fields"),
        (b'{"name": "x", "status": "active", "phones": [{"number": 5}]}', 422, "schema"),
        (b"x" * 10_000_000, 413, "body_too_large"),
    ],
)
def test_bad_bodies_are_4xx_with_a_reason_and_write_nothing(client, world, token, raw, status, error):
    body = refused(send(client, "post", "/services", None, token, raw=raw), status)
    assert body["error"] == error
    assert not Service.objects.exists()


def test_a_bad_update_leaves_the_service_as_it_was(client, world, token):
    created = json.loads(send(client, "post", "/services", payload(world), token).content)
    refused(send(client, "put", f"/services/{created['id']}", payload(world, maximum_age=99, name="X"), token), 422)
    refused(
        send(client, "put", f"/services/{created['id']}", payload(world, id=str(world.home.uuid)), token), 422, "id"
    )
    service = Service.objects.get(uuid=created["id"])
    assert (service.name_sv, service.maximum_age) == ("Föräldraträffar i Fittja", 18)


# --- the staff page for tokens ------------------------------------------------------------------------------
def test_an_admin_creates_a_token_sees_it_once_and_revokes_it(client, world):
    client.force_login(world.users[Role.ADMIN])
    url = f"/sv/staff/organisations/{world.home.slug}/api-tokens/"
    response = client.post(url, {"name": "Regionens katalog"})
    assert response.status_code == 200
    raw = response.context["created"]
    assert raw.startswith("stk_")
    assert raw in response.content.decode()
    assert raw not in client.get(url).content.decode()  # shown only once
    stored = ApiToken.objects.get()
    assert stored.organisation == world.home
    assert ApiToken.authenticate(raw) == stored
    client.post(f"{url}{stored.pk}/revoke/")
    assert ApiToken.authenticate(raw) is None
    assert send(client, "post", "/services", payload(world), raw).status_code == 401


def test_the_token_form_keeps_what_was_typed_and_explains_errors(client, world):
    client.force_login(world.users[Role.ADMIN])
    response = client.post(f"/sv/staff/organisations/{world.home.slug}/api-tokens/", {"name": "x" * 101})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert "x" * 101 in response.content.decode()
    assert not ApiToken.objects.exists()


def test_another_organisations_admin_cannot_revoke(client, world):
    token, _raw = ApiToken.issue(world.home, "Webb", None)
    client.force_login(world.users["other_org_admin"])
    assert client.post(f"/sv/staff/organisations/{world.home.slug}/api-tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.is_active
