"""Values under versioned keys are kept in the shared cache and in each process."""

from __future__ import annotations

from django.core.cache import cache

from stodkedjan.core.cache import forget_kept_here, keep_versioned, versioned, versioned_many


def test_versioned_values_are_read_from_this_process_then_from_the_shared_cache() -> None:
    keep_versioned({"t:a:1": "card a", "t:b:1": "card b"}, 60)
    cache.clear()
    assert versioned_many(["t:a:1", "t:b:1", "t:c:1"]) == {"t:a:1": "card a", "t:b:1": "card b"}, "from this process"
    forget_kept_here()
    assert versioned_many(["t:a:1"]) == {}, "gone from both"
    cache.set("t:a:2", "card a, edited")
    assert versioned_many(["t:a:2"]) == {"t:a:2": "card a, edited"}, "from the shared cache"
    cache.clear()
    assert versioned_many(["t:a:2"]) == {"t:a:2": "card a, edited"}, "and copied into this process"


def test_versioned_makes_a_missing_value_once() -> None:
    made: list[str] = []

    def make() -> str:
        made.append("page")
        return "page"

    assert versioned("t:page:1", make, 60) == "page"
    forget_kept_here()
    assert versioned("t:page:1", make, 60) == "page", "from the shared cache"
    assert made == ["page"]
    assert versioned("t:none:1", lambda: None, 60) is None
    assert versioned_many(["t:none:1"]) == {}, "nothing kept for a value that was not made"


def test_template_fragments_are_kept_in_this_process_as_they_are() -> None:
    from django.core.cache import caches
    from django.template import engines
    from django.utils.safestring import SafeString

    fragments = caches["template_fragments"]
    fragments.clear()
    drawn: list[int] = []

    def draw() -> str:
        drawn.append(1)
        return "rubrik"

    template = engines["django"].from_string("{% load cache %}{% cache None t-head lang %}{{ draw }}{% endcache %}")
    assert template.render({"draw": draw, "lang": "sv"}) == "rubrik"
    assert template.render({"draw": draw, "lang": "sv"}) == "rubrik"
    assert template.render({"draw": draw, "lang": "so"}) == "rubrik"
    assert len(drawn) == 2, "once per language"
    kept = SafeString("<b>x</b>")
    fragments.set("k", kept, None)
    assert fragments.get("k") is kept, "the same object: not pickled"
    assert not fragments.add("k", "other")
    assert fragments.get("k") is kept
    fragments.set("gone", "v", 0)
    assert fragments.get("gone", "default") == "default", "a timeout that has passed"
    assert fragments.touch("k", 60)
    assert not fragments.touch("nothing")
    assert fragments.delete("k")
    assert fragments.get("k") is None


def test_a_full_fragment_store_is_emptied_not_grown() -> None:
    from stodkedjan.core.cache import FragmentCache

    store = FragmentCache("t", {"OPTIONS": {"MAX_ENTRIES": 3}})
    for n in range(3):
        store.set(f"k{n}", n, None)
    assert [store.get(f"k{n}") for n in range(3)] == [0, 1, 2]
    store.set("k3", 3, None)
    assert [store.get(f"k{n}") for n in range(4)] == [None, None, None, 3]
