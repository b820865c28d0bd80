"""Our directory as HSDS 3.0 objects: the shapes the API returns and the export writes.

Everything is read in batches (one query per kind of row for a whole page), so a page of 50 fully
nested services costs the same dozen queries as a page of one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation

from stodkedjan.accounts.models import Organisation, OrganisationKind
from stodkedjan.directory.models import (
    LANGUAGE_NAMES,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    Status,
    Taxonomy,
)
from stodkedjan.geo.models import Area
from stodkedjan.hsds import vocabulary as vocab

PUBLISHED = [Status.ACTIVE]
FREE_OPTION = "Kostnadsfritt"
INTERPRETER_TEXT = "Tolk kan bokas."
COUNTRY = "SE"
# Opening times are the wall-clock times of Sweden. HSDS wants an offset from UTC on each time; Sweden's
# changes with summer time, so a schedule states the offset in force on its first day (today's, if it has
# none). Read back, the wall-clock time is what counts (see the profile page).
LOCAL_ZONE = ZoneInfo(settings.TIME_ZONE)  # Europe/Stockholm


def published_services() -> QuerySet[Service]:
    return Service.objects.filter(status__in=PUBLISHED, duplicate_of__isnull=True)


def published_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(services__status__in=PUBLISHED).distinct()


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty optional values: HSDS clients read a missing field and an empty one alike."""
    return {k: v for k, v in obj.items() if v not in (None, "")}


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def schedule_day(valid_from: date | None) -> date:
    """The day whose UTC offset a schedule's times carry."""
    return valid_from or timezone.localdate()


def _time(value: time | None, day: date) -> str | None:
    """``17:30:00+01:00``: HH:MM:SS, as the data package's time type needs, with Sweden's offset that day."""
    return datetime.combine(day, value, tzinfo=LOCAL_ZONE).isoformat()[11:] if value else None


def utc_offset_hours(day: date) -> float:
    offset = datetime.combine(day, time(12), tzinfo=LOCAL_ZONE).utcoffset()
    hours = offset.total_seconds() / 3600 if offset else 0.0
    return int(hours) if hours.is_integer() else hours


def taxonomy(v: vocab.Vocabulary, base_url: str = "") -> dict[str, Any]:
    return _clean(
        {
            "id": v.id,
            "name": v.name,
            "description": v.description,
            "uri": f"{base_url}profile/#{v.name}" if base_url else None,
            "version": vocab.PROFILE_VERSION,
        }
    )


def taxonomy_term(term: vocab.Term, base_url: str = "") -> dict[str, Any]:
    v = vocab.VOCABULARIES[term.vocabulary]
    return _clean(
        {
            "id": term.id,
            "code": term.published_code,
            "name": term.name,
            "description": term.name,
            "parent_id": term.parent_id,
            "taxonomy": v.name,
            "taxonomy_id": v.id,
            "language": "sv",
            "term_uri": f"{base_url}taxonomy_terms/{term.id}" if base_url else None,
        }
    )


GENERATED_NOTE = (
    "Beskrivningen är skapad av Stödkedjan av organisationens typ och område; "
    "organisationen har inte skrivit någon egen."
)


def generated_description(organisation: Organisation, area_name: str) -> str:
    """HSDS requires an organisation's description; where it wrote none, one from what we know, marked so."""
    with translation.override("sv"):
        kind = str(OrganisationKind(organisation.kind).label) if organisation.kind in OrganisationKind.values else ""
    kind = kind[:1].upper() + kind[1:] if kind else "Organisation"
    return f"{kind} i {area_name}. {GENERATED_NOTE}"


