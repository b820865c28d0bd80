"""The XForm engine: a questionnaire's logic run as ODK runs it, on the server.

An imported XLSForm keeps its expressions (``relevant``, ``constraint``, ``required``, ``calculation``,
``choice_filter``) as XPath. They are evaluated here by elementpath, a real XPath engine, over the instance
document of the answers given so far — ``<data><q1>…</q1><q2>…</q2></data>``, one element per question, a
multiple choice as its option names separated by spaces, as in ODK — with ODK's own functions added
(``selected``, ``count-selected``, ``if``, ``coalesce``, ``regex``, ``today`` …). The parent's page
therefore needs no JavaScript, and every rule is checked again when the answers arrive.

``${name}`` becomes ``/data/name`` and ``.`` is the question's own element, so ``../name`` (which pyxform
writes for ``or_other``) works too. An expression that cannot be evaluated for the answers at hand (a
number compared with an empty answer, say) counts as false, as NaN comparisons are false in ODK.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from elementpath import XPath2Parser, XPathContext
from elementpath.exceptions import ElementPathError

ROOT = "data"
CHOICES = "_choices"  # the element that holds a question's options while its choice_filter runs
REFERENCE = re.compile(r"\$\{([^}\s]+)\}")
_LITERALS = re.compile(r"('[^']*'|\"[^\"]*\")")
_RENAMED = [  # ODK names that XPath 2 reserves or writes with a prefix
    (re.compile(r"(?<![\w:-])if\s*\("), "odk-if("),
    (re.compile(r"(?<![\w-])jr:choice-name\s*\("), "choice-name("),
    (re.compile(r"(?<![\w:-])(true|false)\s*\(\s*\)"), r"\1()"),
]


class ExpressionError(ValueError):
    """An expression that cannot be read; the message says which and why."""


class _Parser(XPath2Parser):
    symbol_table = dict(XPath2Parser.symbol_table)


def _text(value: Any) -> str:
    """An XPath value as ODK reads it as text: the first node's text, a number without a needless '.0'."""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "text") and hasattr(value, "tag"):
        return value.text or ""
    if hasattr(value, "elem"):  # an elementpath node
        return _text(value.elem)
    return str(value)


def _number(value: Any) -> float:
    try:
        return float(_text(value))
    except ValueError:
        return math.nan


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _selected(items: Any, option: Any) -> bool:
    return _text(option).strip() in _text(items).split()


def _register(parser: _Parser) -> None:
    functions: dict[str, tuple[Any, tuple[str, ...]]] = {
        "selected": (_selected, ("item()*", "item()?", "xs:boolean")),
        "count-selected": (lambda items: len(_text(items).split()), ("item()*", "xs:integer")),
        "selected-at": (
            lambda items, n: (_text(items).split() + [""] * (int(_number(n)) + 1))[int(_number(n))],
            ("item()*", "item()?", "xs:string"),
        ),
        "choice-name": (lambda value, _path: _text(value), ("item()*", "item()?", "xs:string")),
        "odk-if": (
            lambda condition, then, otherwise: then if _truth(condition) else otherwise,
            ("item()*", "item()*", "item()*", "item()*"),
        ),
        "coalesce": (lambda a, b: a if _text(a) != "" else b, ("item()*", "item()*", "item()*")),
        "once": (lambda value: value, ("item()*", "item()*")),
        "regex": (
            lambda value, pattern: re.search(_text(pattern), _text(value)) is not None,
            ("item()*", "item()?", "xs:boolean"),
        ),
        "int": (lambda value: int(_number(value)) if not math.isnan(_number(value)) else 0, ("item()*", "xs:integer")),
        "pow": (lambda a, b: _number(a) ** _number(b), ("item()*", "item()*", "xs:double")),
        "today": (lambda: date.today().isoformat(), ("xs:string",)),
        "now": (lambda: datetime.now().replace(microsecond=0).isoformat(), ("xs:string",)),
        "date": (lambda value: _text(value)[:10], ("item()*", "xs:string")),
        "format-date": (lambda value, _format: _text(value)[:10], ("item()*", "item()?", "xs:string")),
        "decimal-date-time": (_decimal_date, ("item()*", "xs:double")),
        "boolean-from-string": (lambda value: _text(value) in ("true", "1"), ("item()*", "xs:boolean")),
        "join": (
            lambda sep, items: _text(sep).join(_text(i) for i in _items(items)),
            ("item()?", "item()*", "xs:string"),
        ),
        "substr": (
            lambda value, start, end=None: _text(value)[
                int(_number(start)) : None if end is None else int(_number(end))
            ],
            ("item()*", "item()?", "item()?", "xs:string"),
        ),
        "string-length-odk": (lambda value: len(_text(value)), ("item()*", "xs:integer")),
    }
    for name, (callback, types) in functions.items():
        parser.external_function(callback, name=name, sequence_types=types)


def _substr(value: Any, start: Any, end: Any = None) -> str:
    return _text(value)[int(_number(start)) : None if end is None else int(_number(end))]


def _decimal_date(value: Any) -> float:
    try:
        return (date.fromisoformat(_text(value)[:10]) - date(1970, 1, 1)).days * 1.0
    except ValueError:
        return math.nan


_PARSER = _Parser()
_register(_PARSER)


def _truth(value: Any) -> bool:
    """XPath's effective boolean value, with an unanswered question as false."""
    if isinstance(value, list):
        if not value:
            return False
        first = value[0]
        return True if len(value) > 1 or hasattr(first, "tag") or hasattr(first, "elem") else _truth(first)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not (isinstance(value, float) and math.isnan(value)) and value != 0
    return bool(_text(value))


