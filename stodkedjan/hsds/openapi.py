"""The OpenAPI document at /api/hsds/openapi.json: the official HSDS 3.0 template, filled in.

We start from Open Referral's ``openapi.json`` (so paths, operation ids, parameters and response shapes are
the standard's), point its remote ``$ref``s at the official per-object schemas carried inside the
document (no client has to fetch anything), mend the one upstream slip (``/service_at_locations/{id}``
answers a service-at-location, not a service), give the parameters the limits our code enforces, and add
what we do beyond the read API: the error answers, and the write operations for organisations' tokens.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

REFERENCE = Path(__file__).parent / "reference" / "schema"
UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OBJECTS = [p.stem for p in sorted(REFERENCE.glob("*.json")) if p.stem != "openapi"]
LISTS = ["service_list", "organization_list", "service_at_location_list"]
DEFAULT_PER_PAGE = 50


@cache
def official(name: str) -> dict[str, Any]:
    """One official HSDS file of ``schema/`` (an object schema, or ``openapi``), read once. Do not mutate."""
    return json.loads((REFERENCE / f"{name}.json").read_text())


LINKS = {  # list → the operation that reads one of its items
    "/services": "getFullyNestedServiceById",
    "/organizations": "getOrganizationById",
    "/service_at_locations": "getServiceAtLocationWithNestedDataById",
    "/taxonomies": "getTaxonomyById",
    "/taxonomy_terms": "getTaxonomyTermById",
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["status", "error", "message"],
    "properties": {
        "status": {"type": "integer"},
        "error": {"type": "string", "description": "A stable, machine-readable reason."},
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
MINIMAL_SERVICE = {
    "type": "object",
    "description": "A service as minimal=true lists it.",
    "required": ["id", "modified_date"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "modified_date": {"type": "string", "format": "date-time"},
    },
}
ERRORS = {
    "400": "The request body is not JSON, not UTF-8, or nested too deeply.",
    "401": "A write needs a valid organisation token (Authorization: Bearer …).",
    "403": "The token's organisation does not own this service.",
    "404": "No published object has this id.",
    "409": "The id belongs to another organisation's object.",
    "413": "The request body is too large.",
    "422": "A parameter or field has a value that is not allowed; `errors` names each one.",
    "429": "Too many requests from this client; wait the number of seconds in Retry-After.",
}


def _schema_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _localise(node: Any) -> Any:
    """Rewrite upstream and sibling-file ``$ref``s to this document's components."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and not value.startswith("#"):
                name = re.sub(r"\.json$", "", value.removeprefix(UPSTREAM).removeprefix("compiled/"))
                out[key] = f"#/components/schemas/{name}"
            else:
                out[key] = _localise(value)
        return out
    if isinstance(node, list):
        return [_localise(v) for v in node]
    return node


def _error_responses(codes: list[str]) -> dict[str, Any]:
    return {
        code: {
            "description": ERRORS[code],
            "content": {"application/json": {"schema": _schema_ref("Error")}},
            **({"headers": {"Retry-After": {"schema": {"type": "integer"}}}} if code == "429" else {}),
        }
        for code in codes
    }


def _write_operations() -> dict[str, Any]:
    security: list[dict[str, list[str]]] = [{"organisationToken": []}]
    body = {
        "required": True,
        "description": "An HSDS service. The Swedish extensions are attributes with terms of our taxonomies "
        "(level, format, arena, areas served are required, as in the staff form).",
        "content": {"application/json": {"schema": _schema_ref("service")}},
    }
    created = {
        "description": "The service as stored.",
        "content": {"application/json": {"schema": _schema_ref("service")}},
    }
    return {
        "post": {
            "operationId": "createService",
            "summary": "Create a service for the token's organisation (published unless status says otherwise).",
            "security": security,
            "requestBody": body,
            "responses": {"201": created, **_error_responses(["400", "401", "403", "409", "413", "422", "429"])},
        },
        "put": {
            "operationId": "updateService",
            "summary": "Replace a service of the token's organisation (creates it with this id if new).",
            "security": security,
            "requestBody": body,
            "responses": {
                "200": created,
                "201": created,
                "202": {
                    "description": "The organisation reviews changes to published services: the change waits as "
                    "a draft until a reviewer approves it; the service is returned as published now, unchanged.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["status", "message", "draft_id", "service"],
                                "properties": {
                                    "status": {"type": "string", "enum": ["draft_waiting_for_review"]},
                                    "message": {"type": "string"},
                                    "draft_id": {"type": "integer"},
                                    "service": _schema_ref("service"),
                                },
                            }
                        }
                    },
                },
                **_error_responses(["400", "401", "403", "404", "409", "413", "422", "429"]),
            },
        },
        "delete": {
            "operationId": "unpublishService",
            "summary": "Unpublish a service of the token's organisation (it is kept, as a draft, with its history).",
            "security": security,
            "responses": {"204": {"description": "Unpublished."}, **_error_responses(["401", "403", "404", "429"])},
        },
    }


