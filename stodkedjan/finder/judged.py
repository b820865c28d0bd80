"""The judged query set: searches a parent would type (``judged_queries.csv``, six languages, typos, two and
three words) with the offerings that must be among the first five on the demo data. ``make bench`` prints the
share that are; a test keeps it from falling.

``expected`` holds the starts of the names that answer the search; ``@interpreter`` stands for any offering
with an interpreter and ``@language:so`` for any offering in that language (facts, not names, answer those)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import translation

from stodkedjan.directory.models import Service, Taxonomy
from stodkedjan.finder import search

QUERIES = Path(__file__).parent / "judged_queries.csv"
TOP = 5


@dataclass
class Judged:
    language: str
    query: str
    expected: list[str]  # name starts; any one of them among the first TOP answers is a hit
    why: str
    found: list[Any]  # the first TOP offerings
    count: int

    def answers(self, service: Any) -> bool:
        for wanted in self.expected:
            if wanted == "@interpreter" and service.interpretation_available:
                return True
            if wanted.startswith("@language:") and wanted.split(":", 1)[1] in service.language_codes:
                return True
            if not wanted.startswith("@") and service.name_sv.startswith(wanted):
                return True
        return False

    @property
    def hit(self) -> bool:
        return any(self.answers(service) for service in self.found[:TOP])


def judge() -> list[Judged]:
    results = []
    with QUERIES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            with translation.override(row["language"]):
                found = search.search(search.Criteria(text=row["query"]))
            top = [hit.pk for hit in found.page.object_list[:TOP]]
            by_pk = Service.objects.prefetch_related("terms").in_bulk(top)
            services = [by_pk[pk] for pk in top]
            for service in services:
                service.language_codes = {t.code for t in service.terms.all() if t.taxonomy == Taxonomy.LANGUAGE}
            expected = row["expected"].split("|")
            results.append(Judged(row["language"], row["query"], expected, row["why"], services, found.count))
    return results


def share(results: list[Judged]) -> float:
    return sum(r.hit for r in results) / len(results) if results else 0.0
