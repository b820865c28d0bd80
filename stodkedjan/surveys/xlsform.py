"""Read an XLSForm (the form standard of ODK and KoboToolbox) into our questionnaire definition.

pyxform does the reading and checking, so a form that works in ODK reads the same here, and its error
messages (which name the row) are passed on in plain words. We then keep what our response pages can
show: single and multiple choice (a ``likert`` appearance makes a scale), text and whole numbers, with
required questions, simple ``relevant`` conditions and labels per language (``label::Arabic (ar)``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from pyxform import xls2xform
from pyxform.errors import PyXFormError

from stodkedjan.surveys.definition import DefinitionError, parse_relevant, validate

SUFFIXES = {".xlsx": ".xlsx", ".xls": ".xls", ".md": ".md", ".csv": ".csv"}
_TYPES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "text": "text",
    "integer": "integer",
}
# Language columns may be written "Arabic (ar)" (the XLSForm convention) or by a name alone.
_NAMES = {
    "svenska": "sv",
    "swedish": "sv",
    "english": "en",
    "engelska": "en",
    "arabic": "ar",
    "arabiska": "ar",
    "somali": "so",
    "somaliska": "so",
    "tigrinya": "ti",
    "tigrinska": "ti",
    "persian": "fa",
    "farsi": "fa",
    "persiska": "fa",
    "dari": "prs",
}


class XLSFormRejected(ValueError):
    """The form cannot be used; ``problems`` says why, one plain sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_path(path: Path) -> dict[str, Any]:
    return read(path.read_bytes(), path.name)


def read(content: bytes, filename: str) -> dict[str, Any]:
    """An XLSForm file's bytes → a checked definition, or XLSFormRejected."""
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
    return _to_definition(result._pyxform or {})


def _plain(message: str) -> str:
    message = re.sub(r"\[row : (\d+)\]", lambda m: _("Row %(row)s:") % {"row": m.group(1)}, message)
    return " ".join(message.split())


def _language(column_language: str, default: str) -> str:
    if column_language == "default":
        column_language = default
    if match := re.search(r"\(([A-Za-z]{2,3})\)\s*$", column_language):
        return match.group(1).lower()
    code = _NAMES.get(column_language.strip().lower())
    if code is None:
        raise XLSFormRejected(
            [
                _("The language “%(language)s” is not known. Write it as a name and a code, such as “Arabic (ar)”.")
                % {"language": column_language}
            ]
        )
    return code


def _texts(value: Any, default: str) -> dict[str, str]:
    if not value:
        return {}
    if isinstance(value, str):
        return {_language("default", default): value.strip()}
    return {_language(key, default): str(text).strip() for key, text in value.items() if str(text).strip()}


def _flatten(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Questions in order; groups only arrange questions on screen, which our pages do themselves."""
    out: list[dict[str, Any]] = []
    for child in children:
        if child.get("type") in ("group", "repeat"):
            if child.get("name") != "meta":
                out.extend(_flatten(child.get("children", [])))
        else:
            out.append(child)
    return out


def _question(element: dict[str, Any], default: str, problems: list[str]) -> dict[str, Any] | None:
    name, kind = element.get("name", ""), _TYPES.get(element.get("type", ""))
    if element.get("type") in ("calculate", "start", "end", "today", "deviceid", "note"):
        return None  # metadata and notes carry no answer; device metadata would not be anonymous anyway
    if kind is None:
        problems.append(
            _(
                "Question “%(name)s” has the type “%(type)s”, which Stödkedjan does not ask. Use select_one, "
                "select_multiple, text or integer."
            )
            % {"name": name, "type": element.get("type")}
        )
        return None
    bind = element.get("bind", {})
    if kind == "select_one" and "likert" in str(element.get("control", {}).get("appearance", "")):
        kind = "likert"
    question: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "label": _texts(element.get("label"), default),
        "hint": _texts(element.get("hint"), default),
        "required": str(bind.get("required", "")).strip().lower() in ("yes", "true", "true()"),
        "relevant": None,
    }
    if kind in ("select_one", "select_multiple", "likert"):
        question["choices"] = [
            {"name": str(c["name"]), "label": _texts(c.get("label"), default)} for c in element.get("choices", [])
        ]
    if expression := bind.get("relevant"):
        question["relevant"] = parse_relevant(str(expression))
        if question["relevant"] is None:
            problems.append(
                _(
                    "Question “%(name)s” is shown on a condition Stödkedjan cannot follow: %(expression)s. "
                    "Use ${question} = 'option', ${question} != 'option' or selected(${question}, 'option')."
                )
                % {"name": name, "expression": expression}
            )
    return question


def _to_definition(form: dict[str, Any]) -> dict[str, Any]:
    default = form.get("default_language") or "default"
    if default == "default":
        default = f"Swedish ({settings.LANGUAGE_CODE})"
    problems: list[str] = []
    try:
        questions = [q for e in _flatten(form.get("children", [])) if (q := _question(e, default, problems))]
    except XLSFormRejected as rejected:
        raise XLSFormRejected(problems + rejected.problems) from None
    if not questions and not problems:
        problems.append(_("The form has no questions."))
    if problems:
        raise XLSFormRejected(problems)
    first = _language(default, default)
    languages = [first, *sorted({code for q in questions for code in q["label"]} - {first})]
    definition = {
        "languages": languages,
        "title": _texts(form.get("title"), default),
        "intro": {},
        "questions": questions,
    }
    try:
        validate(definition)
    except DefinitionError as error:
        raise XLSFormRejected([str(error)]) from None
    return definition
