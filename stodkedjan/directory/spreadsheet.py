"""The providers' spreadsheet: template, reading with every error by row and column, and export.

The columns have Swedish headers because the people who fill them in work in Swedish. A row with an
``ID`` updates that offering (export → edit → import round-trips); a row without one creates a draft
or, with ``Publicera`` = ja, a published offering. Nothing is written until every row is valid.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.downloads import rows_to_csv
from stodkedjan.directory import services
from stodkedjan.directory.models import LANGUAGE_NAMES, Location, Service, Status, Taxonomy
from stodkedjan.directory.queries import areas_for
from stodkedjan.geo.models import Area, AreaKind

MAX_ROWS = 2000
YES = {"ja", "j", "yes", "x", "1", "sant", "true"}
NO = {"nej", "n", "no", "0", "", "falskt", "false"}


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    hint: str = ""


COLUMNS = [
    Column("ID", "id", hint="Lämna tomt för nytt erbjudande"),
    Column("Namn", "name", True),
    Column("Beskrivning", "description", True),
    Column("Nivå", "level", True, "universell, selektiv eller indikerad"),
    Column("Ålder från", "minimum_age", True, "0–18"),
    Column("Ålder till", "maximum_age", True, "0–18"),
    Column("Format", "formats", True, "grupp, individuell, hembesök, telefon, digital, drop-in"),
    Column("Arena", "arenas", True, "t.ex. familjecentral, öppen förskola, ideell organisation"),
    Column("Ämnen", "topics", hint="t.ex. föräldraskap, skola, skärmar, kriminalitet"),
    Column("Språk", "languages", True, "t.ex. svenska, arabiska, somaliska eller sv, ar, so"),
    Column("Kostnadsfritt", "is_free", True, "ja eller nej"),
    Column("Kostnad", "fees_description", hint="krävs om inte kostnadsfritt"),
    Column("Tolk", "interpretation_available", hint="ja eller nej"),
    Column("Metod", "method_name"),
    Column("Områden", "areas", True, "kommunkoder eller namn, t.ex. 0127, Skärholmen"),
    Column("Kontakt", "contact_name"),
    Column("Telefon", "phone"),
    Column("E-post", "email"),
    Column("Webbplats", "url"),
    Column("Plats", "location_name"),
    Column("Adress", "address"),
    Column("Postnummer", "postal_code"),
    Column("Ort", "city"),
    Column("Platsens kommun", "location_area", hint="kommunkod eller namn; krävs med Plats"),
    Column("Veckodagar", "byday", hint="t.ex. mån, ons"),
    Column("Tid från", "opens_at", hint="hh:mm"),
    Column("Tid till", "closes_at", hint="hh:mm"),
    Column("Startdatum", "valid_from", hint="åååå-mm-dd"),
    Column("Slutdatum", "valid_to", hint="åååå-mm-dd"),
    Column("Antal träffar", "count"),
    Column("Publicera", "publish", hint="ja eller nej"),
]
HEADERS = {c.header.casefold(): c for c in COLUMNS}

LEVEL_WORDS = {"universell": "universal", "selektiv": "selective", "indikerad": "indicated"}
LEVEL_WORDS |= {v: v for v in LEVEL_WORDS.values()}
FORMAT_WORDS = {
    "grupp": "group",
    "individuell": "individual",
    "enskild": "individual",
    "hembesök": "home_visit",
    "telefon": "phone",
    "digital": "digital",
    "digitalt": "digital",
    "drop-in": "drop_in",
    "dropin": "drop_in",
}
ARENA_WORDS = {
    "mvc": "mvc",
    "bvc": "bvc",
    "öppen förskola": "open_preschool",
    "familjecentral": "family_centre",
    "elevhälsa": "pupil_health",
    "socialtjänstens öppna verksamhet": "social_services_open",
    "socialtjänst": "social_services_open",
    "familjerätt": "family_law",
    "familjerådgivning": "family_counselling",
    "studieförbund": "study_association",
    "ideell organisation": "civil_society",
    "förening": "civil_society",
    "annat": "other",
    "annan": "other",
}
TOPIC_WORDS = {
    "föräldraskap": "parenting",
    "små barn": "infants",
    "graviditet": "infants",
    "konflikter": "communication",
    "kommunikation": "communication",
    "skola": "school",
    "skärmar": "screens",
    "sociala medier": "screens",
    "kriminalitet": "crime",
    "alkohol och droger": "drugs",
    "droger": "drugs",
    "våld": "violence",
    "npf": "neurodevelopmental",
    "separation": "separation",
    "ny i sverige": "new_in_sweden",
}
LANGUAGE_WORDS = {
    "svenska": "sv",
    "engelska": "en",
    "arabiska": "ar",
    "somaliska": "so",
    "tigrinja": "ti",
    "tigrinska": "ti",
    "persiska": "fa",
    "farsi": "fa",
    "dari": "prs",
    "pashto": "ps",
    "kurdiska": "ku",
    "turkiska": "tr",
    "bosniska": "bs",
    "polska": "pl",
    "ryska": "ru",
    "ukrainska": "uk",
    "spanska": "es",
    "finska": "fi",
    "amhariska": "am",
    "franska": "fr",
    "teckenspråk": "sgn-SE",
}
LANGUAGE_WORDS |= {code.casefold(): code for code in LANGUAGE_NAMES}
DAY_WORDS = {
    "mån": "MO",
    "måndag": "MO",
    "tis": "TU",
    "tisdag": "TU",
    "ons": "WE",
    "onsdag": "WE",
    "tor": "TH",
    "tors": "TH",
    "torsdag": "TH",
    "fre": "FR",
    "fredag": "FR",
    "lör": "SA",
    "lördag": "SA",
    "sön": "SU",
    "söndag": "SU",
}
REVERSE = {
    "level": {v: k for k, v in LEVEL_WORDS.items() if k != v},
    Taxonomy.FORMAT: {v: k for k, v in reversed(FORMAT_WORDS.items())},
    Taxonomy.ARENA: {v: k for k, v in reversed(ARENA_WORDS.items())},
    Taxonomy.TOPIC: {v: k for k, v in reversed(TOPIC_WORDS.items())},
    "days": {v: k for k, v in reversed(DAY_WORDS.items()) if len(k) == 3},
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class SpreadsheetRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


# --- reading -------------------------------------------------------------------------------------------


def read_table(name: str, content: bytes) -> list[list[str]]:
    """The sheet as rows of text cells (XLSX: first sheet; CSV: comma or semicolon, UTF-8 or Windows-1252)."""
    if name.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise SpreadsheetRejected(  # noqa: B904 - the user needs the reason, not the chain
                [RowError(0, "", f"Filen kunde inte läsas som XLSX ({error.__class__.__name__}).")]
            )
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise SpreadsheetRejected([RowError(0, "", f"Filen kunde inte läsas som CSV ({error}).")]) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()[:5] if isinstance(value, time) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse(organisation: Organisation, name: str, content: bytes) -> list[dict[str, Any]]:
    """Validated rows as JSON-safe dicts, or ``SpreadsheetRejected`` listing every problem."""
    table = read_table(name, content)
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise SpreadsheetRejected([RowError(1, "", "Filen är tom.")])
    header = table[0]
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = HEADERS.get(cell.strip().casefold())
        if column is None and cell.strip():
            errors.append(RowError(1, cell, f"Okänd kolumn ”{cell}”. Använd mallens kolumnnamn."))
        elif column is not None:
            positions[column.key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            errors.append(RowError(1, column.header, f"Kolumnen ”{column.header}” saknas."))
    if errors:
        raise SpreadsheetRejected(errors)
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise SpreadsheetRejected([RowError(MAX_ROWS + 2, "", f"Filen har fler än {MAX_ROWS} rader.")])
    lookup = _Lookup(organisation)
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue
        raw = {key: (cells[i].strip() if i < len(cells) else "") for key, i in positions.items()}
        row, row_errors = _parse_row(number, raw, lookup)
        errors += row_errors
        if row is None:
            continue
        key = (
            (row["id"],)
            if row["id"]
            else (row["name"].casefold(), row["location_name"].casefold(), row["byday"], row["valid_from"] or "")
        )
        if key in seen:
            errors.append(RowError(number, "Namn", f"Raden är en dubblett av rad {seen[key]}."))
        else:
            seen[key] = number
        rows.append(row)
    if errors:
        raise SpreadsheetRejected(errors)
    return rows


class _Lookup:
    """Areas and offerings a row may name, read once per file."""

    def __init__(self, organisation: Organisation) -> None:
        served = Service.areas_served.through.objects.filter(service__organisation=organisation)
        areas = list(areas_for(organisation, keeping=served.values_list("area_id", flat=True)))
        self.areas: dict[str, Area] = {}
        for area in areas:
            self.areas.setdefault(area.name.casefold(), area)
            self.areas[area.code.casefold()] = area
        self.service_ids = {
            str(u) for u in Service.objects.filter(organisation=organisation).values_list("uuid", flat=True)
        }


def _parse_row(number: int, raw: dict[str, str], lookup: _Lookup) -> tuple[dict[str, Any] | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(key: str, message: str) -> None:
        errors.append(RowError(number, next(c.header for c in COLUMNS if c.key == key), message))

    for column in COLUMNS:
        if column.required and not raw.get(column.key):
            fail(column.key, "Värde saknas.")
    row: dict[str, Any] = {"id": raw.get("id", ""), "name": raw.get("name", "")[:200]}
    if row["id"]:
        try:
            row["id"] = str(uuid.UUID(row["id"]))
        except ValueError:
            fail("id", "Ogiltigt ID. Lämna tomt för ett nytt erbjudande.")
        else:
            if row["id"] not in lookup.service_ids:
                fail("id", "Inget av organisationens erbjudanden har detta ID.")
    if len(raw.get("name", "")) > 200:
        fail("name", "Namnet är längre än 200 tecken.")
    row["description"] = raw.get("description", "")
    row["level"] = _word(raw, "level", LEVEL_WORDS, fail) if raw.get("level") else ""
    row["minimum_age"] = _age(raw, "minimum_age", fail)
    row["maximum_age"] = _age(raw, "maximum_age", fail)
    low, high = row["minimum_age"], row["maximum_age"]
    if isinstance(low, int) and isinstance(high, int) and low > high:
        fail("maximum_age", "Övre åldern är lägre än den undre.")
    row["formats"] = _words(raw, "formats", FORMAT_WORDS, fail)
    row["arenas"] = _words(raw, "arenas", ARENA_WORDS, fail)
    row["topics"] = _words(raw, "topics", TOPIC_WORDS, fail)
    row["languages"] = _words(raw, "languages", LANGUAGE_WORDS, fail)
    row["is_free"] = _yes_no(raw, "is_free", fail)
    row["fees_description"] = raw.get("fees_description", "")[:300]
    if row["is_free"] is False and not row["fees_description"]:
        fail("fees_description", "Ange vad det kostar när det inte är kostnadsfritt.")
    row["interpretation_available"] = bool(_yes_no(raw, "interpretation_available", fail))
    row["method_name"] = raw.get("method_name", "")[:200]
    row["areas"] = []
    for part in _split(raw.get("areas", "")):
        area = lookup.areas.get(part.casefold())
        if area is None:
            fail("areas", f"Okänt område ”{part}” (använd kommunkod eller namn i länet).")
        else:
            row["areas"].append(area.pk)
    row["contact_name"] = raw.get("contact_name", "")[:200]
    row["phone"] = raw.get("phone", "")
    if row["phone"] and sum(c.isdigit() for c in row["phone"]) < 5:
        fail("phone", "Telefonnumret har för få siffror.")
    row["email"] = raw.get("email", "")
    if row["email"] and ("@" not in row["email"] or " " in row["email"]):
        fail("email", "Ogiltig e-postadress.")
    row["url"] = raw.get("url", "")
    if row["url"] and not row["url"].startswith("https://"):
        fail("url", "Webbadressen måste börja med https://.")
    row["location_name"] = raw.get("location_name", "")[:200]
    for key in ("address", "postal_code", "city"):
        row[key] = raw.get(key, "")[:200]
    row["location_area"] = None
    if row["location_name"]:
        area = lookup.areas.get(raw.get("location_area", "").casefold())
        if area is None or area.kind not in (AreaKind.MUNICIPALITY, AreaKind.DISTRICT):
            fail("location_area", "Ange platsens kommun eller stadsdel (kod eller namn i länet).")
        else:
            row["location_area"] = area.pk
    row["byday"] = ",".join(_words(raw, "byday", DAY_WORDS, fail))
    row["opens_at"] = _time(raw, "opens_at", fail)
    row["closes_at"] = _time(raw, "closes_at", fail)
    row["valid_from"] = _date(raw, "valid_from", fail)
    row["valid_to"] = _date(raw, "valid_to", fail)
    row["count"] = None
    if raw.get("count"):
        if raw["count"].isdigit() and 1 <= int(raw["count"]) <= 60:
            row["count"] = int(raw["count"])
        else:
            fail("count", "Antal träffar ska vara ett heltal 1–60.")
    if row["byday"] and not (row["opens_at"] and row["closes_at"]):
        fail("opens_at", "Veckodagar kräver Tid från och Tid till.")
    if row["opens_at"] and row["closes_at"] and row["opens_at"] >= row["closes_at"]:
        fail("closes_at", "Sluttiden måste vara efter starttiden.")
    if (row["opens_at"] or row["valid_from"]) and not row["byday"]:
        fail("byday", "Ange veckodagar för tiderna.")
    if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
        fail("valid_to", "Slutdatum är före startdatum.")
    row["publish"] = bool(_yes_no(raw, "publish", fail))
    return (None if errors else row), errors


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]


def _word(raw: dict[str, str], key: str, words: dict[str, str], fail: Any) -> str:
    value = raw.get(key, "").strip().casefold()
    if value not in words:
        fail(key, f"Okänt värde ”{raw.get(key)}”.")
        return ""
    return words[value]


def _words(raw: dict[str, str], key: str, words: dict[str, str], fail: Any) -> list[str]:
    found: list[str] = []
    for part in _split(raw.get(key, "")):
        code = words.get(part.casefold())
        if code is None:
            fail(key, f"Okänt värde ”{part}”.")
        elif code not in found:
            found.append(code)
    return found


def _age(raw: dict[str, str], key: str, fail: Any) -> int | None:
    value = raw.get(key, "")
    if value.isdigit() and 0 <= int(value) <= 18:
        return int(value)
    if value:
        fail(key, "Åldern ska vara ett heltal 0–18.")
    return None


def _yes_no(raw: dict[str, str], key: str, fail: Any) -> bool | None:
    value = raw.get(key, "").casefold()
    if value in YES:
        return True
    if value in NO:
        return False if value or key != "is_free" else None
    fail(key, f"Skriv ja eller nej, inte ”{raw.get(key)}”.")
    return None


def _time(raw: dict[str, str], key: str, fail: Any) -> str:
    value = raw.get(key, "").replace(".", ":")
    if not value:
        return ""
    try:
        return time.fromisoformat(value if len(value) > 2 else f"{value}:00").strftime("%H:%M")
    except ValueError:
        fail(key, f"Ogiltig tid ”{raw.get(key)}” (skriv hh:mm).")
        return ""


def _date(raw: dict[str, str], key: str, fail: Any) -> str:
    value = raw.get(key, "")
    if not value:
        return ""
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        fail(key, f"Ogiltigt datum ”{value}” (skriv åååå-mm-dd).")
        return ""


# --- writing -------------------------------------------------------------------------------------------


@transaction.atomic
def import_rows(organisation: Organisation, rows: list[dict[str, Any]], user: Any) -> list[Service]:
    """Create or update one offering per validated row, all or nothing."""
    areas = Area.objects.in_bulk(
        {pk for row in rows for pk in row["areas"]} | {row["location_area"] for row in rows if row["location_area"]}
    )
    saved: list[Service] = []
    for row in rows:
        service = Service.objects.filter(organisation=organisation, uuid=row["id"]).first() if row["id"] else None
        fields = {
            "name_sv": row["name"],
            "description_sv": row["description"],
            "level": row["level"],
            "minimum_age": row["minimum_age"],
            "maximum_age": row["maximum_age"],
            "is_free": bool(row["is_free"]),
            "fees_description": row["fees_description"],
            "interpretation_available": row["interpretation_available"],
            "method_name": row["method_name"],
            "email": row["email"],
            "url": row["url"],
        }
        locations = []
        new_location = None
        if row["location_name"]:
            existing = Location.objects.filter(
                organisation=organisation, name=row["location_name"], address=row["address"]
            ).first()
            if existing:
                locations.append(existing)
            else:
                new_location = services.LocationData(
                    name=row["location_name"],
                    municipality=areas[row["location_area"]],
                    address=row["address"],
                    postal_code=row["postal_code"],
                    city=row["city"],
                )
        schedules = []
        if row["byday"]:
            schedules.append(
                services.ScheduleData(
                    byday=row["byday"].split(","),
                    opens_at=time.fromisoformat(row["opens_at"]),
                    closes_at=time.fromisoformat(row["closes_at"]),
                    valid_from=date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                    valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                    count=row["count"],
                )
            )
        data = services.ServiceData(
            fields=fields,
            terms={
                Taxonomy.FORMAT: row["formats"],
                Taxonomy.ARENA: row["arenas"],
                Taxonomy.TOPIC: row["topics"],
                Taxonomy.LANGUAGE: row["languages"],
            },
            areas=[areas[pk] for pk in row["areas"]],
            locations=locations,
            new_location=new_location,
            schedules=schedules,
            contact_name=row["contact_name"],
            phone=row["phone"],
        )
        service = services.save_service(organisation, data, service)
        if row["publish"] and service.status != Status.ACTIVE:
            services.set_status(service, Status.ACTIVE, user)
        saved.append(service)
    return saved


@transaction.atomic
def confirm_import(batch: Any, user: Any) -> list[Service]:
    """Import a previewed spreadsheet once; a second confirmation (a double click) imports nothing more."""
    locked = type(batch).objects.select_for_update().get(pk=batch.pk)
    if locked.imported_at is not None:
        return []
    saved = import_rows(locked.organisation, locked.rows, user)
    locked.imported_at = timezone.now()
    locked.save(update_fields=["imported_at"])
    return saved


def template_rows() -> list[list[str]]:
    example = {
        "name": "Föräldragrupp ABC – Alla Barn i Centrum",
        "description": "Fyra träffar för föräldrar till barn 3–12 år om att stärka relationen och minska konflikter.",
        "level": "universell",
        "minimum_age": "3",
        "maximum_age": "12",
        "formats": "grupp",
        "arenas": "familjecentral",
        "topics": "föräldraskap, konflikter",
        "languages": "svenska, arabiska",
        "is_free": "ja",
        "interpretation_available": "ja",
        "method_name": "ABC",
        "areas": "0127",
        "contact_name": "Familjecentralen",
        "phone": "08-123 456 78",
        "location_name": "Familjecentralen Alby",
        "address": "Albyvägen 1",
        "postal_code": "145 59",
        "city": "Norsborg",
        "location_area": "0127",
        "byday": "tor",
        "opens_at": "17:30",
        "closes_at": "19:30",
        "valid_from": "2027-02-04",
        "count": "4",
        "publish": "nej",
    }
    return [[c.header for c in COLUMNS], [example.get(c.key, "") for c in COLUMNS]]


def export_rows(organisation: Organisation) -> list[list[str]]:
    """The organisation's offerings (not archived) in the template's columns."""
    rows = [[c.header for c in COLUMNS]]
    queryset = (
        Service.objects.filter(organisation=organisation)
        .exclude(status=Status.DEFUNCT)
        .prefetch_related(
            "terms", "areas_served", "service_at_locations__location__municipality", "schedules", "contacts", "phones"
        )
        .order_by("name_sv")
    )
    for service in queryset:
        terms = list(service.terms.all())

        def codes(taxonomy: str, terms: list[Any] = terms) -> list[str]:
            return [t.code for t in terms if t.taxonomy == taxonomy]

        location = next((sal.location for sal in service.service_at_locations.all()), None)
        schedule = next(iter(service.schedules.all()), None)
        contact = next(iter(service.contacts.all()), None)
        phone = next(iter(service.phones.all()), None)
        values = {
            "id": str(service.uuid),
            "name": service.name_sv,
            "description": service.description_sv,
            "level": REVERSE["level"][service.level],
            "minimum_age": str(service.minimum_age),
            "maximum_age": str(service.maximum_age),
            "formats": ", ".join(REVERSE[Taxonomy.FORMAT][c] for c in codes(Taxonomy.FORMAT)),
            "arenas": ", ".join(REVERSE[Taxonomy.ARENA][c] for c in codes(Taxonomy.ARENA)),
            "topics": ", ".join(REVERSE[Taxonomy.TOPIC][c] for c in codes(Taxonomy.TOPIC)),
            "languages": ", ".join(codes(Taxonomy.LANGUAGE)),
            "is_free": "ja" if service.is_free else "nej",
            "fees_description": service.fees_description,
            "interpretation_available": "ja" if service.interpretation_available else "nej",
            "method_name": service.method_name,
            "areas": ", ".join(a.code for a in service.areas_served.all()),
            "contact_name": contact.name if contact else "",
            "phone": phone.number if phone else "",
            "email": service.email,
            "url": service.url,
            "location_name": location.name if location else "",
            "address": location.address if location else "",
            "postal_code": location.postal_code if location else "",
            "city": location.city if location else "",
            "location_area": location.municipality.code if location else "",
            "byday": ", ".join(REVERSE["days"][d] for d in schedule.days) if schedule else "",
            "opens_at": schedule.opens_at.strftime("%H:%M") if schedule else "",
            "closes_at": schedule.closes_at.strftime("%H:%M") if schedule else "",
            "valid_from": schedule.valid_from.isoformat() if schedule and schedule.valid_from else "",
            "valid_to": schedule.valid_to.isoformat() if schedule and schedule.valid_to else "",
            "count": str(schedule.count) if schedule and schedule.count else "",
            "publish": "ja" if service.status == Status.ACTIVE else "nej",
        }
        rows.append([values[c.key] for c in COLUMNS])
    return rows


def to_xlsx(rows: list[list[str]], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(column.hint) + 2))
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Instruktioner")
    guide.append(["Kolumn", "Krävs", "Så fyller du i"])
    for column in COLUMNS:
        guide.append([column.header, "ja" if column.required else "", column.hint])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["C"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(rows: list[list[str]]) -> bytes:
    return rows_to_csv(rows)
