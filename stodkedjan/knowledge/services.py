"""Writes to the knowledge bank."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.knowledge.models import Method, Resource


@transaction.atomic
def save_method(organisation: Organisation, fields: dict[str, Any], method: Method | None = None) -> Method:
    """Create or update a method. Offerings that name it are linked by the directory (its signal)."""
    if method is None:
        method = Method(organisation=organisation)
    for name, value in fields.items():
        setattr(method, name, value)
    method.updated_at = timezone.now()
    method.save()
    return method


@transaction.atomic
def save_resource(
    organisation: Organisation, fields: dict[str, Any], methods: list[Method], resource: Resource | None = None
) -> Resource:
    """Create or update a resource (a document, a link or a good example) and the methods it is about."""
    if resource is None:
        resource = Resource(organisation=organisation)
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.save()
    resource.methods.set(methods)
    return resource