@cache
def document() -> dict[str, Any]:
    doc = _localise(copy.deepcopy(official("openapi")))
    doc["info"] = {
        "title": "Stödkedjan – HSDS 3.0 API",
        "version": "1.0",
        "summary": "Parenting support offerings in Sweden, in Open Referral HSDS 3.0 with Stödkedjan's profile.",
        "description": (
            "Read: open to all, no key, rate-limited per client. Write: an organisation's API token "
            "(created by its administrator in Stödkedjan) creates, updates and unpublishes that organisation's "
            "services. The Swedish extensions (level, format, arena, topic, age band, areas served) are HSDS "
            "attributes with terms of our published taxonomies: see /api/hsds/profile/."
        ),
        "license": {"name": "CC BY-SA 4.0 (derived from the HSDS specification)", "identifier": "CC-BY-SA-4.0"},
    }
    doc["servers"] = [{"url": "/api/hsds"}]
    schemas = doc["components"]["schemas"]
    for name in OBJECTS:
        schemas[name] = _localise(official(name))
    for name in LISTS:
        schemas[name] = json.loads((REFERENCE / "compiled" / f"{name}.json").read_text())
    schemas["Error"] = ERROR_SCHEMA
    doc["components"]["securitySchemes"] = {
        "organisationToken": {"type": "http", "scheme": "bearer", "description": "An organisation's API token."}
    }
    params = doc["components"]["parameters"]
    params["page"]["schema"] = {"type": "integer", "minimum": 1, "default": 1}
    params["per_page"]["schema"] = {
        "type": "integer",
        "minimum": 1,
        "maximum": settings.HSDS_MAX_PER_PAGE,
        "default": DEFAULT_PER_PAGE,
    }
    params["format"]["schema"] = {"type": "string", "enum": ["json", "ndjson"], "default": "json"}
    params["modified_after"]["description"] += " ISO 8601, for example 2026-01-31 or 2026-01-31T08:00:00+01:00."
    paths = doc["paths"]
    # Upstream slip: a service-at-location answers with a service-at-location.
    sal = paths["/service_at_locations/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
    sal["schema"] = _schema_ref("service_at_location")
    # Upstream slip: the operation ids of the two /taxonomy_terms paths are swapped.
    paths["/taxonomy_terms"]["get"]["operationId"] = "getPaginatedListOfTaxonomyTerms"
    paths["/taxonomy_terms/{id}"]["get"]["operationId"] = "getTaxonomyTermById"
    paths["/service_at_locations"]["get"]["parameters"] = [
        p
        for p in paths["/service_at_locations"]["get"]["parameters"]
        if p.get("$ref", "").split("/")[-1] not in {"postcode", "proximity"}
    ] + [
        {
            **params["postcode"],
            "description": "A Swedish postal code (five digits); with `proximity`, services within that many metres.",
        },
        {**params["proximity"], "schema": {"type": "integer", "minimum": 1, "maximum": 2_000_000}},
    ]
    for path, item in paths.items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            codes = ["422", "429"] + (["404"] if "{id}" in path else [])
            operation["responses"].update(_error_responses(codes))
            operation["responses"]["304"] = {"description": "Not modified since the ETag or date the client sent."}
    # minimal=true: "just id and modified_date", as the API reference says (the profile page explains).
    services_ok = paths["/services"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    listed = services_ok["properties"]["contents"]["items"]
    services_ok["properties"]["contents"]["items"] = {"anyOf": [listed, MINIMAL_SERVICE]}
    params["minimal"]["description"] = (
        params["minimal"].get("description", "") + " Each item then has only `id` and `modified_date`."
    ).strip()
    for list_path, detail in LINKS.items():
        ok = paths[list_path]["get"]["responses"]["200"]
        item_schema = ok["content"]["application/json"]["schema"]["properties"]["contents"]["items"]
        # format=ndjson: one item per line, described as the array of the lines
        ok["content"]["application/x-ndjson"] = {"schema": {"type": "array", "items": item_schema}}
        ok["links"] = {
            detail: {"operationId": detail, "parameters": {"id": "$response.body#/contents/0/id"}},
        }
    writes = _write_operations()
    paths["/services"]["post"] = writes.pop("post")
    paths["/services/{id}"].update(writes)
    return doc
