"""Writes to the directory: saving, publishing, checking and copying offerings, and the search index."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.core import audit
from stodkedjan.core.models import AuditKind
from stodkedjan.directory import duplicates, facts, search
from stodkedjan.directory.models import (
    DAY_BITS,
    FORMAT_BITS,
    LANGUAGE_BITS,
    SITE_LANGUAGE_BITS,
    Contact,
    Location,
    Phone,
    Schedule,
    SearchEntry,
    SearchTerm,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Status,
    Taxonomy,
    TaxonomyTerm,
    bits_of,
    choices_of,
)
from stodkedjan.geo.models import Area
from stodkedjan.knowledge import queries as knowledge_queries
from stodkedjan.knowledge.models import Method

NAME_WEIGHT = 3
FACT_WEIGHT = 2  # its languages, format, interpreter and ages, as words (directory.facts)
TEXT_WEIGHT = 1
TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def ensure_terms() -> dict[tuple[str, str], TaxonomyTerm]:
    """Create any missing taxonomy term rows (the labels live in the code); return them by key."""
    wanted = {(taxonomy, code) for taxonomy in Taxonomy.values for code, _label in choices_of(taxonomy)}
    existing = {(t.taxonomy, t.code): t for t in TaxonomyTerm.objects.all()}
    missing = [TaxonomyTerm(taxonomy=t, code=c) for t, c in sorted(wanted - set(existing))]
    if missing:
        TaxonomyTerm.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {(t.taxonomy, t.code): t for t in TaxonomyTerm.objects.all()}
    return existing


@dataclass
class ScheduleData:
    byday: list[str]
    opens_at: time
    closes_at: time
    valid_from: date | None = None
    valid_to: date | None = None
    count: int | None = None
    notes: str = ""


@dataclass
class LocationData:
    name: str
    municipality: Area
    address: str = ""
    postal_code: str = ""
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    transportation: str = ""


@dataclass
class ServiceData:
    """Everything a provider says about one offering, as a form or a spreadsheet row gives it."""

    fields: dict[str, Any]  # plain and translated model fields (name_sv, description_en, level, …)
    terms: dict[str, list[str]]  # taxonomy → codes
    areas: list[Area]
    locations: list[Location] = field(default_factory=list)
    new_location: LocationData | None = None
    schedules: list[ScheduleData] = field(default_factory=list)
    contact_name: str = ""
    phone: str = ""


@transaction.atomic
def save_service(organisation: Organisation, data: ServiceData, service: Service | None = None) -> Service:
    """Create or update an offering with all its parts, and refresh its search index."""
    if service is None:
        service = Service(organisation=organisation)
    for name, value in data.fields.items():
        setattr(service, name, value)
    service.method = knowledge_queries.method_for_name(service.method_name)
    service.save()
    terms = ensure_terms()
    service.terms.set([terms[(tax, code)] for tax, codes in data.terms.items() for code in codes])
    service.areas_served.set(data.areas)
    locations = list(data.locations)
    if data.new_location is not None:
        loc = data.new_location
        locations.append(
            Location.objects.create(
                organisation=organisation,
                name=loc.name,
                municipality=loc.municipality,
                address=loc.address,
                postal_code=loc.postal_code,
                city=loc.city,
                latitude=loc.latitude,
                longitude=loc.longitude,
                transportation_sv=loc.transportation,
            )
        )
    ServiceAtLocation.objects.filter(service=service).exclude(location__in=locations).delete()
    for location in locations:
        ServiceAtLocation.objects.get_or_create(service=service, location=location)
    _replace_schedules(service, data.schedules, locations[0] if locations else None)
    _replace_contact(service, data.contact_name, data.phone)
    reindex(service)
    return service


def _replace_schedules(service: Service, schedules: list[ScheduleData], location: Location | None) -> None:
    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        Schedule(
            service=service,
            location=location,
            byday=",".join(s.byday),
            opens_at=s.opens_at,
            closes_at=s.closes_at,
            valid_from=s.valid_from,
            valid_to=s.valid_to,
            count=s.count,
            notes=s.notes,
        )
        for s in schedules
    )


def _replace_contact(service: Service, name: str, phone: str) -> None:
    contact = service.contacts.first()
    if name:
        if contact is None:
            Contact.objects.create(service=service, name=name, email=service.email)
        elif contact.name != name:
            contact.name = name
            contact.save()
    elif contact is not None:
        service.contacts.all().delete()
    current = service.phones.first()
    if phone:
        if current is None:
            Phone.objects.create(service=service, number=phone)
        elif current.number != phone:
            current.number = phone
            current.save()
    elif current is not None:
        service.phones.all().delete()


def index_texts(service: Service, codes: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """The texts a service is found by: names in every language weigh most; ``codes`` are its terms."""
    texts: list[tuple[str, int]] = []
    for lang in TRANSLATED_LANGUAGES:
        texts.append((getattr(service, f"name_{lang}") or "", NAME_WEIGHT))
        texts.append((getattr(service, f"description_{lang}") or "", TEXT_WEIGHT))
    texts += [(service.organisation.name, TEXT_WEIGHT), (service.method_name, NAME_WEIGHT)]
    found = facts.fact_text(
        [code for taxonomy, code in codes if taxonomy == Taxonomy.LANGUAGE],
        [code for taxonomy, code in codes if taxonomy == Taxonomy.FORMAT],
        service.interpretation_available,
        (service.minimum_age, service.maximum_age),
    )
    texts.append((found, FACT_WEIGHT))
    return texts


def reindex(service: Service) -> None:
    """Rewrite the search rows of one service: none unless it is published and not a likely duplicate of an
    older one (directory.duplicates); offerings whose duplicate state this changes are rewritten too."""
    for other in duplicates.refresh(service):
        _write_terms(other)
    _write_terms(service)


def _write_terms(service: Service) -> None:
    SearchTerm.objects.filter(service=service).delete()
    SearchEntry.objects.filter(service=service).delete()
    if service.status != Status.ACTIVE or service.duplicate_of_id:
        return
    codes = list(service.terms.values_list("taxonomy", "code"))
    tokens = search.document_tokens(index_texts(service, codes))
    spoken = {code for taxonomy, code in codes if taxonomy == Taxonomy.LANGUAGE}
    languages = sum(SITE_LANGUAGE_BITS.get(code, 0) for code in spoken)
    SearchTerm.objects.bulk_create(
        SearchTerm(service=service, token=t, weight=w, languages=languages) for t, w in tokens.items()
    )
    days = [day for byday in service.schedules.values_list("byday", flat=True) for day in byday.split(",")]
    search_entry(service, codes, days).save(force_insert=True)


def search_entry(service: Service, codes: list[tuple[str, str]], days: Iterable[str]) -> SearchEntry:
    """The finder's filter row of a published service (``SearchEntry``), from its terms and weekdays."""
    return SearchEntry(
        service=service,
        name_sv=service.name_sv or service.name,
        level=service.level,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        is_free=service.is_free,
        interpreter=service.interpretation_available,
        languages=bits_of((c for t, c in codes if t == Taxonomy.LANGUAGE), LANGUAGE_BITS),
        formats=bits_of((c for t, c in codes if t == Taxonomy.FORMAT), FORMAT_BITS),
        days=bits_of(days, DAY_BITS),
        version=timezone.now(),
    )


