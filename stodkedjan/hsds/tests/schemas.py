"""Validators for the official compiled HSDS 3.0 schemas (Draft 2020-12, formats checked)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from stodkedjan.hsds import write

COMPILED = Path(__file__).resolve().parents[1] / "reference" / "schema" / "compiled"
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@cache
def compiled(name: str) -> Draft202012Validator:
    schema = json.loads((COMPILED / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors_of(validator: Draft202012Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(data)][:10]


def assert_valid(name: str, data: Any) -> None:
    """``name`` is a compiled schema (service, service_list, …) or a per-object one (taxonomy, taxonomy_term)."""
    validator = compiled(name) if (COMPILED / f"{name}.json").exists() else write.validator(name)
    problems = errors_of(validator, data)
    assert not problems, problems


def assert_page(data: dict[str, Any], item_schema: str) -> None:
    assert set(data) == PAGE_KEYS, set(data) ^ PAGE_KEYS
    for key in ("total_items", "total_pages", "page_number", "size"):
        assert isinstance(data[key], int)
    for key in ("first_page", "last_page", "empty"):
        assert isinstance(data[key], bool)
    assert data["size"] == len(data["contents"])
    for item in data["contents"]:
        assert_valid(item_schema, item)
