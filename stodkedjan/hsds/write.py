"""Writes through the HSDS API: an HSDS service becomes the staff form's data and is checked by that form.

So a service written by a token passes exactly the checks a provider's form does (required level, format,
arena, languages and areas; ages; times; the organisation's own areas and places), and the same code saves
it. Shape errors (wrong JSON types, unknown fields, bad ids) are found first, against the official HSDS
schema; each error names the path of the field.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time
from functools import cache
from typing import Any

from django.db import transaction
from django.http import QueryDict
from django.utils import translation
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from stodkedjan.accounts.models import EditReview
from stodkedjan.directory import drafts
from stodkedjan.directory import services as directory_services
from stodkedjan.directory.forms import ScheduleFormSet, ServiceForm
from stodkedjan.directory.models import Location, Service, ServiceDraft, Status, Taxonomy
from stodkedjan.geo.models import Area
from stodkedjan.hsds import openapi, serialize
from stodkedjan.hsds import vocabulary as vocab
from stodkedjan.hsds.models import ApiToken

MAX_DEPTH = 12
SERVICE_FIELDS = set(openapi.official("service")["properties"])
STATUSES = {"active": Status.ACTIVE, "inactive": Status.INACTIVE, "defunct": Status.DEFUNCT}
# Fields of an HSDS service we read, and those we accept but do not store (derived or read-only).
READ_ONLY = {"id", "organization_id", "organization", "last_modified", "assured_date", "assurer_email", "metadata"}
FORM_PATHS = {
    "name_sv": "name",
    "description_sv": "description",
    "level": "attributes[stodkedjan-niva]",
    "formats": "attributes[stodkedjan-format]",
    "arenas": "attributes[stodkedjan-arena]",
    "topics": "attributes[stodkedjan-amne]",
    "areas": "attributes[stodkedjan-omrade]",
    "languages": "languages",
    "phone": "phones/0/number",
    "contact_name": "contacts/0/name",
    "locations": "service_at_locations",
    "method_name": "attributes[stodkedjan-falt:method]",
    "accessibility": "attributes[stodkedjan-falt:accessibility]",
    "is_free": "cost_options",
    "interpretation_available": "interpretation_services",
}


class Rejected(Exception):
    """A refusal, answered as a 4xx with a machine-readable reason."""

    def __init__(self, status: int, error: str, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.errors = status, error, message, errors or []


def _depth(node: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(node, dict):
        return max([_depth(v, level + 1) for v in node.values()], default=level)
    if isinstance(node, list):
        return max([_depth(v, level + 1) for v in node], default=level)
    return level


def parse_json(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Rejected(400, "invalid_utf8", f"The body is not valid UTF-8 (byte {error.start}).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise Rejected(
            400, "invalid_json", f"The body is not JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except RecursionError:
        raise Rejected(400, "too_deep", f"The body is nested more than {MAX_DEPTH} levels deep.") from None
    if _depth(data) > MAX_DEPTH:
        raise Rejected(400, "too_deep", f"The body is nested more than {MAX_DEPTH} levels deep.")
    return data


@cache
def _registry() -> Registry:
    """The official object schemas, under their file names and upstream URLs, so ``$ref``s resolve locally."""
    resources = []
    for name in openapi.OBJECTS:
        resource = Resource.from_contents(openapi.official(name), default_specification=DRAFT202012)
        resources += [(f"{name}.json", resource), (f"{openapi.UPSTREAM}{name}.json", resource)]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one official HSDS object schema."""
    schema = openapi.official(name)
    return Draft202012Validator(schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


ADDRESS_DEFAULTS = {"address_type": "physical", "country": "SE", "state_province": "", "city": "", "postal_code": ""}


def with_defaults(node: Any, key: str = "") -> Any:
    """A copy in which what the server assigns is filled in: ids of new objects, an address's type and country.

    HSDS requires an ``id`` on every object; a client that creates a service need not invent them.
    """
    if isinstance(node, list):
        return [with_defaults(item, key) for item in node]
    if not isinstance(node, dict):
        return node
    filled = {k: with_defaults(v, k) for k, v in node.items()}
    filled.setdefault("id", str(uuid.uuid4()))
    if key == "addresses":
        filled = {**ADDRESS_DEFAULTS, **filled}
    if key == "taxonomy_term":
        filled.setdefault("name", str(filled.get("code") or ""))
        filled.setdefault("description", str(filled.get("name") or ""))
    if key == "location":
        filled.setdefault("location_type", "physical")
    return filled


def schema_errors(name: str, data: Any) -> list[dict[str, str]]:
    return [
        {"path": "/".join(str(p) for p in error.absolute_path) or "(body)", "message": error.message[:300]}
        for error in sorted(validator(name).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ][:50]


def terms_of(
    attributes: list[Any], errors: list[dict[str, str]], areas: dict[str, str]
) -> dict[str, list[tuple[str, str]]]:
    """Our taxonomy terms among the attributes: vocabulary → [(code, value)]. ``areas``: area term id → code."""
    found: dict[str, list[tuple[str, str]]] = {}
    for index, attribute in enumerate(attributes):
        term_ref = attribute.get("taxonomy_term_id") or (attribute.get("taxonomy_term") or {}).get("id")
        term = vocab.term_by_id().get(str(term_ref)) if term_ref else None
        if term is None and term_ref in areas:
            term = vocab.Term("area", areas[term_ref], "")
        if term is None:
            nested = attribute.get("taxonomy_term") or {}
            v = vocab.vocabulary_by_name_or_id(str(nested.get("taxonomy_id") or nested.get("taxonomy") or ""))
            code = str(nested.get("code") or "")
            if v is not None and code:
                term = vocab.Term(v.key, vocab.code_from_published(v.key, code), "")
        if term is None:
            errors.append(
                {
                    "path": f"attributes/{index}/taxonomy_term_id",
                    "message": "Not a term of Stödkedjan's taxonomies (see /api/hsds/taxonomy_terms).",
                }
            )
            continue
        found.setdefault(term.vocabulary, []).append((term.code, str(attribute.get("value") or "")))
    return found


def form_data(
    payload: dict[str, Any], organisation: Any, existing: Service | None
) -> tuple[QueryDict, list[dict[str, str]]]:
    """The staff form's POST data for an HSDS service (other languages' texts kept from ``existing``)."""
    errors: list[dict[str, str]] = []
    data = QueryDict(mutable=True)
    if existing is not None:
        for key, value in ServiceForm.initial_for(existing).items():
            if key.startswith(("name_", "description_")) and value:
                data[key] = value
    data["name_sv"] = payload.get("name", "")
    data["description_sv"] = payload.get("description", "")
    areas = vocab.area_code_by_id()  # read once for the service and its places
    terms = terms_of(payload.get("attributes") or [], errors, areas)
    levels = [code for code, _v in terms.get("level", [])]
    if len(levels) > 1:
        errors.append({"path": "attributes[stodkedjan-niva]", "message": "Give exactly one level."})
    data["level"] = levels[0] if levels else ""
    for field, taxonomy in (("formats", Taxonomy.FORMAT), ("arenas", Taxonomy.ARENA), ("topics", Taxonomy.TOPIC)):
        data.setlist(field, [code for code, _v in terms.get(taxonomy, [])])
    codes = [code for code, _v in terms.get("area", [])]
    area_pks = dict(Area.objects.filter(code__in=codes).values_list("code", "pk"))
    data.setlist("areas", [str(area_pks.get(code, code)) for code in codes])
    fields = dict(terms.get("field", []))
    data["method_name"] = fields.get("method", "")
    data["accessibility"] = fields.get("accessibility", "")
    data.setlist("languages", [str(lang.get("code") or "") for lang in payload.get("languages") or []])
    for name in ("minimum_age", "maximum_age"):
        value = payload.get(name, 0 if name == "minimum_age" else 18)
        if isinstance(value, float) and not value.is_integer():
            errors.append({"path": name, "message": "Give whole years."})
        data[name] = str(int(value)) if isinstance(value, int | float) else ""
    for name in ("fees_description", "application_process", "email", "url"):
        data[name] = payload.get(name) or ""
    costs = payload.get("cost_options") or []
    free = any(c.get("amount") == 0 for c in costs) if costs else not payload.get("fees_description")
    if free:
        data["is_free"] = "on"
    if payload.get("interpretation_services"):
        data["interpretation_available"] = "on"
    for many, key, field in (("phones", "number", "phone"), ("contacts", "name", "contact_name")):
        items = payload.get(many) or []
        if len(items) > 1:
            errors.append({"path": many, "message": f"Stödkedjan keeps one {many[:-1]} per service."})
        data[field] = str(items[0].get(key) or "") if items else ""
    _locations(payload.get("service_at_locations") or [], organisation, data, errors, areas)
    schedules = payload.get("schedules") or []
    data["schedule-TOTAL_FORMS"] = str(len(schedules))
    data["schedule-INITIAL_FORMS"] = "0"
    for index, schedule in enumerate(schedules):
        if (schedule.get("freq") or "WEEKLY").upper() != "WEEKLY":
            errors.append(
                {"path": f"schedules/{index}/freq", "message": "Only weekly schedules (freq WEEKLY) are kept."}
            )
        data.setlist(
            f"schedule-{index}-byday",
            [d.strip().upper() for d in str(schedule.get("byday") or "").split(",") if d.strip()],
        )
        for name in ("valid_from", "valid_to", "notes"):
            data[f"schedule-{index}-{name}"] = str(schedule.get(name) or "")
        for name in ("opens_at", "closes_at"):
            data[f"schedule-{index}-{name}"] = local_time(str(schedule.get(name) or ""), schedule.get("valid_from"))
        data[f"schedule-{index}-count"] = str(schedule.get("count") or "")
    return data, errors


def local_time(value: str, valid_from: Any) -> str:
    """A schedule's time as Sweden's wall-clock ``HH:MM:SS``; a time with an offset or ``Z`` is converted.

    Anything that is not an ISO 8601 time is passed on as it is, for the form to refuse with its reason.
    """
    try:
        moment = time.fromisoformat(value.strip())
    except ValueError:
        return value
    if moment.tzinfo is None:
        return moment.isoformat()
    try:
        day = date.fromisoformat(str(valid_from)[:10]) if valid_from else None
    except ValueError:
        day = None
    aware = datetime.combine(serialize.schedule_day(day), moment)
    return aware.astimezone(serialize.LOCAL_ZONE).time().isoformat()


def _locations(
    items: list[Any], organisation: Any, data: QueryDict, errors: list[dict[str, str]], areas: dict[str, str]
) -> None:
    own = {str(u): pk for u, pk in Location.objects.filter(organisation=organisation).values_list("uuid", "pk")}
    chosen: list[str] = []
    for index, item in enumerate(items):
        location = item.get("location") or {}
        ref = str(item.get("location_id") or location.get("id") or "")
        if ref in own:
            chosen.append(str(own[ref]))
        elif location.get("name") and not any(k.startswith("new_location_") and v for k, v in data.items()):
            address = (location.get("addresses") or [{}])[0]
            area_codes = [
                code for code, _v in terms_of(location.get("attributes") or [], errors, areas).get("area", [])
            ]
            area = Area.objects.filter(code__in=area_codes).values_list("pk", flat=True).first()
            data["new_location_name"] = location["name"]
            data["new_location_address"] = address.get("address_1") or ""
            data["new_location_postal_code"] = address.get("postal_code") or ""
            data["new_location_city"] = address.get("city") or ""
            data["new_location_municipality"] = str(area or "")
            for name in ("latitude", "longitude", "transportation"):
                data[f"new_location_{name}"] = "" if location.get(name) is None else str(location[name])
        else:
            errors.append(
                {
                    "path": f"service_at_locations/{index}",
                    "message": "Name one of your organisation's places by id, or describe one new place (name, "
                    "address, and an attribute with its municipality's area term).",
                }
            )
    data.setlist("locations", chosen)


def _form_errors(form: ServiceForm, schedules: Any) -> list[dict[str, str]]:
    errors = []
    for field, messages in form.errors.items():
        path = FORM_PATHS.get(field, field)
        if field.startswith("new_location_"):
            path = f"service_at_locations/location/{field.removeprefix('new_location_')}"
        errors += [{"path": path, "message": str(m)} for m in messages]
    for index, schedule_errors in enumerate(schedules.errors):
        for field, messages in schedule_errors.items():
            errors += [{"path": f"schedules/{index}/{field}", "message": str(m)} for m in messages]
    errors += [{"path": "schedules", "message": str(m)} for m in schedules.non_form_errors()]
    return errors


def _owned(token: ApiToken, service_id: uuid.UUID) -> Service | None:
    existing = Service.objects.filter(uuid=service_id).select_related("organisation").first()
    if existing is not None and existing.organisation_id != token.organisation_id:
        raise Rejected(403, "forbidden", "This service belongs to another organisation; your token cannot change it.")
    return existing


def upsert(
    token: ApiToken, payload: Any, service_id: uuid.UUID | None, review: bool = True
) -> tuple[Service, ServiceDraft | None]:
    """Create (``service_id`` None: POST) or replace (PUT) a service of the token's organisation."""
    if not isinstance(payload, dict):
        raise Rejected(422, "invalid_body", "The body must be one HSDS service object.")
    unknown = sorted(set(payload) - SERVICE_FIELDS)
    if unknown:
        raise Rejected(
            422,
            "unknown_fields",
            "These fields are not HSDS service fields.",
            [{"path": k[:80], "message": "unknown field"} for k in unknown[:50]],
        )
    errors = schema_errors(
        "service",
        with_defaults(payload)
        | {"id": str(payload.get("id") or uuid.uuid4()), "status": payload.get("status", "active")},
    )
    if errors:
        raise Rejected(422, "schema", "The service does not match the HSDS 3.0 service schema.", errors)
    given = payload.get("id")
    if service_id is not None and given and str(given) != str(service_id):
        raise Rejected(
            422,
            "id_mismatch",
            "The id in the body differs from the id in the address.",
            [{"path": "id", "message": "differs from the address"}],
        )
    if service_id is None and given:
        service_id = uuid.UUID(str(given))
        clash = Service.objects.filter(uuid=service_id).first()
        if clash is not None:
            if clash.organisation_id != token.organisation_id:
                raise Rejected(
                    409,
                    "id_taken",
                    "This id belongs to another organisation's service.",
                    [{"path": "id", "message": "taken"}],
                )
            raise Rejected(409, "exists", f"The service exists; replace it with PUT /api/hsds/services/{service_id}.")
    org_ref = payload.get("organization_id")
    if org_ref and str(org_ref) != str(token.organisation.uuid):
        raise Rejected(
            403,
            "forbidden",
            "A token writes only its own organisation's services.",
            [{"path": "organization_id", "message": "not your organisation"}],
        )
    status = payload.get("status", "active")
    if status not in STATUSES:
        raise Rejected(
            422,
            "invalid_status",
            "Stödkedjan keeps active, inactive or defunct.",
            [{"path": "status", "message": f"{status!r} is not kept"}],
        )
    existing = _owned(token, service_id) if service_id is not None else None
    organisation = token.organisation
    with translation.override("en"):
        data, errors = form_data(payload, organisation, existing)
        form = ServiceForm(data, organisation=organisation)
        schedules = ScheduleFormSet(data, prefix="schedule")
        valid = form.is_valid() & schedules.is_valid()
        errors += _form_errors(form, schedules)
    if errors or not valid:
        raise Rejected(422, "invalid_service", "The service has fields that are not allowed.", errors)
    stays_published = existing is not None and existing.status == Status.ACTIVE and STATUSES[status] == Status.ACTIVE
    if review and stays_published and organisation.edit_review != EditReview.OFF and existing is not None:
        # A token is never a reviewer: the change waits as a draft, and the service stays as published.
        return existing, drafts.save(existing, drafts.posted(data), token.created_by, f"API token {token.name}")
    with transaction.atomic():
        target = existing or Service(organisation=organisation, uuid=service_id or uuid.uuid4())
        target._change_reason = f"API token {token.name}"
        saved = directory_services.save_service(
            organisation, form.service_data([s for f in schedules.forms if (s := f.schedule())]), target
        )
        if saved.status != STATUSES[status]:
            directory_services.set_status(saved, STATUSES[status], token.created_by or _Signer(organisation.email))
    return saved, None


class _Signer:
    """Who checked a service published by a token whose creator has left: the organisation's address."""

    def __init__(self, email: str) -> None:
        self.email = email


def unpublish(token: ApiToken, service_id: uuid.UUID) -> None:
    existing = _owned(token, service_id)
    if existing is None:
        raise Rejected(404, "not_found", f"There is no service with the id {service_id}.")
    if existing.status == Status.ACTIVE:
        existing._change_reason = f"API token {token.name}: unpublished"
        directory_services.set_status(existing, Status.INACTIVE, token.created_by)
