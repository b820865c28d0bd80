"""The judged query set on the demo data: the share of searches with an expected offering among the first
five stays at or above 90 %, and no two-word search finds nothing where each word alone finds something."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from stodkedjan.demo.services import load_demo
from stodkedjan.finder import cards, judged, search


def test_parents_searches_find_what_they_mean(db: Any) -> None:
    load_demo()
    results = judged.judge()
    assert len(results) >= 40
    assert {r.language for r in results} == {"sv", "en", "ar", "so", "ti", "fa"}
    misses = [f"{r.language} {r.query!r}: {[s.name_sv for s in r.found]}" for r in results if not r.hit]
    assert judged.share(results) >= 0.9, "\n".join(misses)
    for result in results:
        words = result.query.split()
        if len(words) < 2 or result.count:
            continue
        with translation.override(result.language):
            alone = [search.search(search.Criteria(text=word)).count for word in words]
        assert not all(alone), f"{result.query!r} finds nothing though each word alone does"


def test_a_typo_still_finds_the_word_it_meant(db: Any, world: Any) -> None:
    from stodkedjan.directory.tests.factories import make_service

    make_service(world.home, name="Tonårsföräldrar", ages=(12, 18))
    make_service(world.home, name="Babycafé", ages=(0, 1))
    with translation.override("sv"):
        found = search.search(search.Criteria(text="tonoring"))
    assert [hit.card.name_sv for hit in cards.attach(list(found.page.object_list))] == ["Tonårsföräldrar"]
    assert search.corrected(["xyzzyq"]) == ["xyzzyq"], "nothing close: the word stays as typed"
