"""The official compiled HSDS 3.0 schemas with additional properties forbidden (Draft 2020-12, formats checked).

The same validators as ``make validate-hsds`` (``stodkedjan.hsds.conformance``): an answer with a field HSDS
does not define fails here, although the official schemas alone would let it pass.
"""

from __future__ import annotations

from typing import Any

from stodkedjan.hsds import conformance


def assert_valid(name: str, data: Any) -> None:
    """``name`` is a compiled schema (service, service_list, …) or a per-object one (taxonomy, taxonomy_term)."""
    problems = [str(p) for p in conformance.errors(name, data, "")][:10]
    assert not problems, problems


def assert_page(data: dict[str, Any], item_schema: str) -> None:
    assert not conformance.page_problems(data, "page")
    for item in data["contents"]:
        assert_valid(item_schema, item)
