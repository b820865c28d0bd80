"""Stödkedjan's HSDS profile: the published taxonomies that carry the Swedish extensions, and stable ids.

HSDS 3.0 extends an object the HSDS way: an ``attribute`` links it to a ``taxonomy_term`` of a published
``taxonomy``. Our taxonomies are the level (universal/selective/indicated), format, arena, topic, the
child's age band, the areas served (SCB codes, with their hierarchy), the kind of organisation, and a few
free-text fields HSDS has no place for (method, accessibility of the offering).

Every id is a UUID that follows from what it names (``uuid5``), so the same term, attribute or language
row has the same id in every export and on every server, and nothing needs storing to keep it stable.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache

from django.utils import translation

from stodkedjan.accounts.models import OrganisationKind
from stodkedjan.directory.models import Level, Taxonomy, choices_of
from stodkedjan.geo.models import Area

NAMESPACE = uuid.UUID("6f0c6b1e-3f57-5d0e-9a59-5b1f0d2c7a10")
PROFILE_VERSION = "1.0"
AGE_BANDS: list[tuple[str, int, int]] = [("0-5", 0, 5), ("6-12", 6, 12), ("13-18", 13, 18), ("8-12", 8, 12)]


@dataclass(frozen=True)
class Vocabulary:
    key: str  # our internal name, also the attribute's place in the model
    name: str  # the published taxonomy name
    description: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"taxonomy/{self.key}"))


VOCABULARIES: dict[str, Vocabulary] = {
    v.key: v
    for v in [
        Vocabulary("level", "stodkedjan-niva", "Nivå: universellt, selektivt eller indikerat föräldraskapsstöd."),
        Vocabulary(
            Taxonomy.FORMAT, "stodkedjan-format", "Form: grupp, individuellt, hembesök, telefon, digitalt, drop-in."
        ),
        Vocabulary(Taxonomy.ARENA, "stodkedjan-arena", "Arena där stödet ges (BVC, öppen förskola, familjecentral …)."),
        Vocabulary(Taxonomy.TOPIC, "stodkedjan-amne", "Ämnen som stödet handlar om."),
        Vocabulary("age_band", "stodkedjan-aldersgrupp", "Barnets åldersgrupp (härleds ur minimum_age/maximum_age)."),
        Vocabulary("area", "stodkedjan-omrade", "Områden: land, län, kommun (SCB-kod), stadsdel och utsatt område."),
        Vocabulary("organisation_kind", "stodkedjan-organisationstyp", "Typ av organisation."),
        Vocabulary("field", "stodkedjan-falt", "Fritextfält som HSDS saknar; texten står i attributets value."),
    ]
}
FIELD_CODES = {"method": "Metod", "accessibility": "Tillgänglighet"}
# HSDS's data package makes a term's ``code`` unique across all taxonomies, yet an arena and a kind of
# organisation share some (``civil_society``, ``study_association``, ``other``). The published code of an
# organisation kind therefore carries a prefix; the term's id follows from the unprefixed code, as before.
CODE_PREFIX = {"organisation_kind": "organisation-"}


@dataclass(frozen=True)
class Term:
    vocabulary: str
    code: str
    name: str
    parent_code: str = ""

    @property
    def id(self) -> str:
        return term_id(self.vocabulary, self.code)

    @property
    def parent_id(self) -> str | None:
        return term_id(self.vocabulary, self.parent_code) if self.parent_code else None

    @property
    def published_code(self) -> str:
        """The code as HSDS clients see it: unique across every taxonomy of the profile."""
        return CODE_PREFIX.get(self.vocabulary, "") + self.code


def code_from_published(vocabulary: str, code: str) -> str:
    """Our code of a term from its published code (the unprefixed code is understood too)."""
    return code.removeprefix(CODE_PREFIX.get(vocabulary, ""))


def term_id(vocabulary: str, code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"term/{vocabulary}/{code}"))


def child_id(parent: uuid.UUID | str, kind: str, key: str = "") -> str:
    """The id of a row that belongs to one object (its language, attribute, address …)."""
    return str(uuid.uuid5(uuid.UUID(str(parent)), f"{kind}/{key}"))


@cache
def fixed_terms() -> tuple[Term, ...]:
    """Every term but the areas (which are data), labelled in Swedish, the source language."""
    with translation.override("sv"):
        terms = [Term("level", code, str(label)) for code, label in Level.choices]
        for taxonomy in (Taxonomy.FORMAT, Taxonomy.ARENA, Taxonomy.TOPIC):
            terms += [Term(taxonomy, code, str(label)) for code, label in choices_of(taxonomy)]
        terms += [Term("age_band", code, f"{low}–{high} år") for code, low, high in AGE_BANDS]
        terms += [Term("organisation_kind", code, str(label)) for code, label in OrganisationKind.choices]
        terms += [Term("field", code, label) for code, label in FIELD_CODES.items()]
    return tuple(terms)


def area_terms() -> list[Term]:
    return [
        Term("area", code, name, parent or "")
        for code, name, parent in Area.objects.order_by("code").values_list("code", "name", "parent__code")
    ]


def all_terms() -> list[Term]:
    return [*fixed_terms(), *area_terms()]


def age_bands(minimum: int, maximum: int) -> list[str]:
    return [code for code, low, high in AGE_BANDS if minimum <= high and maximum >= low]


@cache
def term_by_id() -> dict[str, Term]:
    """Fixed terms by id (areas are looked up by code from their id with ``area_code_by_id``)."""
    return {t.id: t for t in fixed_terms()}


def area_code_by_id() -> dict[str, str]:
    return {term_id("area", code): code for code in Area.objects.values_list("code", flat=True)}


def vocabulary_by_name_or_id(value: str) -> Vocabulary | None:
    for vocabulary in VOCABULARIES.values():
        if value in (vocabulary.id, vocabulary.name, vocabulary.key):
            return vocabulary
    return None