def to_xpath(expression: str, names: Iterable[str]) -> str:
    """An XLSForm expression as XPath over our instance; ExpressionError names a reference to nothing."""
    known = set(names)
    parts = _LITERALS.split(" ".join(str(expression).split()))
    for index in range(0, len(parts), 2):  # outside string literals only
        part = parts[index]

        def path(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in known:
                raise ExpressionError(f"${{{name}}} names no question")
            return f"/{ROOT}/{name}"

        part = REFERENCE.sub(path, part)
        for pattern, replacement in _RENAMED:
            part = pattern.sub(replacement, part)
        parts[index] = part
    return "".join(parts)


@lru_cache(maxsize=4096)
def compiled(xpath: str) -> Any:
    try:
        return _PARSER.parse(xpath)
    except ElementPathError as error:
        raise ExpressionError(str(error).split(": ", 1)[-1]) from None


def check(xpath: str) -> None:
    """Raise ExpressionError when the XPath cannot be read."""
    compiled(xpath)


def answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "OK" if value else ""
    return _text(value)


def instance(names: Iterable[str], answers: dict[str, Any]) -> ET.Element:
    root = ET.Element(ROOT)
    for name in names:
        ET.SubElement(root, name).text = answer_text(answers.get(name))
    return root


def _evaluate(xpath: str, root: ET.Element, item: ET.Element | None) -> Any:
    try:
        return compiled(xpath).evaluate(XPathContext(root, item=item if item is not None else root))
    except (ElementPathError, ArithmeticError, ValueError, TypeError, IndexError):
        return None


def truth(xpath: str, root: ET.Element, name: str | None = None) -> bool:
    """A condition (relevant, constraint, required) with ``.`` as the question ``name``'s element."""
    return _truth(_evaluate(xpath, root, root.find(name) if name else None))


def value(xpath: str, root: ET.Element, name: str | None = None) -> str:
    """A calculation's result as text, '' when it cannot be had."""
    return _text(_evaluate(xpath, root, root.find(name) if name else None))


def filtered(xpath: str, root: ET.Element, choices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The options a ``choice_filter`` keeps, each evaluated with its own row (name and extra columns) as
    the context, as ODK does."""
    holder = ET.SubElement(root, CHOICES)
    try:
        kept = []
        for choice in choices:
            item = ET.SubElement(holder, "item")
            ET.SubElement(item, "name").text = str(choice["name"])
            for column, text in (choice.get("data") or {}).items():
                ET.SubElement(item, column).text = str(text)
            if _truth(_evaluate(xpath, root, item)):
                kept.append(choice)
            holder.remove(item)
        return kept
    finally:
        root.remove(holder)


# --- a whole questionnaire ------------------------------------------------------------------------------

REQUIRED, CONSTRAINT, CHOICE = "required", "constraint", "choice"


@dataclass
class Evaluation:
    """What a questionnaire makes of the answers given: which questions are asked (notes included), the
    answers to keep (those asked, non-empty), the calculations' values, and what is wrong (name → one of
    ``required``, ``constraint``, ``choice``)."""

    asked: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _simple_relevant(question: dict[str, Any], answers: dict[str, Any]) -> bool:
    """The one condition a question written in Stödkedjan may have."""
    condition = question.get("relevant")
    if not condition:
        return True
    given = answers.get(condition["question"])
    chosen = set(given) if isinstance(given, list) else ({given} if given not in (None, "") else set())
    if condition["operator"] in ("=", "selected"):
        return condition["value"] in chosen
    return bool(chosen) and condition["value"] not in chosen


def evaluate(questions: list[dict[str, Any]], given: dict[str, Any]) -> Evaluation:
    """Run the questionnaire's logic over the answers given, in question order, as ODK does: a question that
    is not relevant has no value for the questions after it; calculations run twice, so that one may read a
    later answer."""
    names = [q["name"] for q in questions]
    answers = {n: v for n, v in given.items() if v not in (None, "", [])}
    result = Evaluation()
    for _pass in range(2):
        root = instance(names, answers)
        result = Evaluation()
        for question in questions:
            name = question["name"]
            element = root.find(name)
            relevant = _simple_relevant(question, answers) and all(
                truth(x, root, name) for x in question.get("when", [])
            )
            if not relevant:
                answers.pop(name, None)
                if element is not None:
                    element.text = ""
                continue
            if question["kind"] == "calculate":
                computed = value(question["calculation"], root, name) if question.get("calculation") else ""
                computed = computed or question.get("default", "")
                result.values[name] = computed
                if element is not None:
                    element.text = computed
                continue
            result.asked.append(question)
            if question.get("choice_filter") and question.get("choices"):
                result.options[name] = filtered(question["choice_filter"], root, question["choices"])
            if name in answers:
                result.answers[name] = answers[name]
    root = instance(names, {**result.answers, **result.values})
    for question in result.asked:
        name, answer = question["name"], result.answers.get(question["name"])
        if question["kind"] == "note":
            continue
        if answer is None:
            must = question.get("required") or (
                bool(question.get("required_when")) and truth(question["required_when"], root, name)
            )
            if must:
                result.errors[name] = REQUIRED
            continue
        if name in result.options:
            allowed = {c["name"] for c in result.options[name]}
            chosen = answer if isinstance(answer, list) else [answer]
            if any(str(c) not in allowed for c in chosen):
                result.errors[name] = CHOICE
                continue
        if question.get("constraint") and not truth(question["constraint"], root, name):
            result.errors[name] = CONSTRAINT
    return result
