"""The staff home as a work list: each app adds a section (``settings.STAFF_HOME_SECTIONS``, dotted paths of
functions ``(request, membership) -> Section | None``) with what the member has to do there, its figures and
links, so that the home names the day's work for every role and the accounts app imports no other app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

from stodkedjan.accounts.models import Membership


@dataclass
class Section:
    """One part of the home: a heading, the app's fragment that draws it and what the fragment needs."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionMaker = Callable[[HttpRequest, Membership], "Section | None"]


def sections(request: HttpRequest, membership: Membership | None) -> list[Section]:
    if membership is None:
        return []
    found = []
    for path in settings.STAFF_HOME_SECTIONS:
        maker: SectionMaker = import_string(path)
        section = maker(request, membership)
        if section is not None:
            found.append(section)
    return found
