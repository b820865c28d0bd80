"""Schemathesis against the live app: every operation of the served OpenAPI document, fuzzed.

The document is the one the server serves; the checks are that no answer is a server error, every status
code and content type is documented, and every answer matches its documented schema. Writes are sent with
a real organisation token, so they reach the validation behind the authentication.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stodkedjan.accounts.models import Role
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.hsds import openapi
from stodkedjan.hsds.models import ApiToken


@schemathesis.deserializer("application/x-ndjson")
def _ndjson(ctx: Any, response: Any) -> Any:
    return [json.loads(line) for line in response.content.decode().splitlines() if line]


schema = schemathesis.openapi.from_dict(openapi.document())
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def live_api(live_server: Any, world: Any, settings: Any) -> dict[str, str]:
    settings.HSDS_ANONYMOUS_RATE = "1000000/min"
    place = make_location(world.home)
    for number in range(3):
        make_service(world.home, location=place, byday=("MO", "TH"), method_name=f"Metod {number}")
    make_service(world.other)
    _token, raw = ApiToken.issue(world.home, "Schemathesis", world.users[Role.ADMIN])
    return {"base_url": f"{live_server.url}/api/hsds", "token": raw}


@pytest.mark.django_db(transaction=True)
@schema.include(method="GET").parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_live_read_api_matches_its_openapi_document(case: Any, live_api: dict[str, str]) -> None:
    case.call_and_validate(base_url=live_api["base_url"], checks=CHECKS)


@pytest.mark.django_db(transaction=True)
@schema.exclude(method="GET").parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.generate])
def test_the_live_write_api_matches_its_openapi_document(case: Any, live_api: dict[str, str]) -> None:
    # Schemathesis' coverage phase enumerates boundary values of every field of the whole nested HSDS service
    # schema (minutes per operation); random generation is kept. Refusals are tested one by one in test_write.py.
    headers = {"Authorization": f"Bearer {live_api['token']}"}
    case.call_and_validate(base_url=live_api["base_url"], headers=headers, checks=CHECKS)


def test_the_served_document_is_the_one_tested(client: Any) -> None:
    served = json.loads(client.get("/api/hsds/openapi.json").content)
    assert served == openapi.document()
    operations = {(path, method) for path, item in served["paths"].items() for method in item if method != "parameters"}
    assert len(operations) == 14
    assert "raw.githubusercontent.com" not in json.dumps(served)
