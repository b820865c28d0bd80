"""Read an XLSForm (the form standard of ODK and KoboToolbox) into our questionnaire definition.

pyxform does the reading and checking, so a form that works in ODK reads the same here, and its error
messages (which name the row) are passed on in plain words. Its logic is kept as ODK runs it: ``relevant``
(a group's as well), ``constraint`` and ``required`` with their messages, ``calculate``, ``default``,
``read_only`` and ``choice_filter`` stay XPath, which ``surveys.xform`` evaluates over the answers.

What would identify a parent (places, pictures, sound, phone numbers, device ids …) is never asked: those
questions are left out, each listed with the reason, and the rest imports. So are questions we cannot ask
yet (options in a separate file); nothing is dropped without saying so. Languages are read as XLSForm
writes them — ``label::English (en)``, ``label::English``, ``label::en``, ``label::Français`` — through the
CLDR names in Babel; ``default_language`` is honoured.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers
from django.conf import settings
from django.utils.translation import gettext as _
from pyxform import builder, xls2xform
from pyxform.errors import PyXFormError

from stodkedjan.surveys import xform
from stodkedjan.surveys.definition import (
    CHOICE_KINDS,
    NAME,
    DefinitionError,
    parse_relevant,
    question_problem,
    validate,
)

SUFFIXES = {".xlsx": ".xlsx", ".xls": ".xls", ".md": ".md", ".csv": ".csv"}
_TYPES = {
    "select one": "select_one",
    "select_one": "select_one",
    "select all that apply": "select_multiple",
    "select_multiple": "select_multiple",
    "rank": "rank",
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "range": "range",
    "date": "date",
    "time": "time",
    "datetime": "datetime",
    "note": "note",
    "acknowledge": "acknowledge",
    "trigger": "acknowledge",
    "calculate": "calculate",
    "hidden": "calculate",
}
# Never asked: each would identify a parent, a device or a place.
PRIVACY_TYPES = frozenset(
    {
        "geopoint",
        "geotrace",
        "geoshape",
        "gps",
        "start-geopoint",
        "background-geopoint",
        "osm",
        "photo",
        "image",
        "audio",
        "background-audio",
        "video",
        "file",
        "barcode",
        "phonenumber",
        "phone number",
        "email",
        "deviceid",
        "subscriberid",
        "simserial",
        "username",
        "audit",
    }
)
METADATA_TYPES = frozenset({"start", "end", "today"})  # a response keeps its date anyway, and only that
EXTERNAL_TYPES = ("select one external", "select_one_from_file", "select_multiple_from_file", "csv-external")

# Why a question was left out (kept as a code; the page says it in the reader's language).
PRIVACY, METADATA, EXTERNAL, UNSUPPORTED, EXPRESSION, DUPLICATE, INVALID, LAYOUT = (
    "privacy",
    "metadata",
    "external_file",
    "unsupported",
    "expression",
    "duplicate",
    "invalid",
    "layout",  # a row pyxform adds to lay out a table (table-list): not a question
)


class XLSFormRejected(ValueError):
    """The form cannot be used; ``problems`` says why, one plain sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_path(path: Path) -> dict[str, Any]:
    return read(path.read_bytes(), path.name)


def read(content: bytes, filename: str, lists: dict[str, bytes] | None = None) -> dict[str, Any]:
    """An XLSForm file's bytes → a checked definition (with ``left_out``), or XLSFormRejected. ``lists`` are
    the CSV files its ``select_one_from_file`` questions name, by file name."""
    file_type = SUFFIXES.get(Path(filename).suffix.lower())
    if file_type is None:
        raise XLSFormRejected([_("An XLSForm is an Excel file (.xlsx or .xls).")])
    if not content:
        raise XLSFormRejected([_("The file is empty.")])
    try:
        result = xls2xform.convert(xlsform=content, file_type=file_type, validate=False)
    except PyXFormError as error:
        raise XLSFormRejected([_plain(str(error))]) from None
    except Exception:
        raise XLSFormRejected([_("The file could not be read as an XLSForm. Is it a saved Excel workbook?")]) from None
    return _Reader(result._pyxform or {}, _csv_lists(lists or {})).definition()


def _plain(message: str) -> str:
    message = re.sub(r"\[row : (\d+)\]", lambda m: _("Row %(row)s:") % {"row": m.group(1)}, message)
    return " ".join(message.split())


def _csv_lists(files: dict[str, bytes]) -> dict[str, list[dict[str, str]]]:
    """Each CSV list's rows (a ``name`` column, ``label`` or ``label::<language>`` columns, and any others,
    which a choice_filter may read)."""
    lists: dict[str, list[dict[str, str]]] = {}
    for name, content in files.items():
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise XLSFormRejected([_("“%(name)s” is not UTF-8 text.") % {"name": name}]) from None
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows or "name" not in rows[0]:
            raise XLSFormRejected([_("“%(name)s” needs a column called name.") % {"name": name}])
        lists[name] = rows
    return lists


