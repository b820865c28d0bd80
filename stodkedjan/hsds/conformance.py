"""Our HSDS exchange checked the way Open Referral checks it: the tabular data package with ``frictionless``,
and every object against the official compiled schemas with additional properties forbidden.

Open Referral's specification repository validates its examples so, and Open Referral UK's feed validator
tests live answers against compiled schemas. The official schemas allow any extra field; forbidding them
here catches a field we invented or misspelt. The one reading of our own, `minimal=true` items of just `id`
and `modified_date`, is checked as such (and documented on the profile page). Each check returns a list of
problems (empty when all is well), each naming where.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from stodkedjan.hsds import exchange

COMPILED = Path(__file__).parent / "reference" / "schema" / "compiled"
SCHEMAS = Path(__file__).parent / "reference" / "schema"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def strict(schema: Any) -> Any:
    """A copy of ``schema`` in which every object with listed properties forbids any other."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items()}
    if isinstance(schema.get("properties"), dict) and "additionalProperties" not in schema:
        out["additionalProperties"] = False
    return out


@cache
def validator(name: str) -> Draft202012Validator:
    """The strict validator of a compiled schema (``service``, ``service_list`` …) or of a per-object schema
    without references (``taxonomy``, ``taxonomy_term``)."""
    path = COMPILED / f"{name}.json" if (COMPILED / f"{name}.json").exists() else SCHEMAS / f"{name}.json"
    schema = strict(json.loads(path.read_text()))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def _table_validators() -> dict[str, Draft202012Validator]:
    """Table file name → a strict validator of one row, from the official compiled ``tabular.json``."""
    tabular = json.loads((COMPILED / "tabular.json").read_text())
    out = {}
    for table in tabular["properties"].values():
        row = table["items"]
        out[row["path"]] = Draft202012Validator(strict(row), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return out


def errors(name: str, data: Any, where: str) -> list[Problem]:
    """Every way ``data`` breaks the strict schema ``name``."""
    return [
        Problem(
            f"{where} {'/'.join(str(p) for p in error.absolute_path)}".strip(), f"{error.message[:240]} (schema {name})"
        )
        for error in validator(name).iter_errors(data)
    ]


# --- exports ------------------------------------------------------------------------------------------------
def check_tables(tables: exchange.Tables, where: str = "") -> list[Problem]:
    """Every row of every table against its row schema in the official compiled ``tabular.json``."""
    known = _table_validators()
    problems = [
        Problem(f"{where}{name}", "not a table of the HSDS data package") for name in tables if name not in known
    ]
    missing = [name for name in exchange.FIELDS if name not in tables]
    problems += [Problem(f"{where}{name}", "the data package names this table, but it is missing") for name in missing]
    for name, rows in tables.items():
        if name not in known:
            continue
        for index, row in enumerate(rows):
            for error in known[name].iter_errors(row):
                problems.append(Problem(f"{where}{name} row {index + 2} {error.json_path}", error.message[:240]))
    return problems


def check_package(path: Path) -> list[Problem]:
    """``frictionless validate`` of a CSV data package (a zip or a folder with ``datapackage.json``)."""
    with tempfile.TemporaryDirectory() as folder:
        if path.is_file():
            with zipfile.ZipFile(path) as archive:
                archive.extractall(folder)
            path = Path(folder)
        return _frictionless(path / "datapackage.json", path.name)


def _frictionless(descriptor: Path, label: str) -> list[Problem]:
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(descriptor)).validate()
    return [
        Problem(f"{label} {task.name} row {getattr(e, 'row_number', '-')} {getattr(e, 'field_name', '') or ''}", e.note)
        for task in report.tasks
        for e in task.errors
    ] + [Problem(label, e.note) for e in report.errors]


def check_workbook(path: Path) -> list[Problem]:
    """The XLSX export as a data package: each sheet checked by ``frictionless`` with its table's schema."""
    package = json.loads(exchange.DATAPACKAGE.read_text())
    for resource in package["resources"]:
        sheet = resource["path"].removesuffix(".csv")[:31]
        resource.update(path=path.name, format="xlsx", mediatype=XLSX_TYPE, dialect={"excel": {"sheet": sheet}})
        resource.pop("encoding", None)
    descriptor = path.parent / f"{path.stem}.datapackage.json"
    descriptor.write_text(json.dumps(package))
    try:
        return _frictionless(descriptor, path.name)
    finally:
        descriptor.unlink()


