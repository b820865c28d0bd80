"""Offerings for tests, made through ``services.save_service`` so the search index is real too."""

from __future__ import annotations

import itertools
from datetime import time
from typing import Any

from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.directory import services
from stodkedjan.directory.models import Level, Location, Service, Status, Taxonomy
from stodkedjan.geo.models import Area

_numbers = itertools.count(1)


def make_service(
    organisation: Organisation,
    *,
    name: str | None = None,
    description: str = "Träffar för föräldrar.",
    status: str = Status.ACTIVE,
    level: str = Level.UNIVERSAL,
    ages: tuple[int, int] = (0, 18),
    formats: tuple[str, ...] = ("group",),
    arenas: tuple[str, ...] = ("family_centre",),
    languages: tuple[str, ...] = ("sv",),
    areas: list[Area] | None = None,
    location: Location | None = None,
    byday: tuple[str, ...] = (),
    is_free: bool = True,
    **fields: Any,
) -> Service:
    number = next(_numbers)
    data = services.ServiceData(
        fields={
            "name_sv": name or f"Föräldragrupp {number}",
            "description_sv": description,
            "level": level,
            "minimum_age": ages[0],
            "maximum_age": ages[1],
            "is_free": is_free,
            "fees_description": "" if is_free else "100 kr",
            **fields,
        },
        terms={Taxonomy.FORMAT: list(formats), Taxonomy.ARENA: list(arenas), Taxonomy.LANGUAGE: list(languages)},
        areas=areas if areas is not None else [organisation.area],
        locations=[location] if location else [],
        schedules=[services.ScheduleData(list(byday), time(17, 30), time(19, 0))] if byday else [],
        phone="08-123 456 78",
    )
    service = services.save_service(organisation, data)
    if status != Status.DRAFT:
        Service.objects.filter(pk=service.pk).update(status=status, assured_date=timezone.localdate())
        service.refresh_from_db()
        services.reindex(service)
    return service


def make_location(
    organisation: Organisation,
    area: Area | None = None,
    lat: float = 59.24,
    lon: float = 17.84,
    address: str = "Testvägen 1",
) -> Location:
    return Location.objects.create(
        organisation=organisation,
        name=f"Träffpunkt {next(_numbers)}",
        municipality=area or organisation.area,
        address=address,
        postal_code="145 59",
        city="Norsborg",
        latitude=lat,
        longitude=lon,
    )
