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