def set_status(service: Service, status: str, user: Any) -> None:
    """Publish, unpublish or archive. Publishing counts as checking: the provider has just read it."""
    service.status = status
    if status == Status.ACTIVE:
        service.assured_date = timezone.localdate()
        service.assurer_email = user.email
    service._change_reason = f"status → {status}"
    service.save()
    reindex(service)
    audit.record(AuditKind.PUBLICATION, organisation=service.organisation, summary=f"{service.name}: {status}")


def mark_checked(services: Iterable[Service], user: Any) -> int:
    """ "Still correct": record that a provider checked these offerings today."""
    count = 0
    for service in services:
        service.assured_date = timezone.localdate()
        service.assurer_email = user.email
        service._change_reason = "checked, still correct"
        service.save()
        count += 1
    return count


@transaction.atomic
def duplicate(service: Service) -> Service:
    """A draft copy of an offering with all its parts, for a new group round or a similar offering."""
    original_pk = service.pk
    terms = list(service.terms.all())
    areas = list(service.areas_served.all())
    locations = [sal.location for sal in service.service_at_locations.select_related("location")]
    schedules = list(Schedule.objects.filter(service_id=original_pk))
    contacts = list(Contact.objects.filter(service_id=original_pk))
    phones = list(Phone.objects.filter(service_id=original_pk))
    copy = Service.objects.get(pk=original_pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.uuid = Service._meta.get_field("uuid").get_default()
    copy.status = Status.DRAFT
    copy.assured_date = None
    copy.assurer_email = ""
    copy.created_at = timezone.now()
    for lang in TRANSLATED_LANGUAGES:
        name = getattr(copy, f"name_{lang}")
        if name:
            setattr(copy, f"name_{lang}", f"{name} (kopia)" if lang == "sv" else name)
    copy.save()
    copy.terms.set(terms)
    ServiceArea.objects.bulk_create(ServiceArea(service=copy, area=a) for a in areas)
    ServiceAtLocation.objects.bulk_create(ServiceAtLocation(service=copy, location=loc) for loc in locations)
    for objects in (schedules, contacts, phones):
        for obj in objects:
            obj.pk = None
            obj.id = None
            obj._state.adding = True
            obj.uuid = uuid.uuid4()
            obj.service = copy
            obj.save()
    reindex(copy)
    return copy


def link_to_method(method: Method) -> int:
    """Link every offering that names the method (by any of its names) to it, and unlink those that no longer
    do. Runs when a method is saved, so offerings entered before their method was in the bank find it."""
    names = method.names()
    linked = Service.objects.filter(method=method).only("pk", "method_name")
    stale = [s.pk for s in linked if s.method_name.strip().lower() not in names]
    Service.objects.filter(pk__in=stale).update(method=None)
    matching = Q()
    for name in names:
        matching |= Q(method_name__iexact=name)
    return Service.objects.filter(matching).exclude(method=method).update(method=method)
