"""A questionnaire's questions as data: the JSON kept in ``QuestionnaireVersion.definition``.

    {"languages": ["sv", "ar"],            # the first is the one labels fall back to
     "title": {"sv": "…", "ar": "…"}, "intro": {"sv": "…"},
     "questions": [{"name": "support", "kind": "select_one", "label": {"sv": "…"}, "hint": {},
                    "required": true, "choices": [{"name": "yes", "label": {"sv": "Ja"}}],
                    "relevant": {"question": "other", "operator": "=", "value": "no"}}]}

Kinds: ``select_one``, ``select_multiple``, ``likert`` (a select_one shown as a scale), ``rank``, ``text``,
``integer``, ``decimal``, ``range``, ``date``, ``time``, ``datetime``, ``acknowledge``, and two that ask
nothing: ``note`` (shown) and ``calculate`` (used in conditions, never stored). Skip logic written in
Stödkedjan is one condition on an earlier question (``relevant``); an imported XLSForm keeps its own as
XPath (``when``, ``constraint``, ``required_when``, ``calculation``, ``choice_filter``), run by
``surveys.xform``.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
from django.utils.translation import gettext as _

KINDS = (
    "select_one",
    "select_multiple",
    "likert",
    "rank",
    "text",
    "integer",
    "decimal",
    "range",
    "date",
    "time",
    "datetime",
    "acknowledge",
    "note",
    "calculate",
)
CHOICE_KINDS = ("select_one", "select_multiple", "likert", "rank")
SILENT_KINDS = ("note", "calculate")  # ask nothing and store nothing
OPERATORS = ("=", "!=", "selected", "not_selected")
NAME = r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$"
TEXT_MAX_LENGTH = 2000

_texts = {"type": "object", "additionalProperties": {"type": "string"}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["languages", "questions"],
    "properties": {
        "languages": {
            "type": "array",
            "items": {"type": "string", "pattern": "^([a-z]{2,3}(-[a-z0-9]{2,8})*|x-[a-z0-9]{1,8})$"},
            "minItems": 1,
        },
        "title": _texts,
        "intro": _texts,
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "kind", "label"],
                "properties": {
                    "name": {"type": "string", "pattern": NAME},
                    "kind": {"enum": list(KINDS)},
                    "label": _texts,
                    "hint": _texts,
                    "required": {"type": "boolean"},
                    "choices": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "label"],
                            "properties": {"name": {"type": "string", "minLength": 1}, "label": _texts},
                        },
                    },
                    "relevant": {
                        "type": ["object", "null"],
                        "required": ["question", "operator", "value"],
                        "properties": {
                            "question": {"type": "string"},
                            "operator": {"enum": list(OPERATORS)},
                            "value": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}


class DefinitionError(ValueError):
    """The questions do not make a questionnaire; the message says what to mend."""


def validate(definition: dict[str, Any]) -> None:
    """Check a definition's shape and meaning: unique names, choices where needed, skip logic backwards only."""
    try:
        jsonschema.validate(definition, SCHEMA)
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path)
        raise DefinitionError(f"{where}: {error.message}") from None
    seen: dict[str, dict[str, Any]] = {}
    for question in definition["questions"]:
        if problem := question_problem(question, seen):
            raise DefinitionError(problem)
        seen[question["name"]] = question


def question_problem(question: dict[str, Any], seen: dict[str, dict[str, Any]]) -> str:
    """What keeps one question from being asked, given the earlier ones; '' when nothing does. An imported
    form's cascading lists (a ``choice_filter``) may name an option twice, and may have only one."""
    name = question["name"]
    if name in seen:
        return _("Two questions are named “%(name)s”.") % {"name": name}
    # An imported form may lack a question's text in its first language; the page then shows another.
    if question["kind"] not in SILENT_KINDS and not any(question["label"].values()):
        return _("Question “%(name)s” has no text in its first language.") % {"name": name}
    if question["kind"] in CHOICE_KINDS:
        choices = question.get("choices") or []
        if len(choices) < (1 if question.get("choice_filter") else 2):
            return _("Question “%(name)s” needs at least two answer options.") % {"name": name}
        if not question.get("choice_filter") and len({c["name"] for c in choices}) != len(choices):
            return _("Question “%(name)s” has the same option twice.") % {"name": name}
    if condition := question.get("relevant"):
        target = seen.get(condition["question"])
        if target is None:
            return _("Question “%(name)s” depends on “%(other)s”, which is not an earlier question.") % {
                "name": name,
                "other": condition["question"],
            }
        if target["kind"] not in CHOICE_KINDS:
            return _("Question “%(name)s” may only depend on a question with answer options.") % {"name": name}
    return ""


def text_in(texts: dict[str, str] | None, language: str, fallback: str) -> str:
    """A label in ``language``, else in the questionnaire's first language, else in any it has."""
    texts = texts or {}
    return texts.get(language) or texts.get(fallback) or next(iter(texts.values()), "")


_RELEVANT_FORMS = [
    (re.compile(r"^\$\{(\w+)\}\s*=\s*'([^']*)'$"), "="),
    (re.compile(r"^\$\{(\w+)\}\s*!=\s*'([^']*)'$"), "!="),
    (re.compile(r"^selected\(\s*\$\{(\w+)\}\s*,\s*'([^']*)'\s*\)$"), "selected"),
    (re.compile(r"^not\(\s*selected\(\s*\$\{(\w+)\}\s*,\s*'([^']*)'\s*\)\s*\)$"), "not_selected"),
]


def parse_relevant(expression: str) -> dict[str, str] | None:
    """XLSForm ``relevant`` → a condition; None when it is not one of the simple forms we support."""
    expression = " ".join(expression.split()).replace('"', "'")
    for pattern, operator in _RELEVANT_FORMS:
        if match := pattern.match(expression):
            return {"question": match.group(1), "operator": operator, "value": match.group(2)}
    return None


def describe_relevant(condition: dict[str, str], questions: list[dict[str, Any]], language: str, fallback: str) -> str:
    """The condition in words, for the one-page layout and for staff."""
    target = next((q for q in questions if q["name"] == condition["question"]), None)
    if target is None:
        return ""
    option = next((c for c in target.get("choices", []) if c["name"] == condition["value"]), None)
    option_text = text_in(option["label"], language, fallback) if option else condition["value"]
    question_text = text_in(target["label"], language, fallback)
    if condition["operator"] in ("=", "selected"):
        return _("Answer if you answered “%(option)s” to “%(question)s”.") % {
            "option": option_text,
            "question": question_text,
        }
    return _("Answer if you did not answer “%(option)s” to “%(question)s”.") % {
        "option": option_text,
        "question": question_text,
    }


def empty_definition(languages: list[str], title: str) -> dict[str, Any]:
    return {"languages": languages, "title": {languages[0]: title}, "intro": {}, "questions": []}
