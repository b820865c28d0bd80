"""The HSDS 3.0 API at /api/hsds/ (django-ninja): open reads of published data, token-scoped writes.

Every answer is JSON; every refusal is a 4xx with a machine-readable ``error`` and, for bad fields, the
path of each (never a 500 for bad input). Reads carry an ETag (and Last-Modified where one object is
asked for) and answer 304 to a client that already has them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import uuid
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle

from stodkedjan.accounts.models import Organisation
from stodkedjan.directory.models import Location, Service, ServiceArea, ServiceAtLocation, Taxonomy
from stodkedjan.directory.queries import matching_text, with_term
from stodkedjan.geo.models import Area
from stodkedjan.hsds import openapi, serialize, write
from stodkedjan.hsds import vocabulary as vocab
from stodkedjan.hsds.models import ApiToken

logger = logging.getLogger(__name__)

# The HSDS release as its data package names it. Not "3.0": Open Referral UK's validator reads a bare
# number in `version` as a UK profile version and tests against that profile instead of `openapi_url`.
HSDS_VERSION = "3.0.0"
DEFAULT_PER_PAGE = openapi.DEFAULT_PER_PAGE
NDJSON_CHUNK = 200
JSON_TYPE = "application/json"


class AnonymousClientThrottle(AnonRateThrottle):
    """Per client address, for callers without a token; the rate is read from settings on each request.

    What a validator or a client asks first and often is not counted: the root document (the OpenAPI
    document and CORS preflights never reach the throttle). A read that sends a valid organisation token is
    not counted either: the token says who is asking, and its organisation can revoke it.
    """

    def __init__(self) -> None:
        super().__init__(rate=settings.HSDS_ANONYMOUS_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        if request.path_info == reverse("hsds:root"):
            return True
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and ApiToken.is_valid(header.removeprefix("Bearer ").strip()):
            return True
        self.num_requests, self.duration = self.parse_rate(settings.HSDS_ANONYMOUS_RATE)
        return super().allow_request(request)


class OrganisationToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return ApiToken.authenticate(token)


class HsdsAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return openapi.document()


api = HsdsAPI(
    title="Stödkedjan HSDS",
    version="1.0",
    urls_namespace="hsds",
    docs_url=None,
    openapi_url="/openapi.json",
    throttle=[AnonymousClientThrottle()],
)


# --- answers -------------------------------------------------------------------------------------------
def problem(status: int, error: str, message: str, errors: list[dict[str, str]] | None = None) -> HttpResponseBase:
    body: dict[str, Any] = {"status": status, "error": error, "message": message}
    if errors:
        body["errors"] = errors
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=JSON_TYPE)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponseBase:
    errors = [
        {"path": "/".join(str(p) for p in e.get("loc", [])[1:]) or "request", "message": e.get("msg", "invalid")}
        for e in exc.errors
    ]
    return problem(422, "invalid_parameter", "A parameter has a value that is not allowed.", errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponseBase:
    response = problem(401, "unauthenticated", "Send an organisation's API token: Authorization: Bearer stk_…")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponseBase:
    reason = {429: "rate_limited", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
    return problem(exc.status_code, reason, str(exc))


@api.exception_handler(DatabaseError)
def _database_unavailable(request: HttpRequest, exc: DatabaseError) -> HttpResponseBase:
    logger.warning("API request not answered: the database did not answer", exc_info=exc)
    response = problem(503, "unavailable", "The database is not answering just now; nothing was changed. Try again.")
    response["Retry-After"] = "5"
    return response


@api.exception_handler(write.Rejected)
def _rejected(request: HttpRequest, exc: write.Rejected) -> HttpResponseBase:
    return problem(exc.status, exc.error, exc.message, exc.errors)


def respond(
    request: HttpRequest, data: Any, last_modified: datetime | None = None, status: int = 200
) -> HttpResponseBase:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    stamp = int(last_modified.timestamp()) if last_modified else None  # HTTP dates have whole seconds
    if request.method == "GET":
        unchanged = get_conditional_response(request, etag=etag, last_modified=stamp)
        if unchanged is not None:
            return unchanged
    response = HttpResponse(body, status=status, content_type=JSON_TYPE)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60"
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    return response


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("hsds:root"))


def page_of(request: HttpRequest, queryset: Any, page: int, per_page: int, render: Any, fmt: str) -> HttpResponseBase:
    """The HSDS page shape (or, with format=ndjson, every result, one JSON object per line)."""
    if fmt == "ndjson":
        return StreamingHttpResponse(_ndjson(queryset, render), content_type="application/x-ndjson")
    total = len(queryset) if isinstance(queryset, list) else queryset.count()
    pages = max(1, math.ceil(total / per_page))
    rows = list(queryset[(page - 1) * per_page : page * per_page])
    contents = render(rows)
    return respond(
        request,
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= pages,
            "empty": total == 0,
            "contents": contents,
        },
    )


def _ndjson(queryset: Any, render: Any) -> Iterator[bytes]:
    for start in range(0, 10**9, NDJSON_CHUNK):
        rows = list(queryset[start : start + NDJSON_CHUNK])
        if not rows:
            return
        for item in render(rows):
            yield json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise HttpError(404, f"There is no {what} with the id {value[:80]!r} (ids are UUIDs).") from None


def _optional_uuid(value: str | None, name: str) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise write.Rejected(
            422, "invalid_parameter", f"{name} must be a UUID.", [{"path": name, "message": "not a UUID"}]
        ) from None


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value) if "T" in value or " " in value else None
    if moment is None:
        day = parse_date(value) if len(value) == 10 else None
        if day is None:
            raise write.Rejected(
                422,
                "invalid_parameter",
                "modified_after must be an ISO 8601 date or date-time.",
                [{"path": "modified_after", "message": "not an ISO 8601 date or date-time"}],
            )
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# --- taxonomy filters ----------------------------------------------------------------------------------
def _services_with_term(queryset: QuerySet[Service], term_uuid: uuid.UUID | None) -> QuerySet[Service]:
    if term_uuid is None:
        return queryset
    key = str(term_uuid)
    term = vocab.term_by_id().get(key)
    if term is None:
        code = vocab.area_code_by_id().get(key)
        if code is None:
            return queryset.none()
        area = Area.objects.get(code=code)
        return queryset.filter(pk__in=ServiceArea.objects.filter(area=area).values("service_id"))
    if term.vocabulary == "level":
        return queryset.filter(level=term.code)
    if term.vocabulary in (Taxonomy.FORMAT, Taxonomy.ARENA, Taxonomy.TOPIC):
        return queryset.filter(with_term(term.vocabulary, term.code))
    if term.vocabulary == "age_band":
        low, high = next((lo, hi) for code, lo, hi in vocab.AGE_BANDS if code == term.code)
        return queryset.filter(minimum_age__lte=high, maximum_age__gte=low)
    if term.vocabulary == "organisation_kind":
        return queryset.filter(organisation__kind=term.code)
    field = {"method": "method_name", "accessibility": "accessibility"}[term.code]
    return queryset.exclude(**{field: ""})


def _services_in_taxonomy(queryset: QuerySet[Service], taxonomy_uuid: uuid.UUID | None) -> QuerySet[Service]:
    if taxonomy_uuid is None:
        return queryset
    found = vocab.vocabulary_by_name_or_id(str(taxonomy_uuid))
    if found is None:
        return queryset.none()
    if found.key in (Taxonomy.FORMAT, Taxonomy.ARENA, Taxonomy.TOPIC):
        return queryset.filter(with_term(found.key))
    if found.key == "area":
        return queryset.filter(pk__in=ServiceArea.objects.values("service_id"))
    if found.key == "field":
        return queryset.exclude(method_name="", accessibility="")
    return queryset  # every service has a level, an age band and an organisation kind


def filtered_services(
    search: str | None,
    taxonomy_term_id: str | None,
    taxonomy_id: str | None,
    organization_id: str | None,
    modified_after: str | None,
) -> QuerySet[Service]:
    queryset = serialize.published_services()
    if search:
        queryset, _tokens = matching_text(queryset, search[:200])
    queryset = _services_with_term(queryset, _optional_uuid(taxonomy_term_id, "taxonomy_term_id"))
    queryset = _services_in_taxonomy(queryset, _optional_uuid(taxonomy_id, "taxonomy_id"))
    org = _optional_uuid(organization_id, "organization_id")
    if org is not None:
        queryset = queryset.filter(organisation__uuid=org)
    since = _since(modified_after)
    if since is not None:
        queryset = queryset.filter(updated_at__gte=since)
    return queryset.order_by("pk")


# --- read endpoints ------------------------------------------------------------------------------------
@api.get("/", url_name="root")
def root(request: HttpRequest) -> HttpResponseBase:
    return respond(
        request,
        {
            "version": HSDS_VERSION,
            "profile": request.build_absolute_uri(reverse("hsds_pages:profile")),
            "openapi_url": request.build_absolute_uri(reverse("hsds:openapi-json")),
        },
    )


@api.get("/services", url_name="services")
def services(
    request: HttpRequest,
    search: str | None = None,
    page: int = Query(1, ge=1, le=10**6),
    per_page: int = Query(DEFAULT_PER_PAGE, ge=1, le=settings.HSDS_MAX_PER_PAGE),
    format: str = Query("json", pattern="^(json|ndjson)$"),
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: str | None = None,
    minimal: bool = False,
    full: bool = False,
) -> HttpResponseBase:
    queryset = filtered_services(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    serializer = serialize.Serializer(base_url(request))
    if minimal:
        # The API reference: "just id and modified_date". Its list schema would also want name and status;
        # we follow the reference, as the profile page says (a change feed needs no more).
        queryset = queryset.only("uuid", "updated_at")

        def render(rows: list[Service]) -> list[dict[str, Any]]:
            return [{"id": str(s.uuid), "modified_date": s.updated_at.isoformat()} for s in rows]

    elif full:
        queryset = serialize.with_everything(queryset)

        def render(rows: list[Service]) -> list[dict[str, Any]]:
            return [serializer.service_full(s) for s in rows]

    else:
        queryset = queryset.select_related("organisation")

        def render(rows: list[Service]) -> list[dict[str, Any]]:
            return [serializer.service_item(s) for s in rows]

    return page_of(request, queryset, page, per_page, render, format)


@api.get("/services/{id}", url_name="service")
def service(request: HttpRequest, id: str) -> HttpResponseBase:
    found = serialize.with_everything(serialize.published_services()).filter(uuid=_uuid(id, "service")).first()
    if found is None:
        raise HttpError(404, f"There is no published service with the id {id}.")
    return respond(request, serialize.Serializer(base_url(request)).service_full(found), found.updated_at)


@api.get("/organizations", url_name="organizations")
def organizations(
    request: HttpRequest,
    search: str | None = None,
    full_service: bool = False,
    full: bool = False,
    page: int = Query(1, ge=1, le=10**6),
    per_page: int = Query(DEFAULT_PER_PAGE, ge=1, le=settings.HSDS_MAX_PER_PAGE),
    format: str = Query("json", pattern="^(json|ndjson)$"),
) -> HttpResponseBase:
    queryset = serialize.published_organisations().select_related("parent").order_by("pk")
    if search:
        queryset = queryset.filter(Q(name__icontains=search[:200]) | Q(description__icontains=search[:200]))
    serializer = serialize.Serializer(base_url(request))

    def render(rows: list[Organisation]) -> list[dict[str, Any]]:
        if not (full or full_service):
            return [serializer.organisation_item(o) for o in rows]
        return [_organisation(serializer, o, full_service) for o in rows]

    return page_of(request, queryset, page, per_page, render, format)


def _organisation(serializer: serialize.Serializer, organisation: Organisation, full_service: bool) -> dict[str, Any]:
    own = serialize.published_services().filter(organisation=organisation).order_by("pk")
    if full_service:
        nested = [serializer.service_full(s) for s in serialize.with_everything(own)]
    else:
        nested = [serializer.service_item(s) for s in own.select_related("organisation")]
    return serializer.organisation_full(organisation, nested)


@api.get("/organizations/{id}", url_name="organization")
def organization(request: HttpRequest, id: str, full_service: bool = False) -> HttpResponseBase:
    found = serialize.published_organisations().select_related("parent").filter(uuid=_uuid(id, "organization")).first()
    if found is None:
        raise HttpError(404, f"There is no organization with published services and the id {id}.")
    return respond(request, _organisation(serialize.Serializer(base_url(request)), found, full_service))


@api.get("/service_at_locations", url_name="service_at_locations")
def service_at_locations(
    request: HttpRequest,
    search: str | None = None,
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: str | None = None,
    full: bool = False,
    page: int = Query(1, ge=1, le=10**6),
    per_page: int = Query(DEFAULT_PER_PAGE, ge=1, le=settings.HSDS_MAX_PER_PAGE),
    format: str = Query("json", pattern="^(json|ndjson)$"),
    postcode: str | None = None,
    proximity: int | None = Query(None, ge=1, le=2_000_000),
) -> HttpResponseBase:
    wanted = filtered_services(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    queryset = ServiceAtLocation.objects.filter(service__in=wanted.values("pk"))
    if postcode:
        queryset = _near(queryset, postcode, proximity)
    queryset = queryset.select_related("service__organisation", "location__organisation").order_by("pk")
    serializer = serialize.Serializer(base_url(request))

    def render(rows: list[ServiceAtLocation]) -> list[dict[str, Any]]:
        if full:
            services = {
                s.pk: s for s in serialize.with_everything(Service.objects.filter(pk__in=[r.service_id for r in rows]))
            }
            for row in rows:
                row.service = services[row.service_id]
            return [serializer.service_at_location_full(r) for r in rows]
        return [
            {
                "id": str(r.uuid),
                "service_id": str(r.service.uuid),
                "location_id": str(r.location.uuid),
                "service": serializer.service_item(r.service),
                "location": serializer.location_item(r.location),
            }
            for r in rows
        ]

    return page_of(request, queryset, page, per_page, render, format)


def _near(queryset: QuerySet[ServiceAtLocation], postcode: str, proximity: int | None) -> QuerySet[ServiceAtLocation]:
    """At this postal code; with ``proximity``, within that many metres of the code's centroid.

    Sweden publishes no free postcode centroids, so the centroid is the mean of our own located places
    with that code; an unknown code matches nothing.
    """
    code = "".join(postcode.split())
    written = [code, f"{code[:3]} {code[3:]}"]  # "14559" and "145 59"
    if proximity is None:
        return queryset.filter(location__postal_code__in=written)
    located = Location.objects.filter(postal_code__in=written, latitude__isnull=False, longitude__isnull=False)
    points = [(float(lat), float(lon)) for lat, lon in located.values_list("latitude", "longitude") if lat and lon]
    if not points:
        return queryset.none()
    lat = math.fsum(p[0] for p in points) / len(points)
    lon = math.fsum(p[1] for p in points) / len(points)
    dlat = proximity / 111_200
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return queryset.filter(
        location__latitude__range=(lat - dlat, lat + dlat), location__longitude__range=(lon - dlon, lon + dlon)
    )


@api.get("/service_at_locations/{id}", url_name="service_at_location")
def service_at_location(request: HttpRequest, id: str) -> HttpResponseBase:
    found = (
        ServiceAtLocation.objects.filter(
            uuid=_uuid(id, "service_at_location"), service__in=serialize.published_services()
        )
        .select_related("location__organisation")
        .first()
    )
    if found is None:
        raise HttpError(404, f"There is no published service at location with the id {id}.")
    found.service = serialize.with_everything(Service.objects.filter(pk=found.service_id)).get()
    return respond(
        request, serialize.Serializer(base_url(request)).service_at_location_full(found), found.service.updated_at
    )


@api.get("/taxonomies", url_name="taxonomies")
def taxonomies(
    request: HttpRequest,
    search: str | None = None,
    page: int = Query(1, ge=1, le=10**6),
    per_page: int = Query(DEFAULT_PER_PAGE, ge=1, le=settings.HSDS_MAX_PER_PAGE),
    format: str = Query("json", pattern="^(json|ndjson)$"),
) -> HttpResponseBase:
    rows = list(vocab.VOCABULARIES.values())
    if search:
        needle = search.casefold()
        rows = [v for v in rows if needle in v.name.casefold() or needle in v.description.casefold()]
    url = base_url(request)
    return page_of(request, rows, page, per_page, lambda items: [serialize.taxonomy(v, url) for v in items], format)


@api.get("/taxonomies/{id}", url_name="taxonomy")
def taxonomy(request: HttpRequest, id: str) -> HttpResponseBase:
    found = next((v for v in vocab.VOCABULARIES.values() if v.id == str(_uuid(id, "taxonomy"))), None)
    if found is None:
        raise HttpError(404, f"There is no taxonomy with the id {id}.")
    return respond(request, serialize.taxonomy(found, base_url(request)))


@api.get("/taxonomy_terms", url_name="taxonomy_terms")
def taxonomy_terms(
    request: HttpRequest,
    search: str | None = None,
    page: int = Query(1, ge=1, le=10**6),
    per_page: int = Query(DEFAULT_PER_PAGE, ge=1, le=settings.HSDS_MAX_PER_PAGE),
    format: str = Query("json", pattern="^(json|ndjson)$"),
    taxonomy_id: str | None = None,
    top_only: bool = False,
    parent_id: str | None = None,
) -> HttpResponseBase:
    rows = vocab.all_terms()
    wanted_taxonomy = _optional_uuid(taxonomy_id, "taxonomy_id")
    if wanted_taxonomy is not None:
        rows = [t for t in rows if vocab.VOCABULARIES[t.vocabulary].id == str(wanted_taxonomy)]
    wanted_parent = _optional_uuid(parent_id, "parent_id")
    if wanted_parent is not None:
        rows = [t for t in rows if t.parent_id == str(wanted_parent)]
    if top_only:
        rows = [t for t in rows if not t.parent_code]
    if search:
        needle = search.casefold()
        rows = [t for t in rows if needle in t.name.casefold() or needle in t.published_code.casefold()]
    url = base_url(request)
    return page_of(
        request, rows, page, per_page, lambda items: [serialize.taxonomy_term(t, url) for t in items], format
    )


@api.get("/taxonomy_terms/{id}", url_name="taxonomy_term")
def taxonomy_term(request: HttpRequest, id: str) -> HttpResponseBase:
    wanted = str(_uuid(id, "taxonomy term"))
    found = next((t for t in vocab.all_terms() if t.id == wanted), None)
    if found is None:
        raise HttpError(404, f"There is no taxonomy term with the id {id}.")
    return respond(request, serialize.taxonomy_term(found, base_url(request)))


# --- write endpoints (an organisation's token) -------------------------------------------------------------
def _body(request: HttpRequest) -> Any:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > settings.HSDS_MAX_BODY_BYTES:
        raise write.Rejected(413, "body_too_large", f"The body may be at most {settings.HSDS_MAX_BODY_BYTES} bytes.")
    try:
        raw = request.body
    except RequestDataTooBig:
        raise write.Rejected(413, "body_too_large", "The body is too large.") from None
    return write.parse_json(raw)


@api.post("/services", auth=OrganisationToken(), url_name="service_create")
def create_service(request: HttpRequest) -> HttpResponseBase:
    saved, _draft = write.upsert(request.auth, _body(request), service_id=None)
    return _written(request, saved, 201)


@api.put("/services/{id}", auth=OrganisationToken(), url_name="service_update")
def update_service(request: HttpRequest, id: str) -> HttpResponseBase:
    target = _uuid(id, "service")
    existed = Service.objects.filter(uuid=target).exists()
    saved, draft = write.upsert(request.auth, _body(request), service_id=target)
    if draft is not None:
        return _drafted(request, saved, draft)
    return _written(request, saved, 200 if existed else 201)


@api.delete("/services/{id}", auth=OrganisationToken(), url_name="service_unpublish")
def unpublish_service(request: HttpRequest, id: str) -> HttpResponseBase:
    write.unpublish(request.auth, _uuid(id, "service"))
    return HttpResponse(status=204)


def _drafted(request: HttpRequest, service: Service, draft: Any) -> HttpResponseBase:
    """202: the organisation reviews changes, so the change waits as a draft; the service stays as published."""
    fresh = serialize.with_everything(Service.objects.filter(pk=service.pk)).get()
    body = {
        "status": "draft_waiting_for_review",
        "message": "The organisation reviews changes to published services: this change waits as a draft until "
        "a reviewer approves it. The service below is what is published now, unchanged.",
        "draft_id": draft.pk,
        "service": serialize.Serializer(base_url(request)).service_full(fresh),
    }
    return respond(request, body, status=202)


def _written(request: HttpRequest, service: Service, status: int) -> HttpResponseBase:
    fresh = serialize.with_everything(Service.objects.filter(pk=service.pk)).get()
    return respond(request, serialize.Serializer(base_url(request)).service_full(fresh), status=status)