# --- languages ------------------------------------------------------------------------------------------

_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Lower-case language names → code: each language's own name and its name in some widely used
    languages (CLDR through Babel)."""
    names: dict[str, str] = {}
    for display in ["en", "sv", "fr", "es", "pt", "de", "ar", "so", "fa", "ti", "sw", "zh", "ru"]:
        for code, name in Locale.parse(display).languages.items():
            if "_" not in code:
                names.setdefault(name.lower(), code)
    for identifier in locale_identifiers():
        if "_" in identifier:
            continue
        try:
            own = Locale.parse(identifier).get_display_name(identifier)
        except (UnknownLocaleError, ValueError):
            continue
        if own:
            names.setdefault(own.lower(), identifier)
    names.update({"farsi": "fa", "dari": "prs", "tetun": "tet", "swedish": "sv", "svenska": "sv"})
    return names


def language_code(written: str) -> str:
    """A language as an XLSForm column names it → a BCP 47 code (``x-…`` for a name CLDR does not know)."""
    written = " ".join(written.split())
    if match := re.search(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\)$", written):
        return match.group(1).replace("_", "-").lower()
    if _CODE.match(written):
        try:
            Locale.parse(written.replace("-", "_"))
            return written.replace("_", "-").lower()
        except (UnknownLocaleError, ValueError):
            pass
    if code := _language_names().get(written.lower()):
        return code
    slug = "".join(c for c in unicodedata.normalize("NFKD", written.lower()) if c.isascii() and c.isalnum())
    return f"x-{(slug or 'lang')[:8]}"


# --- the form -------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, form: dict[str, Any], lists: dict[str, list[dict[str, str]]] | None = None) -> None:
        self.form = form
        self.lists = lists or {}
        self.files_used: dict[str, str] = {}
        written = form.get("default_language") or "default"
        self.default_set = written != "default"
        self.default = language_code(written) if self.default_set else settings.LANGUAGE_CODE
        self.seen_languages: list[str] = []
        self.questions: list[dict[str, Any]] = []
        self.left_out: list[dict[str, str]] = []
        self.notices: list[dict[str, str]] = []
        self.elements: list[tuple[dict[str, Any], list[str], dict[str, Any] | None, str]] = []
        self.repeats: list[dict[str, Any]] = []
        self.repeat_of: dict[str, str] = {}  # a repeated question's name → its repeat
        self.untagged = False

    def texts(self, value: Any) -> dict[str, str]:
        if not value:
            return {}
        if isinstance(value, str):
            items: list[tuple[str, Any]] = [("default", value)]
        else:
            items = list(value.items())
        out: dict[str, str] = {}
        for key, text in items:
            text = str(text).strip()
            if not text:
                continue
            if key == "default":
                code = self.default
                self.untagged = self.untagged or not self.default_set
            else:
                code = language_code(key)
            if code not in self.seen_languages:
                self.seen_languages.append(code)
            out.setdefault(code, text)
        return out

    def collect(
        self, children: list[dict[str, Any]], when: list[str], group: dict[str, Any] | None, repeat: str
    ) -> None:
        """Questions in order with the relevance of the groups around them; loops asked once per column."""
        for child in children:
            kind = str(child.get("type", "")).strip()
            if kind in ("group", "repeat", "loop"):
                if child.get("name") == "meta":
                    continue
                inner = [*when, child["bind"]["relevant"]] if (child.get("bind") or {}).get("relevant") else when
                label = self.texts(child.get("label"))
                appearance = str((child.get("control") or {}).get("appearance", "") or "")
                here = {"name": child.get("name", ""), "label": label, "appearance": appearance}
                if kind == "repeat" and repeat:  # a repeat inside a repeat is asked with the outer one
                    self.notices.append({"name": child.get("name", ""), "reason": "nested_repeat"})
                    self.collect(child.get("children", []), inner, here, repeat)
                elif kind == "repeat":
                    count = (child.get("control") or {}).get("jr:count") or child.get("repeat_count")
                    self.repeats.append({"name": child.get("name", ""), "label": label, "count": count or ""})
                    self.collect(child.get("children", []), inner, here, child.get("name", ""))
                elif kind == "loop":
                    for column in child.get("columns", []):
                        expanded = [
                            {
                                **c,
                                "name": f"{child['name']}_{column['name']}_{c['name']}",
                                "label": _loop_label(c.get("label"), column.get("label")),
                            }
                            for c in child.get("children", [])
                        ]
                        self.collect(expanded, inner, here, repeat)
                else:
                    self.collect(child.get("children", []), inner, here, repeat)
            else:
                self.elements.append((child, when, group, repeat))

    def definition(self) -> dict[str, Any]:
        self.collect(self.form.get("children", []), [], None, "")
        names = {str(e.get("name", "")) for e, *_rest in self.elements}
        self.repeat_of = {str(e.get("name", "")): repeat for e, _when, _group, repeat in self.elements if repeat}
        seen: dict[str, dict[str, Any]] = {}
        for element, when, group, repeat in self.elements:
            question = self.question(element, when, group, names, repeat)
            if question is None:
                continue
            if problem := question_problem(question, seen):
                self.leave_out(element, DUPLICATE if question["name"] in seen else INVALID, problem)
                continue
            seen[question["name"]] = question
            if repeat:
                question["repeat"] = repeat
            self.questions.append(question)
        if not self.questions:
            problems = [_("The form has no questions that Stödkedjan can ask.")]
            if self.left_out:
                problems.append(
                    _("Left out: %(names)s.") % {"names": ", ".join(item["name"] for item in self.left_out)}
                )
            raise XLSFormRejected(problems)
        first = self.default if (self.default_set or self.untagged) else (self.seen_languages or [self.default])[0]
        languages = [first, *[code for code in self.seen_languages if code != first]]
        definition = {
            "odk": self.for_collect(),
            "files": {name: _csv_text(self.lists[name]) for name in self.files_used},
            "languages": languages,
            "title": self.texts(self.form.get("title")) or {first: str(self.form.get("title") or "")},
            "intro": {},
            "questions": self.questions,
            "repeats": self.repeat_list(names),
            "left_out": self.left_out,
            "notices": self.notices + ([{"name": "", "reason": "untagged"}] if self.untagged else []),
        }
        try:
            validate(definition)
        except DefinitionError as error:
            raise XLSFormRejected([str(error)]) from None
        return definition

    def repeat_list(self, names: set[str]) -> list[dict[str, Any]]:
        """The repeats that kept a question, with their count (XPath over the questions outside them)."""
        kept = {q.get("repeat") for q in self.questions}
        out = []
        for repeat in self.repeats:
            if repeat["name"] not in kept:
                continue
            try:
                count = self.xpath(str(repeat["count"]), names) if repeat["count"] else ""
            except xform.ExpressionError:
                count = ""
            out.append({"name": repeat["name"], "label": repeat["label"], "count": count})
        return out

    def for_collect(self) -> dict[str, Any] | None:
        """The form as pyxform read it, without the rows left out, for ODK Collect and Enketo
        (``surveys.openrosa``); None when pyxform cannot build it without them."""
        gone = {item["name"] for item in self.left_out if item["reason"] != LAYOUT}

        def kept(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
            out = []
            for child in children:
                if child.get("name") in gone and child.get("type") not in ("group", "repeat", "loop"):
                    continue
                if "children" in child:
                    child = {**child, "children": kept(child["children"])}
                out.append(child)
            return out

        form = {**self.form, "children": kept(self.form.get("children", []))}
        try:
            builder.create_survey_element_from_dict(copy.deepcopy(form)).to_xml(validate=False)
        except Exception:  # pyxform refuses a reference to a row left out: Collect is then not offered
            return None
        return form

    def leave_out(self, element: dict[str, Any], reason: str, detail: str = "") -> None:
        self.left_out.append(
            {
                "name": str(element.get("name", "")),
                "type": str(element.get("type", "")),
                "reason": reason,
                "detail": detail,
            }
        )

    def question(
        self, element: dict[str, Any], when: list[str], group: dict[str, Any] | None, names: set[str], repeat: str
    ) -> dict[str, Any] | None:
        raw = str(element.get("type", "")).strip()
        name = str(element.get("name", ""))
        if raw.lower() in PRIVACY_TYPES or raw.startswith("uri:") or raw.lower().startswith("background"):
            self.leave_out(element, PRIVACY)
            return None
        if raw in METADATA_TYPES:
            self.leave_out(element, METADATA)
            return None
        itemset = str(element.get("itemset", ""))
        from_file = itemset if itemset.endswith(".csv") and itemset in self.lists else ""
        if not from_file and (raw.startswith(EXTERNAL_TYPES) or itemset.endswith((".csv", ".xml", ".geojson"))):
            self.leave_out(element, EXTERNAL, itemset)
            return None
        if name.startswith("reserved_name_for_field_list_labels"):
            self.leave_out(element, LAYOUT)
            return None
        kind = _TYPES.get(raw.lower())
        if kind is None or not re.match(NAME, name):
            self.leave_out(element, UNSUPPORTED)
            return None
        bind = element.get("bind") or {}
        control = element.get("control") or {}
        appearance = str(control.get("appearance", "") or "").strip()
        if kind == "select_one" and "likert" in appearance:
            kind = "likert"
        parameters_kind = "decimal" if kind == "range" and str(bind.get("type", "")) == "decimal" else "integer"
        question: dict[str, Any] = {
            "name": name,
            "kind": kind,
            "label": self.texts(element.get("label")),
            "hint": self.texts(element.get("hint")),
            "required": False,
            "relevant": None,
        }
        try:
            expressions = self.expressions(element, bind, when, names, repeat)
        except xform.ExpressionError as error:
            self.leave_out(element, EXPRESSION, str(error))
            return None
        question.update(expressions)
        if not when and bind.get("relevant") and (simple := parse_relevant(str(bind["relevant"]))):
            target = next((q for q in self.questions if q["name"] == simple["question"]), None)
            if target is not None and target["kind"] in CHOICE_KINDS:  # said in words on a one-page form
                question["relevant"] = simple
                question.pop("when", None)
        required = str(bind.get("required", "") or "").strip()
        if required.lower() in ("yes", "true", "true()", "1"):
            question["required"] = True
        elif required and required.lower() not in ("no", "false", "false()", "0"):
            try:
                question["required_when"] = self.xpath(required, names, repeat)
            except xform.ExpressionError as error:
                self.leave_out(element, EXPRESSION, str(error))
                return None
        for message_key, message_name in (
            ("jr:constraintMsg", "constraint_message"),
            ("jr:requiredMsg", "required_message"),
        ):
            if bind.get(message_key):
                question[message_name] = self.texts(bind[message_key])
        if str(bind.get("readonly", "")).strip().lower() in ("yes", "true", "true()"):
            question["read_only"] = True
        if element.get("default") not in (None, ""):
            question["default"] = str(element["default"])
        if appearance:
            question["appearance"] = appearance
        if group:
            question["group"] = group
        if kind == "range":
            parameters = element.get("parameters") or {}
            question["parameters"] = {
                "start": str(parameters.get("start", "1")),
                "end": str(parameters.get("end", "10")),
                "step": str(parameters.get("step", "1")),
                "kind": parameters_kind,
            }
        if kind in ("select_one", "select_multiple", "likert", "rank"):
            if from_file:
                choices = [_csv_choice(row) for row in self.lists[from_file]]
                self.files_used[from_file] = from_file
                question["list_file"] = from_file
            else:
                choices = element.get("choices") or (self.form.get("choices") or {}).get(itemset, [])
            question["choices"] = [self.choice(c) for c in choices]
        return question

    def choice(self, choice: dict[str, Any]) -> dict[str, Any]:
        data = {
            str(k): str(v)
            for k, v in choice.items()
            if k not in ("name", "label", "media") and isinstance(v, str | int | float) and re.match(NAME, str(k))
        }
        out: dict[str, Any] = {"name": str(choice["name"]), "label": self.texts(choice.get("label"))}
        if not out["label"]:
            out["label"] = {self.default: str(choice["name"])}
        if data:
            out["data"] = data
        return out

    def xpath(self, expression: str, names: set[str], here: str = "") -> str:
        xpath = xform.to_xpath(expression, names, self.repeat_of, here)
        xform.check(xpath)
        return xpath

    def expressions(
        self, element: dict[str, Any], bind: dict[str, Any], when: list[str], names: set[str], here: str
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        conditions = [*when, bind["relevant"]] if bind.get("relevant") else list(when)
        if conditions:
            out["when"] = [self.xpath(str(c), names, here) for c in conditions]
        if bind.get("constraint"):
            out["constraint"] = self.xpath(str(bind["constraint"]), names, here)
        if bind.get("calculate"):
            out["calculation"] = self.xpath(str(bind["calculate"]), names, here)
        if element.get("choice_filter"):
            out["choice_filter"] = self.xpath(str(element["choice_filter"]), names, here)
        return out


def _csv_text(rows: list[dict[str, str]]) -> str:
    """A list as CSV again, for ODK Collect's manifest (it reads the file itself)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _csv_choice(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as pyxform writes a choice: ``label`` as text, or per language from ``label::…`` columns."""
    labels = {k.split("::", 1)[1]: v for k, v in row.items() if k and k.startswith("label::") and v}
    choice: dict[str, Any] = {k: v for k, v in row.items() if k and not k.startswith("label")}
    choice["label"] = labels or row.get("label") or row.get("name", "")
    return choice


def _loop_label(label: Any, column_label: Any) -> Any:
    """A loop's question label with ``%(label)s`` filled in from the column, per language."""
    if isinstance(label, dict):
        columns = column_label if isinstance(column_label, dict) else {}
        return {
            key: str(text).replace(
                "%(label)s", str(columns.get(key, column_label if isinstance(column_label, str) else ""))
            )
            for key, text in label.items()
        }
    if isinstance(label, str):
        text = column_label if isinstance(column_label, str) else next(iter((column_label or {}).values()), "")
        return label.replace("%(label)s", str(text))
    return label