def check_exports(folder: Path) -> list[Problem]:
    """Export the published directory in every format into ``folder`` and check each file."""
    tables = exchange.export_tables()
    problems = check_tables(tables, "tables: ")
    (folder / "hsds.json").write_bytes(exchange.to_json(tables))
    problems += check_tables(json.loads((folder / "hsds.json").read_text()), "hsds.json: ")
    (folder / "hsds.zip").write_bytes(exchange.to_csv_zip(tables))
    problems += check_package(folder / "hsds.zip")
    (folder / "hsds.xlsx").write_bytes(exchange.to_xlsx(tables))
    problems += check_workbook(folder / "hsds.xlsx")
    return problems


# --- the live API ---------------------------------------------------------------------------------------------
Get = Callable[[str], tuple[int, dict[str, str], Any]]  # path → status, headers, JSON body
LISTS = {  # list endpoint → (schema of its items, schema of one object, the detail endpoint)
    "/services": ("service_list", "service", "/services/{id}"),
    "/organizations": ("organization_list", "organization", "/organizations/{id}"),
    "/service_at_locations": ("service_at_location_list", "service_at_location", "/service_at_locations/{id}"),
    "/taxonomies": ("taxonomy", "taxonomy", "/taxonomies/{id}"),
    "/taxonomy_terms": ("taxonomy_term", "taxonomy_term", "/taxonomy_terms/{id}"),
}
VARIANTS = {  # what else a validator asks of a list, besides its first page
    "/services": ["per_page=2&page=2", "full=true&per_page=3", "minimal=true&per_page=5"],
    "/organizations": ["full_service=true&per_page=2", "full=true&per_page=2"],
    "/service_at_locations": ["full=true&per_page=2"],
    "/taxonomies": [],
    "/taxonomy_terms": ["top_only=true&per_page=5"],
}
ROOT_KEYS = {"version", "profile", "openapi_url"}


def api_requests() -> Iterator[tuple[str, str, str]]:
    """The requests of one validator pass that do not depend on answers: (path, item schema, label)."""
    for path, (item_schema, _one, _detail) in LISTS.items():
        yield path, item_schema, path
        for query in VARIANTS[path]:
            nested = query.startswith(("full=true", "full_service=true"))  # items are then whole objects
            schema = _one if nested else item_schema
            yield f"{path}?{query}", "minimal" if "minimal" in query else schema, f"{path}?{query}"


def check_api(get: Get) -> tuple[list[Problem], int]:
    """One pass over the API as a validator makes it; the problems, and how many requests it made."""
    problems: list[Problem] = []
    count = 0

    def fetch(path: str) -> Any:
        nonlocal count
        count += 1
        status, headers, body = get(path)
        if status != 200:
            problems.append(Problem(path, f"answered {status}"))
            return None
        if headers.get("Access-Control-Allow-Origin") != "*":
            problems.append(Problem(path, "no Access-Control-Allow-Origin: *"))
        return body

    root = fetch("/")
    if root is not None and set(root) != ROOT_KEYS:
        problems.append(Problem("/", f"keys {sorted(root)}, not {sorted(ROOT_KEYS)}"))
    openapi = fetch("/openapi.json")
    if openapi is not None and not str(openapi.get("openapi", "")).startswith("3.1"):
        problems.append(Problem("/openapi.json", "not an OpenAPI 3.1 document"))
    for path, item_schema, label in api_requests():
        page = fetch(path)
        if page is None:
            continue
        problems += page_problems(page, label)
        for index, item in enumerate(page.get("contents") or []):
            if item_schema == "minimal":
                if set(item) != {"id", "modified_date"}:
                    problems.append(Problem(f"{label} contents/{index}", f"minimal item has {sorted(item)}"))
                continue
            problems += errors(item_schema, item, f"{label} contents/{index}")
        if "?" not in path and page.get("contents"):
            _list, one, detail = LISTS[path]
            first = page["contents"][0]["id"]
            item = fetch(detail.format(id=first))
            if item is not None:
                problems += errors(one, item, detail.format(id=first))
    return problems, count


def page_problems(page: Any, label: str) -> list[Problem]:
    if not isinstance(page, dict) or set(page) != PAGE_KEYS:
        return [Problem(label, f"not an HSDS page: keys {sorted(page) if isinstance(page, dict) else type(page)}")]
    problems = []
    for key in ("total_items", "total_pages", "page_number", "size"):
        if not isinstance(page[key], int) or isinstance(page[key], bool):
            problems.append(Problem(f"{label} {key}", "not an integer"))
    for key in ("first_page", "last_page", "empty"):
        if not isinstance(page[key], bool):
            problems.append(Problem(f"{label} {key}", "not a boolean"))
    if page["size"] != len(page["contents"]):
        problems.append(Problem(f"{label} size", f"{page['size']} but {len(page['contents'])} items"))
    return problems
