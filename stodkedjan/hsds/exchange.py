"""HSDS import and export: JSON, the CSV tabular data package (folder or zip) and XLSX.

Everything passes through one form: HSDS tables (``services.csv`` → rows), as in Open Referral's
``tabular.json``. Export builds the tables from the same objects the API serves; import reads tables (or
nested HSDS objects, flattened into tables), then upserts by id in one transaction: organisations,
locations, then each service through the same checks as the API and the staff form. Any error, anywhere,
and nothing is written; every error names its table, row, object id and field.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from openpyxl import Workbook, load_workbook

from stodkedjan.accounts.models import Organisation, OrganisationKind
from stodkedjan.directory.models import Contact, Location, Phone, Schedule, Service, ServiceAtLocation
from stodkedjan.geo.models import Area
from stodkedjan.hsds import serialize, write
from stodkedjan.hsds import vocabulary as vocab
from stodkedjan.hsds.models import ApiToken

DATAPACKAGE = Path(__file__).parent / "reference" / "examples" / "csv" / "datapackage.json"
MAX_FILE_BYTES = 200 * 1024 * 1024


PACKAGE = json.loads(DATAPACKAGE.read_text())
# Table file name → its columns, in the official data package's order; and its number columns.
FIELDS = {r["path"]: [f["name"] for f in r["schema"]["fields"]] for r in PACKAGE["resources"]}
NUMBERS = {r["path"]: {f["name"] for f in r["schema"]["fields"] if f["type"] == "number"} for r in PACKAGE["resources"]}
Tables = dict[str, list[dict[str, Any]]]
# Nested arrays of an HSDS object → the table their rows go to.
CHILD_TABLES = {
    "phones": "phones.csv",
    "schedules": "schedules.csv",
    "service_areas": "service_areas.csv",
    "languages": "languages.csv",
    "contacts": "contacts.csv",
    "cost_options": "cost_options.csv",
    "attributes": "attributes.csv",
    "addresses": "addresses.csv",
    "accessibility": "accessibility.csv",
    "funding": "funding.csv",
    "required_documents": "required_documents.csv",
    "organization_identifiers": "organization_identifiers.csv",
    "programs": "programs.csv",
    "metadata": "metadata.csv",
}


@dataclass
class Problem:
    where: str  # table and row, or object
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.path}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = problems


# --- export ------------------------------------------------------------------------------------------------
def export_tables() -> Tables:
    """Every table of the HSDS data package, in its order; a table we have no rows for is empty, not left out
    (the package's descriptor names them all, and a validator checks each it names)."""
    serializer = serialize.Serializer()
    tables: Tables = {name: [] for name in FIELDS}
    services = list(serialize.with_everything(serialize.published_services()).order_by("uuid"))
    organisations = list(serialize.published_organisations().select_related("parent").order_by("uuid"))
    for organisation in organisations:
        _flatten_organisation(serializer.organisation_full(organisation, []), tables)
    for service in services:
        _flatten_service(serializer.service_full(service), tables)
    tables["taxonomies.csv"] = [serialize.taxonomy(v) for v in vocab.VOCABULARIES.values()]
    used = {row["taxonomy_term_id"] for row in tables["attributes.csv"]}
    tables["taxonomy_terms.csv"] = [serialize.taxonomy_term(t) for t in vocab.all_terms() if t.id in used]
    for name, rows in tables.items():
        unique = {row["id"]: row for row in rows}
        tables[name] = sorted(unique.values(), key=lambda row: str(row["id"]))
    return {name: tables.get(name, []) for name in FIELDS}


def _scalars(obj: dict[str, Any], table: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k in FIELDS[table] and not isinstance(v, dict | list)}


def _children(obj: dict[str, Any], tables: Tables, parent_key: str, parent_id: str) -> None:
    for key, table in CHILD_TABLES.items():
        for child in obj.get(key) or []:
            if not isinstance(child, dict):
                continue
            row = _scalars(child, table)
            if table == "attributes.csv":
                row.setdefault("link_id", parent_id)
                term = child.get("taxonomy_term") or {}
                row.setdefault("taxonomy_term_id", term.get("id"))
                if term:
                    tables.setdefault("taxonomy_terms.csv", []).append(_scalars(term, "taxonomy_terms.csv"))
            elif parent_key in FIELDS[table]:
                row.setdefault(parent_key, parent_id)
            tables.setdefault(table, []).append(row)
            if key in ("phones", "contacts"):
                _children(child, tables, key[:-1] + "_id", str(child.get("id", "")))


def _flatten_organisation(obj: dict[str, Any], tables: Tables) -> None:
    tables.setdefault("organizations.csv", []).append(_scalars(obj, "organizations.csv"))
    _children(obj, tables, "organization_id", str(obj.get("id", "")))
    for location in obj.get("locations") or []:
        _flatten_location(location, tables, str(obj.get("id", "")))
    for service in obj.get("services") or []:
        _flatten_service({"organization_id": obj.get("id"), **service}, tables)


def _flatten_location(obj: dict[str, Any], tables: Tables, organisation_id: str | None = None) -> None:
    row = _scalars(obj, "locations.csv")
    if organisation_id:
        row.setdefault("organization_id", organisation_id)
    tables.setdefault("locations.csv", []).append(row)
    _children(obj, tables, "location_id", str(obj.get("id", "")))


def _flatten_service(obj: dict[str, Any], tables: Tables) -> None:
    tables.setdefault("services.csv", []).append(_scalars(obj, "services.csv"))
    service_id = str(obj.get("id", ""))
    if isinstance(obj.get("organization"), dict):
        _flatten_organisation(obj["organization"], tables)
    _children(obj, tables, "service_id", service_id)
    for sal in obj.get("service_at_locations") or []:
        if not isinstance(sal, dict):
            continue
        row = _scalars(sal, "service_at_location.csv")
        row.setdefault("service_id", service_id)
        location = sal.get("location")
        if isinstance(location, dict):
            row.setdefault("location_id", location.get("id"))
            _flatten_location(location, tables, str(obj.get("organization_id") or ""))
        tables.setdefault("service_at_location.csv", []).append(row)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_json(tables: Tables) -> bytes:
    return json.dumps(tables, ensure_ascii=False, indent=1, sort_keys=True).encode()


def to_csv_zip(tables: Tables) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(FIELDS[name])
            writer.writerows([_cell(row.get(f)) for f in FIELDS[name]] for row in rows)
            archive.writestr(name, out.getvalue())
        archive.writestr("datapackage.json", DATAPACKAGE.read_text())
    return buffer.getvalue()


def to_xlsx(tables: Tables) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name.removesuffix(".csv")[:31])
        sheet.append(FIELDS[name])
        for row in rows:
            sheet.append([_cell(row.get(f)) for f in FIELDS[name]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reading ----------------------------------------------------------------------------------------------
def read(path: Path) -> Tables:
    """HSDS tables from a JSON file, a CSV folder or zip, or an XLSX workbook."""
    if path.is_dir():
        return _from_csv_files({p.name: p.read_bytes() for p in path.iterdir() if p.suffix == ".csv"})
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFailed([Problem(path.name, "(file)", f"larger than {MAX_FILE_BYTES // 2**20} MB")])
    content = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                files = {Path(n).name: archive.read(n) for n in archive.namelist() if n.endswith(".csv")}
        except zipfile.BadZipFile:
            raise ImportFailed([Problem(path.name, "(file)", "not a zip archive")]) from None
        return _from_csv_files(files)
    if suffix == ".xlsx":
        return _from_xlsx(path.name, content)
    if suffix == ".csv":
        return _from_csv_files({path.name: content})
    try:
        data = write.parse_json(content)
    except write.Rejected as error:
        raise ImportFailed([Problem(path.name, "(file)", error.message)]) from None
    return from_json(data)


def from_json(data: Any) -> Tables:
    if isinstance(data, dict) and any(str(k).endswith(".csv") for k in data):
        unknown = [k for k in data if k not in FIELDS]
        if unknown:
            raise ImportFailed([Problem(k, "(table)", "not an HSDS table") for k in unknown])
        if not all(isinstance(v, list) and all(isinstance(r, dict) for r in v) for v in data.values()):
            raise ImportFailed([Problem("(file)", "(tables)", "each table must be a list of objects")])
        return {k: list(v) for k, v in data.items()}
    items = data.get("contents") if isinstance(data, dict) and "contents" in data else data
    items = items if isinstance(items, list) else [items]
    tables: Tables = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ImportFailed([Problem(f"item {index}", "(object)", "not an HSDS object")])
        if "services" in item or ("status" not in item and "service_at_locations" not in item):
            _flatten_organisation(item, tables)
        else:
            _flatten_service(item, tables)
    return tables


def _from_csv_files(files: dict[str, bytes]) -> Tables:
    tables: Tables = {}
    problems = []
    for name, content in files.items():
        if name not in FIELDS:
            problems.append(Problem(name, "(file)", "not an HSDS table name"))
            continue
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(Problem(name, "(file)", f"not UTF-8 (byte {error.start})"))
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            unknown = [c for c in reader.fieldnames or [] if c not in FIELDS[name]]
            if unknown:
                problems.append(Problem(name, "(header)", f"unknown columns: {', '.join(unknown)}"))
                continue
            tables[name] = [
                {k: _number(v) if k in NUMBERS[name] else v for k, v in row.items() if v not in ("", None)}
                for row in reader
            ]
        except csv.Error as error:
            problems.append(Problem(name, "(file)", f"not readable as CSV ({error})"))
    if problems:
        raise ImportFailed(problems)
    return tables


def _from_xlsx(filename: str, content: bytes) -> Tables:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFailed([Problem(filename, "(file)", "not an XLSX workbook")]) from None
    files = {}
    for sheet in book.worksheets:
        out = io.StringIO()
        csv.writer(out).writerows([[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)])
        files[f"{sheet.title}.csv"] = out.getvalue().encode()
    return _from_csv_files(files)


# --- import -------------------------------------------------------------------------------------------------
class _Importer:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.problems: list[Problem] = []
        self.counts = {"organizations": 0, "locations": 0, "services": 0, "unchanged": 0}
        self.by_parent: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for table, rows in tables.items():
            for row in rows:
                for key in ("organization_id", "service_id", "location_id", "link_id", "contact_id"):
                    if row.get(key):
                        self.by_parent.setdefault((table, key, str(row[key])), []).append(row)
        self.terms = {str(r["id"]): r for r in tables.get("taxonomy_terms.csv", []) if r.get("id")}
        self.areas = vocab.area_code_by_id()

    def problem(self, table: str, index: int, row: dict[str, Any], path: str, message: str) -> None:
        self.problems.append(Problem(f"{table} row {index + 2} (id {row.get('id', '?')})", path, message))

    def children(self, table: str, key: str, parent_id: str) -> list[dict[str, Any]]:
        return self.by_parent.get((table, key, parent_id), [])

    def attributes(self, link_id: str) -> list[dict[str, Any]]:
        out = []
        for row in self.children("attributes.csv", "link_id", link_id):
            term = self.terms.get(str(row.get("taxonomy_term_id")))
            out.append({**row, **({"taxonomy_term": term} if term else {})})
        return out

    def area_of(self, link_id: str) -> Area | None:
        codes = [code for code, _v in write.terms_of(self.attributes(link_id), [], self.areas).get("area", [])]
        return Area.objects.filter(code__in=codes).order_by("-kind").first() if codes else None

    def valid_uuid(self, table: str, index: int, row: dict[str, Any], key: str = "id") -> str | None:
        try:
            return str(uuid.UUID(str(row.get(key))))
        except ValueError:
            self.problem(table, index, row, key, "not a UUID")
            return None

    def run(self) -> None:
        for index, row in enumerate(self.tables.get("organizations.csv", [])):
            self.organisation(index, row)
        for index, row in enumerate(self.tables.get("locations.csv", [])):
            self.location(index, row)
        for index, row in enumerate(self.tables.get("services.csv", [])):
            self.service(index, row)

    def organisation(self, index: int, row: dict[str, Any]) -> None:
        table = "organizations.csv"
        org_id = self.valid_uuid(table, index, row)
        if org_id is None:
            return
        existing = Organisation.objects.filter(uuid=org_id).first()
        area = self.area_of(org_id) or (existing.area if existing else None)
        if area is None:
            self.problem(table, index, row, "attributes[stodkedjan-omrade]", "the organization needs an area term")
            return
        kinds = write.terms_of(self.attributes(org_id), [], self.areas).get("organisation_kind", [])
        kind = kinds[0][0] if kinds else (existing.kind if existing else OrganisationKind.OTHER)
        phones = self.children("phones.csv", "organization_id", org_id)
        organisation = existing or Organisation(uuid=org_id, slug=_free_slug(str(row.get("name") or "org")))
        organisation.name = str(row.get("name") or "")[:200]
        description = str(row.get("description") or "")
        # A description we made for the export is not the organisation's own: it is made again on export.
        organisation.description = "" if description.endswith(serialize.GENERATED_NOTE) else description
        organisation.email = str(row.get("email") or "")
        organisation.website = str(row.get("website") or "")
        organisation.phone = str(phones[0].get("number") or "") if phones else ""
        organisation.area, organisation.kind = area, kind
        parent = row.get("parent_organization_id")
        organisation.parent = Organisation.objects.filter(uuid=parent).first() if parent else None
        if not organisation.name:
            self.problem(table, index, row, "name", "required")
            return
        organisation.save()
        self.counts["organizations"] += 1

    def location(self, index: int, row: dict[str, Any]) -> None:
        table = "locations.csv"
        loc_id = self.valid_uuid(table, index, row)
        if loc_id is None:
            return
        organisation = Organisation.objects.filter(uuid=str(row.get("organization_id") or "")).first()
        existing = Location.objects.filter(uuid=loc_id).first()
        if organisation is None:
            self.problem(table, index, row, "organization_id", "no such organization in the file or the database")
            return
        if existing is not None and existing.organisation_id != organisation.pk:
            self.problem(table, index, row, "id", "this id belongs to another organisation's location")
            return
        area = self.area_of(loc_id) or (existing.municipality if existing else None)
        if area is None:
            self.problem(
                table, index, row, "attributes[stodkedjan-omrade]", "the location needs its municipality's area term"
            )
            return
        address = (self.children("addresses.csv", "location_id", loc_id) or [{}])[0]
        access = (self.children("accessibility.csv", "location_id", loc_id) or [{}])[0]
        location = existing or Location(uuid=loc_id, organisation=organisation)
        location.name = str(row.get("name") or "")[:200]
        location.municipality = area
        location.address = str(address.get("address_1") or "")
        location.postal_code = str(address.get("postal_code") or "")
        location.city = str(address.get("city") or "")
        location.transportation_sv = str(row.get("transportation") or "")
        location.accessibility = str(access.get("description") or "")
        try:
            location.latitude = float(row["latitude"]) if row.get("latitude") not in (None, "") else None
            location.longitude = float(row["longitude"]) if row.get("longitude") not in (None, "") else None
            location.full_clean(exclude=["organisation", "municipality", "uuid"])
        except (ValueError, TypeError):
            self.problem(table, index, row, "latitude/longitude", "not a number")
            return
        except Exception as error:  # ValidationError: report every field
            for field, messages in getattr(error, "message_dict", {"(location)": [str(error)]}).items():
                self.problem(table, index, row, field, "; ".join(messages))
            return
        location.save()
        self.counts["locations"] += 1

    def nested_service(self, service_id: str, row: dict[str, Any]) -> dict[str, Any]:
        """The service as the API receives it, from its rows."""
        payload = {k: v for k, v in row.items() if k in write.SERVICE_FIELDS and v not in ("", None)}
        for key, table in CHILD_TABLES.items():
            if key == "attributes":
                payload[key] = self.attributes(service_id)
            elif "service_id" in FIELDS[table]:
                rows = self.children(table, "service_id", service_id)
                if rows:
                    payload[key] = rows
        sals = self.children("service_at_location.csv", "service_id", service_id)
        payload["service_at_locations"] = [{"id": s.get("id"), "location_id": s.get("location_id")} for s in sals]
        return payload

    def service(self, index: int, row: dict[str, Any]) -> None:
        table = "services.csv"
        service_id = self.valid_uuid(table, index, row)
        if service_id is None:
            return
        organisation = Organisation.objects.filter(uuid=str(row.get("organization_id") or "")).first()
        if organisation is None:
            self.problem(table, index, row, "organization_id", "no such organization in the file or the database")
            return
        payload = self.nested_service(service_id, row)
        existing = Service.objects.filter(uuid=service_id).first()
        if existing is not None and existing.organisation_id == organisation.pk:
            current = serialize.Serializer().service_full(
                serialize.with_everything(Service.objects.filter(pk=existing.pk)).get()
            )
            if _same(current, payload):
                self.counts["unchanged"] += 1
                return
        token = ApiToken(organisation=organisation, name="import_hsds")
        try:
            with transaction.atomic():
                saved, _draft = write.upsert(token, payload, service_id=uuid.UUID(service_id), review=False)
                self.keep_ids(saved, payload, row)
        except write.Rejected as error:
            for item in error.errors or [{"path": "(service)", "message": error.message}]:
                self.problem(table, index, row, item["path"], item["message"])
            return
        self.counts["services"] += 1

    def keep_ids(self, service: Service, payload: dict[str, Any], row: dict[str, Any]) -> None:
        """Give the rows the service's parts were saved as the ids the file gave them (idempotent upserts)."""
        for model, key in ((Schedule, "schedules"), (Phone, "phones"), (Contact, "contacts")):
            given = [str(item["id"]) for item in payload.get(key) or [] if item.get("id")]
            rows = list(model.objects.filter(service=service).order_by("pk"))
            for obj, wanted in zip(rows, given, strict=False):
                clash = model.objects.filter(uuid=wanted).exclude(pk=obj.pk).exists()
                if clash:
                    raise write.Rejected(
                        409,
                        "id_taken",
                        "id taken",
                        [{"path": f"{key}/id", "message": f"{wanted} is used by another object"}],
                    )
                model.objects.filter(pk=obj.pk).update(uuid=wanted)
        for sal in payload.get("service_at_locations") or []:
            if sal.get("id"):
                if ServiceAtLocation.objects.filter(uuid=sal["id"]).exclude(service=service).exists():
                    raise write.Rejected(
                        409,
                        "id_taken",
                        "id taken",
                        [{"path": "service_at_locations/id", "message": f"{sal['id']} is used by another service"}],
                    )
                ServiceAtLocation.objects.filter(service=service, location__uuid=sal["location_id"]).update(
                    uuid=sal["id"]
                )
        updates: dict[str, Any] = {}
        if row.get("assured_date"):
            updates["assured_date"] = date.fromisoformat(str(row["assured_date"])[:10])
            updates["assurer_email"] = str(row.get("assurer_email") or "")
        if row.get("last_modified") and (moment := parse_datetime(str(row["last_modified"]))):
            updates["updated_at"] = moment
        if updates:
            Service.objects.filter(pk=service.pk).update(**updates)


def _number(value: str) -> Any:
    """A CSV cell of a number column as a number (left as text if it is not one: the schema check says so)."""
    try:
        return float(value) if "." in value or "e" in value.lower() else int(value)
    except ValueError:
        return value


def _same(current: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """Whether an import row says nothing new (compared on what the import sets)."""
    return json.dumps(_comparable(current), sort_keys=True, default=str) == json.dumps(
        _comparable(incoming), sort_keys=True, default=str
    )


def _comparable(service: dict[str, Any]) -> dict[str, Any]:
    keys = [
        "name",
        "description",
        "status",
        "minimum_age",
        "maximum_age",
        "url",
        "email",
        "application_process",
        "fees_description",
    ]
    return {
        **{k: service.get(k) or None for k in keys},
        "terms": sorted(
            str(a.get("taxonomy_term_id")) + str(a.get("value") or "") for a in service.get("attributes") or []
        ),
        "languages": sorted(str(lang.get("code")) for lang in service.get("languages") or []),
        "schedules": sorted(_schedule_key(s) for s in service.get("schedules") or []),
        "phones": sorted(str(p.get("id")) + str(p.get("number")) for p in service.get("phones") or []),
        "contacts": sorted(str(c.get("id")) + str(c.get("name")) for c in service.get("contacts") or []),
        "sal": sorted(str(s.get("id")) for s in service.get("service_at_locations") or []),
        "free": bool(service.get("cost_options")),
    }


def _schedule_key(schedule: dict[str, Any]) -> str:
    """What an import can change of a schedule, its times as Swedish wall-clock times however written."""
    day = schedule.get("valid_from")
    times = [write.local_time(str(schedule.get(k) or ""), day) for k in ("opens_at", "closes_at")]
    rest = [str(schedule.get(k) or "") for k in ("id", "byday", "valid_from", "valid_to", "count", "notes")]
    return "|".join(rest + times)


def _free_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def import_tables(tables: Tables) -> dict[str, int]:
    """Upsert everything in ``tables`` in one transaction; raise ``ImportFailed`` with every problem."""
    importer = _Importer(tables)
    with translation.override("en"), transaction.atomic():
        importer.run()
        if importer.problems:
            transaction.set_rollback(True)
    if importer.problems:
        raise ImportFailed(importer.problems)
    return importer.counts