class Serializer:
    """Builds HSDS objects for a batch of rows, with the lookups they share read once."""

    def __init__(self, base_url: str = "") -> None:
        self.base_url = base_url
        self._areas: dict[int, Area] | None = None
        self._terms = {(t.vocabulary, t.code): t for t in vocab.fixed_terms()}

    # --- shared pieces ---------------------------------------------------------------------------------
    def area(self, pk: int) -> Area:
        if self._areas is None:
            self._areas = {a.pk: a for a in Area.objects.only("pk", "code", "name", "parent_id", "county_id")}
        return self._areas[pk]

    def term(self, vocabulary: str, code: str) -> vocab.Term:
        """A fixed term (areas come from ``area_term``)."""
        return self._terms[(vocabulary, code)]

    def attribute(
        self, owner_id: Any, entity: str, term: vocab.Term, value: str = "", full_term: bool = True
    ) -> dict[str, Any]:
        return _clean(
            {
                "id": vocab.child_id(owner_id, "attribute", f"{term.vocabulary}/{term.code}"),
                "link_id": str(owner_id),
                "link_type": term.vocabulary,
                "link_entity": entity,
                "taxonomy_term_id": term.id,
                "value": value,
                "taxonomy_term": taxonomy_term(term, self.base_url) if full_term else None,
            }
        )

    def area_term(self, pk: int) -> vocab.Term:
        area = self.area(pk)
        parent = self.area(area.parent_id).code if area.parent_id else ""
        return vocab.Term("area", area.code, area.name, parent)

    # --- organizations ---------------------------------------------------------------------------------
    def organisation_item(self, organisation: Organisation) -> dict[str, Any]:
        """The one-to-one fields of an organisation (``compiled/organization_list.json``)."""
        description = organisation.description.strip() or generated_description(
            organisation, self.area(organisation.area_id).name
        )
        return _clean(
            {
                "id": str(organisation.uuid),
                "name": organisation.name,
                "description": description,
                "email": organisation.email,
                "website": organisation.website,
            }
        )

    def organisation_full(self, organisation: Organisation, services: list[dict[str, Any]]) -> dict[str, Any]:
        org_id = str(organisation.uuid)
        locations = Location.objects.filter(
            organisation=organisation, service_at_locations__service__status__in=PUBLISHED
        ).distinct()
        parent = organisation.parent.uuid if organisation.parent_id and organisation.parent else None
        return self.organisation_item(organisation) | _clean(
            {
                "parent_organization_id": str(parent) if parent else None,
                "phones": [
                    {"id": vocab.child_id(org_id, "phone"), "organization_id": org_id, "number": organisation.phone}
                ]
                if organisation.phone
                else [],
                "locations": [self.location(loc) for loc in locations.order_by("uuid")],
                "attributes": [
                    self.attribute(org_id, "organization", self.area_term(organisation.area_id)),
                    self.attribute(org_id, "organization", self.term("organisation_kind", organisation.kind)),
                ],
                "services": services,
            }
        )

    # --- locations -------------------------------------------------------------------------------------
    def location(self, location: Location) -> dict[str, Any]:
        loc_id = str(location.uuid)
        municipality = self.area(location.municipality_id)
        county = self.area(municipality.county_id) if municipality.county_id else municipality
        addresses = []
        if location.address:
            addresses.append(
                {
                    "id": vocab.child_id(loc_id, "address"),
                    "location_id": loc_id,
                    "address_1": location.address,
                    "city": location.city or municipality.name,
                    "state_province": county.name,
                    "postal_code": location.postal_code,
                    "country": COUNTRY,
                    "address_type": "physical",
                }
            )
        transportation = location.transportation_sv
        return _clean(
            {
                "id": loc_id,
                "location_type": "physical",
                "organization_id": str(location.organisation.uuid),
                "name": location.name,
                "transportation": transportation,
                "latitude": location.latitude,
                "longitude": location.longitude,
                "addresses": addresses,
                "accessibility": [
                    {
                        "id": vocab.child_id(loc_id, "accessibility"),
                        "location_id": loc_id,
                        "description": location.accessibility,
                    }
                ]
                if location.accessibility
                else [],
                "attributes": [self.attribute(loc_id, "location", self.area_term(location.municipality_id))],
            }
        )

    def location_item(self, location: Location) -> dict[str, Any]:
        """The one-to-one fields of a location, as a list item carries them (no child arrays)."""
        return {k: v for k, v in self.location(location).items() if not isinstance(v, list)}

    # --- services --------------------------------------------------------------------------------------
    def service_item(self, service: Service) -> dict[str, Any]:
        """The one-to-one fields of a service (``compiled/service_list.json``)."""
        name, description = service.name_sv, service.description_sv  # HSDS carries one language: Swedish
        return _clean(
            {
                "id": str(service.uuid),
                "organization_id": str(service.organisation.uuid),
                "name": name,
                "description": description,
                "url": service.url,
                "email": service.email,
                "status": service.status,
                "interpretation_services": INTERPRETER_TEXT if service.interpretation_available else "",
                "application_process": service.application_process,
                "fees_description": service.fees_description,
                "minimum_age": service.minimum_age,
                "maximum_age": service.maximum_age,
                "assured_date": _date(service.assured_date),
                "assurer_email": service.assurer_email,
                "last_modified": service.updated_at.isoformat(),
                "organization": self.organisation_item(service.organisation),
            }
        )

    def service_full(self, service: Service, with_locations: bool = True) -> dict[str, Any]:
        service_id = str(service.uuid)
        terms = list(service.terms.all())
        attributes = [self.attribute(service_id, "service", self.term("level", service.level))]
        for taxonomy in (Taxonomy.FORMAT, Taxonomy.ARENA, Taxonomy.TOPIC):
            attributes += [
                self.attribute(service_id, "service", self.term(taxonomy, t.code))
                for t in sorted(terms, key=lambda t: t.code)
                if t.taxonomy == taxonomy
            ]
        attributes += [
            self.attribute(service_id, "service", self.term("age_band", code))
            for code in vocab.age_bands(service.minimum_age, service.maximum_age)
        ]
        served = sorted(service.areas_served.all(), key=lambda a: a.code)
        attributes += [self.attribute(service_id, "service", self.area_term(a.pk)) for a in served]
        for code, text in (("method", service.method_name), ("accessibility", service.accessibility)):
            if text:
                attributes.append(self.attribute(service_id, "service", self.term("field", code), text))
        languages = [t.code for t in terms if t.taxonomy == Taxonomy.LANGUAGE]
        sals = sorted(service.service_at_locations.all(), key=lambda s: str(s.uuid))
        full = self.service_item(service) | {
            "phones": [
                _clean({"id": str(p.uuid), "service_id": service_id, "number": p.number, "description": p.description})
                for p in service.phones.all()
            ],
            "schedules": [self.schedule(s, service_id) for s in service.schedules.all()],
            "service_areas": [
                {
                    "id": vocab.child_id(service_id, "service_area", a.code),
                    "service_id": service_id,
                    "name": a.name,
                    "extent_type": "other",
                    "extent": a.code,
                }
                for a in served
            ],
            "service_at_locations": [
                _clean(
                    {
                        "id": str(sal.uuid),
                        "service_id": service_id,
                        "location_id": str(sal.location.uuid),
                        "location": self.location(sal.location) if with_locations else None,
                    }
                )
                for sal in sals
            ],
            "languages": [
                {
                    "id": vocab.child_id(service_id, "language", code),
                    "service_id": service_id,
                    "name": LANGUAGE_NAMES.get(code, code),
                    "code": code,
                }
                for code in sorted(languages)
            ],
            "cost_options": [
                {
                    "id": vocab.child_id(service_id, "cost_option", "free"),
                    "service_id": service_id,
                    "option": FREE_OPTION,
                    "amount": 0,
                    "currency": "SEK",
                }
            ]
            if service.is_free
            else [],
            "contacts": [
                _clean(
                    {"id": str(c.uuid), "service_id": service_id, "name": c.name, "title": c.title, "email": c.email}
                )
                for c in service.contacts.all()
            ],
            "attributes": attributes,
        }
        return full

    def schedule(self, schedule: Schedule, service_id: str) -> dict[str, Any]:
        day = schedule_day(schedule.valid_from)
        return _clean(
            {
                "id": str(schedule.uuid),
                "service_id": service_id,
                "valid_from": _date(schedule.valid_from),
                "valid_to": _date(schedule.valid_to),
                "dtstart": _date(schedule.valid_from),
                "count": schedule.count,
                "wkst": "MO",
                "freq": "WEEKLY",
                "interval": 1,
                "byday": schedule.byday,
                "timezone": utc_offset_hours(day) if schedule.opens_at or schedule.closes_at else None,
                "opens_at": _time(schedule.opens_at, day),
                "closes_at": _time(schedule.closes_at, day),
                "notes": schedule.notes,
            }
        )

    def service_at_location_full(self, sal: ServiceAtLocation) -> dict[str, Any]:
        # The nested service is the one of this place: its own list of places is not part of the object.
        service = self.service_full(sal.service, with_locations=False)
        del service["service_at_locations"]
        sal_id = str(sal.uuid)
        return {
            "id": sal_id,
            "service_id": str(sal.service.uuid),
            "location_id": str(sal.location.uuid),
            "location": self.location(sal.location),
            "schedules": list(service["schedules"]),
            "phones": service["phones"],
            "contacts": service["contacts"],
            "service": service,
        }


def with_everything(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """A service queryset that reads all nested rows in one query per kind."""
    locations = Location.objects.select_related("organisation")
    return queryset.select_related("organisation").prefetch_related(
        "terms",
        "areas_served",
        "schedules",
        "phones",
        "contacts",
        Prefetch("service_at_locations", ServiceAtLocation.objects.prefetch_related(Prefetch("location", locations))),
    )


def services_full(services: Iterable[Service], base_url: str = "") -> list[dict[str, Any]]:
    serializer = Serializer(base_url)
    return [serializer.service_full(s) for s in services]
