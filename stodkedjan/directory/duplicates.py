"""Likely duplicates: the same offering listed twice, by one provider or by two (a municipality and the
association that runs it with them, a spreadsheet imported on top of typed entries).

Two published offerings are likely duplicates when they are at the same place (the same location, or
locations with the same street address and postal code), or belong to the same organisation, and their
Swedish names say the same thing: the same words whatever their order and small words ("i", "på", "–"), or
names that differ by a letter or two (``difflib`` ratio), but never names whose numbers differ ("Grupp 1",
"Grupp 2"). Their children's ages must overlap, and if both name their languages, they must share one (ABC in
Swedish and ABC in Arabic at the same family centre are two offerings).

The newer of the two is kept from parents (not in the search index) and from the coverage figures until an
editor merges it into the older one or says the two differ; the older one stays as it was. A decision that
two differ is kept, so they are not flagged again.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from stodkedjan.accounts.models import Organisation, OrganisationKind
from stodkedjan.core import audit
from stodkedjan.core.models import AuditKind
from stodkedjan.directory.models import (
    DuplicateDecision,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Status,
    Taxonomy,
)
from stodkedjan.directory.search import WORD

SMALL_WORDS = frozenset(["i", "på", "för", "och", "med", "vid", "in", "at", "for", "and", "the", "of"])
SAME_WORDS = 0.75  # share of words in common (Jaccard)
SAME_SPELLING = 0.9  # difflib ratio of the sorted words


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_words(name: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(fold(name)) if w not in SMALL_WORDS)


def name_key(name: str) -> str:
    """The words of a name, folded and sorted: "Föräldracafé i Alby" and "Alby – föräldracafe" share one."""
    return " ".join(sorted(name_words(name)))[:200]


def address_key(location: Location) -> str:
    return f"{fold(location.address).strip()}|{location.postal_code.replace(' ', '')}" if location.address else ""


def names_alike(first: str, second: str) -> bool:
    a, b = name_words(first), name_words(second)
    if not a or not b:
        return False
    if {w for w in a if w.isdigit()} != {w for w in b if w.isdigit()}:
        return False
    if len(a & b) / len(a | b) >= SAME_WORDS:
        return True
    return SequenceMatcher(None, " ".join(sorted(a)), " ".join(sorted(b))).ratio() >= SAME_SPELLING


@dataclass
class Facts:
    """What the comparison reads of one offering, read once."""

    service: Service
    places: set[str]  # location ids and address keys
    languages: set[str]


def facts_of(services: list[Service]) -> dict[int, Facts]:
    found = {s.pk: Facts(s, set(), set()) for s in services}
    links = ServiceAtLocation.objects.filter(service_id__in=found).select_related("location")
    for link in links:
        places = found[link.service_id].places
        places.add(f"location:{link.location_id}")
        if key := address_key(link.location):
            places.add(f"address:{key}")
    languages = Service.terms.through.objects.filter(service_id__in=found, taxonomyterm__taxonomy=Taxonomy.LANGUAGE)
    for service_id, code in languages.values_list("service_id", "taxonomyterm__code"):
        found[service_id].languages.add(code)
    return found


def alike(a: Facts, b: Facts) -> bool:
    x, y = a.service, b.service
    same_place = bool(a.places & b.places)
    if not same_place and x.organisation_id != y.organisation_id:
        return False
    if x.minimum_age > y.maximum_age or y.minimum_age > x.maximum_age:
        return False
    if a.languages and b.languages and not a.languages & b.languages:
        return False
    return names_alike(x.name_sv or x.name, y.name_sv or y.name)


def _older(a: Service, b: Service) -> bool:
    return (a.created_at, a.pk) < (b.created_at, b.pk)


def _decided(service: Service) -> set[int]:
    rows = DuplicateDecision.objects.filter(Q(first=service) | Q(second=service)).values_list("first", "second")
    return {other for pair in rows for other in pair if other != service.pk}


def _candidates(service: Service, facts: Facts) -> list[Service]:
    """Published offerings that could be the same: at one of its places or with the same words in the name
    (same organisation or same address), not already hidden or merged."""
    location_ids = [int(p.split(":")[1]) for p in facts.places if p.startswith("location:")]
    addresses = [p.split(":", 1)[1] for p in facts.places if p.startswith("address:")]
    codes = {a.split("|")[1] for a in addresses}
    codes |= {f"{c[:3]} {c[3:]}" for c in codes}  # "14559" and "145 59"
    same_address = (
        [loc.pk for loc in Location.objects.filter(postal_code__in=codes) if address_key(loc) in addresses]
        if addresses
        else []
    )
    nearby = Q(service_at_locations__location_id__in={*location_ids, *same_address})
    same_name = Q(organisation_id=service.organisation_id, name_key=service.name_key) if service.name_key else Q()
    if not location_ids and not same_address and not service.name_key:
        return []
    query = nearby | same_name if service.name_key else nearby
    return list(
        Service.objects.filter(query, status=Status.ACTIVE, duplicate_of__isnull=True, merged_into__isnull=True)
        .exclude(pk=service.pk)
        .distinct()
    )


def refresh(service: Service) -> list[Service]:
    """Decide whether a published offering is a likely duplicate of an older one, or whether newer ones are
    likely duplicates of it. Returns the other offerings whose state changed (to be reindexed)."""
    service.name_key = name_key(service.name_sv or service.name)
    changed: list[Service] = []
    if service.status != Status.ACTIVE or service.merged_into_id:
        service.duplicate_of = None
        Service.objects.filter(pk=service.pk).update(name_key=service.name_key, duplicate_of=None)
        for hidden in Service.objects.filter(duplicate_of=service):  # they no longer have an original here
            Service.objects.filter(pk=hidden.pk).update(duplicate_of=None)
            hidden.duplicate_of = None
            changed.append(hidden)
        return changed
    facts = facts_of([service])[service.pk]
    candidates = _candidates(service, facts)
    decided = _decided(service)
    others = facts_of([c for c in candidates if c.pk not in decided])
    matches = sorted((f.service for f in others.values() if alike(facts, f)), key=lambda s: (s.created_at, s.pk))
    original = next((m for m in matches if _older(m, service)), None)
    service.duplicate_of = original
    Service.objects.filter(pk=service.pk).update(name_key=service.name_key, duplicate_of=original)
    if original is None:
        for newer in matches:
            Service.objects.filter(pk=newer.pk).update(duplicate_of=service)
            newer.duplicate_of = service
            changed.append(newer)
    return changed


# --- what staff see -----------------------------------------------------------------------------------------
@dataclass
class Pair:
    original: Service
    duplicate: Service


def _with_parts(queryset: QuerySet[Service]) -> QuerySet[Service]:
    return queryset.select_related("organisation", "duplicate_of__organisation").prefetch_related(
        "service_at_locations__location", "duplicate_of__service_at_locations__location"
    )


def _hidden_for(organisation: Organisation) -> QuerySet[Service]:
    hidden = Service.objects.filter(duplicate_of__isnull=False, status=Status.ACTIVE)
    if organisation.kind == OrganisationKind.COUNTY_BOARD:
        county = organisation.area
        return hidden.filter(Q(organisation__area=county) | Q(organisation__area__county=county))
    return hidden.filter(Q(organisation=organisation) | Q(duplicate_of__organisation=organisation))


def pairs_for(organisation: Organisation) -> list[Pair]:
    """The likely duplicates an organisation should look at: its own offerings on either side; for a county
    board, every pair in its county."""
    found = _with_parts(_hidden_for(organisation).order_by("duplicate_of__name", "pk"))
    return [Pair(s.duplicate_of, s) for s in found if s.duplicate_of]


def count_for(organisation: Organisation) -> int:
    return _hidden_for(organisation).count()


@transaction.atomic
def mark_distinct(duplicate: Service, user: Any) -> Service:
    """The two are different offerings: show both again, and do not flag them again."""
    original = duplicate.duplicate_of
    if original is None:
        return duplicate
    first, second = sorted([original.pk, duplicate.pk])
    DuplicateDecision.objects.get_or_create(first_id=first, second_id=second, defaults={"decided_by": user})
    from stodkedjan.directory import services

    services.reindex(duplicate)  # looks again: it may still match a third one
    audit.record(
        AuditKind.PUBLICATION,
        organisation=duplicate.organisation,
        actor=user,
        summary=f"{duplicate.name} ≠ {original.name}: not duplicates",
    )
    return duplicate


@transaction.atomic
def merge(keep: Service, retire: Service, user: Any) -> Service:
    """Keep one offering and retire the other into it. Within one organisation the retired one's places,
    areas, group series, languages and contacts missing from the kept one move over; across organisations
    nothing of the other provider's offering is changed. The retired one is unpublished, points to the kept
    one (its public address leads there) and leaves the figures; plans that named it name the kept one."""
    from stodkedjan.directory import services
    from stodkedjan.plans.models import Activity

    if keep.organisation_id == retire.organisation_id:
        for link in retire.service_at_locations.all():
            ServiceAtLocation.objects.get_or_create(service=keep, location_id=link.location_id)
        kept_areas = set(keep.areas_served.values_list("pk", flat=True))
        ServiceArea.objects.bulk_create(
            ServiceArea(service=keep, area_id=a)
            for a in retire.areas_served.values_list("pk", flat=True)
            if a not in kept_areas
        )
        Schedule.objects.filter(service=retire).update(service=keep)
        keep.terms.add(*retire.terms.filter(taxonomy__in=[Taxonomy.LANGUAGE, Taxonomy.FORMAT, Taxonomy.ARENA]))
        if not keep.contacts.exists():
            retire.contacts.update(service=keep)
        if not keep.phones.exists():
            retire.phones.update(service=keep)
    for activity in Activity.objects.filter(services=retire):
        activity.services.add(keep)
        activity.services.remove(retire)
    retire.status = Status.INACTIVE
    retire.merged_into = keep
    retire.duplicate_of = None
    retire._change_reason = f"merged into {keep.name} ({keep.uuid})"
    retire.save()
    keep._change_reason = f"{retire.name} ({retire.uuid}) merged into it"
    keep.updated_at = timezone.now()
    keep.save()
    services.reindex(retire)
    services.reindex(keep)
    audit.record(
        AuditKind.PUBLICATION,
        organisation=retire.organisation,
        actor=user,
        summary=f"{retire.name} merged into {keep.name}",
    )
    return keep
