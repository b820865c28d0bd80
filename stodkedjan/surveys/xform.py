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
import random
import re
import threading
import uuid
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from elementpath import XPath2Parser, XPathContext, get_node_tree
from elementpath.exceptions import ElementPathError

ROOT = "data"
CHOICES = "_choices"  # the element that holds a question's options while its choice_filter runs
REFERENCE = re.compile(r"\$\{([^}\s]+)\}")
_LITERALS = re.compile(r"('[^']*'|\"[^\"]*\")")
_RENAMED = [  # ODK names that XPath 2 reserves or writes with a prefix
    (re.compile(r"(?<![\w:-])if\s*\("), "odk-if("),
    (re.compile(r"(?<![\w-])jr:choice-name\s*\("), "choice-name("),
    (re.compile(r"(?<![\w:-])(true|false)\s*\(\s*\)"), r"\1()"),
    # ODK's round() takes the number of decimals; position(..) is the repeat instance's number.
    (re.compile(r"(?<![\w:-])round\s*\("), "odk-round("),
    (re.compile(r"(?<![\w:-])position\s*\(\s*\.\.\s*\)"), "odk-position(..)"),
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
        "odk-round": (_round, ("item()*", "item()?", "xs:double")),
        "odk-position": (_position, ("item()*", "xs:integer")),
        "count-non-empty": (lambda items: sum(1 for i in _items(items) if _text(i) != ""), ("item()*", "xs:integer")),
        # Neither is stored; a calculation that uses them still runs (pulldata reads no file here).
        "uuid": (lambda: str(uuid.uuid4()), ("xs:string",)),
        "random": (lambda: random.random(), ("xs:double",)),  # noqa: S311 - not for secrets
        "pulldata": (
            lambda _file, _column, _key, _value: "",
            ("item()*", "item()*", "item()*", "item()*", "xs:string"),
        ),
    }
    for name, (callback, types) in functions.items():
        parser.external_function(callback, name=name, sequence_types=types)


def _round(value: Any, digits: Any = None) -> float:
    number = _number(value)
    return number if math.isnan(number) else round(number, int(_number(digits)) if digits is not None else 0)


def _position(node: Any) -> int:
    """The number of a repeat instance among its siblings of the same name (1, 2 …)."""
    node = node[0] if isinstance(node, list) and node else node
    parent = getattr(node, "parent", None)
    if parent is None:
        return 1
    same = [child for child in parent if getattr(child, "name", None) == getattr(node, "name", None)]
    return next((i + 1 for i, child in enumerate(same) if child is node), 1)


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


def to_xpath(expression: str, names: Iterable[str], repeat_of: dict[str, str] | None = None, here: str = "") -> str:
    """An XLSForm expression as XPath over our instance; ExpressionError names a reference to nothing.

    Inside a repeat, a question of the same repeat is its sibling (``../name``, as pyxform writes it); from
    elsewhere a repeated question is all its instances (``/data/<repeat>/name``, for ``count`` or ``sum``)."""
    known = set(names)
    repeat_of = repeat_of or {}
    parts = _LITERALS.split(" ".join(str(expression).split()))
    for index in range(0, len(parts), 2):  # outside string literals only
        part = parts[index]

        def path(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in known:
                raise ExpressionError(f"${{{name}}} names no question")
            repeat = repeat_of.get(name)
            if repeat and repeat == here:
                return f"../{name}"
            return f"/{ROOT}/{repeat}/{name}" if repeat else f"/{ROOT}/{name}"

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


def build(questions: list[dict[str, Any]], answers: dict[str, Any], counts: dict[str, int]) -> ET.Element:
    """The instance of a questionnaire with repeats: a repeated question's answers are a list, one per
    instance of its repeat (``<data><kids><age>4</age></kids><kids><age>9</age></kids></data>``)."""
    root = ET.Element(ROOT)
    holders: dict[str, list[ET.Element]] = {}
    for question in questions:
        name, repeat = question["name"], question.get("repeat")
        if not repeat:
            ET.SubElement(root, name).text = answer_text(answers.get(name))
            continue
        if repeat not in holders:
            holders[repeat] = [ET.SubElement(root, repeat) for _i in range(counts.get(repeat, 1))]
        posted = answers.get(name)
        given: list[Any] = posted if isinstance(posted, list) else []
        for i, holder in enumerate(holders[repeat]):
            ET.SubElement(holder, name).text = answer_text(given[i] if i < len(given) else None)
    return root


_TREES = threading.local()  # per thread: the last instances' node trees, so each is built once, not per expression


def _nodes(root: ET.Element) -> tuple[Any, dict[int, Any]]:
    """elementpath's node tree of an instance and its nodes by element. Building it is the costly part of an
    evaluation (a form of 500 questions took 1.3 s when every expression built its own); the nodes read
    their element's text as it is now, so answers set during a pass are seen."""
    cache: OrderedDict[int, tuple[ET.Element, Any, dict[int, Any]]] = getattr(_TREES, "cache", None) or OrderedDict()
    _TREES.cache = cache
    entry = cache.get(id(root))
    if entry is None or entry[0] is not root:
        tree = get_node_tree(ET.ElementTree(root))
        nodes = {id(n.elem): n for n in tree.iter() if hasattr(n, "elem") and isinstance(n.elem, ET.Element)}
        entry = (root, tree, nodes)
        cache[id(root)] = entry
        while len(cache) > 8:
            cache.popitem(last=False)
    return entry[1], entry[2]


def _evaluate(xpath: str, root: ET.Element, item: ET.Element | None) -> Any:
    try:
        tree, nodes = _nodes(root)
        return compiled(xpath).evaluate(XPathContext(tree, item=nodes.get(id(item if item is not None else root))))
    except (ElementPathError, ArithmeticError, ValueError, TypeError, IndexError):
        return None


def _item(root: ET.Element, name: str | None, item: ET.Element | None) -> ET.Element | None:
    return item if item is not None else (root.find(name) if name else None)


def truth(xpath: str, root: ET.Element, name: str | None = None, item: ET.Element | None = None) -> bool:
    """A condition (relevant, constraint, required) with ``.`` as the question's element: ``name``'s, or
    ``item`` (an instance of a repeated question)."""
    return _truth(_evaluate(xpath, root, _item(root, name, item)))


def value(xpath: str, root: ET.Element, name: str | None = None, item: ET.Element | None = None) -> str:
    """A calculation's result as text, '' when it cannot be had."""
    return _text(_evaluate(xpath, root, _item(root, name, item)))


def filtered(xpath: str, root: ET.Element, choices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The options a ``choice_filter`` keeps, each evaluated with its own row (name and extra columns) as
    the context, as ODK does. The rows join the instance for the while, in one node tree for all of them."""
    holder = ET.SubElement(root, CHOICES)
    try:
        items = []
        for choice in choices:
            item = ET.SubElement(holder, "item")
            ET.SubElement(item, "name").text = str(choice["name"])
            for column, text in (choice.get("data") or {}).items():
                ET.SubElement(item, column).text = str(text)
            items.append(item)
        tree = get_node_tree(ET.ElementTree(root))
        nodes = {id(n.elem): n for n in tree.iter() if hasattr(n, "elem") and isinstance(n.elem, ET.Element)}
        token = compiled(xpath)
        kept = []
        for choice, item in zip(choices, items, strict=True):
            try:
                keep = _truth(token.evaluate(XPathContext(tree, item=nodes[id(item)])))
            except (ElementPathError, ArithmeticError, ValueError, TypeError, IndexError):
                keep = False
            if keep:
                kept.append(choice)
        return kept
    finally:
        root.remove(holder)


# --- a whole questionnaire ------------------------------------------------------------------------------

REQUIRED, CONSTRAINT, CHOICE = "required", "constraint", "choice"
MAX_REPEATS = 30  # a household with more than 30 of anything is asked in an interview


@dataclass
class Evaluation:
    """What a questionnaire makes of the answers given: which questions are asked (notes included), the
    answers to keep (those asked, non-empty), the calculations' values, and what is wrong (name → one of
    ``required``, ``constraint``, ``choice``)."""

    asked: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    relevant_in: dict[str, list[bool]] = field(default_factory=dict)


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


def _counts(repeats: list[dict[str, Any]], root: ET.Element, given: dict[str, int]) -> dict[str, int]:
    """How many times each repeat is asked: its ``repeat_count`` where it has one, else as many as given."""
    counts = {r["name"]: max(1, min(given.get(r["name"], 1), MAX_REPEATS)) for r in repeats}
    for repeat in repeats:
        if repeat.get("count"):
            try:
                counts[repeat["name"]] = max(0, min(int(float(value(repeat["count"], root) or 0)), MAX_REPEATS))
            except ValueError:
                counts[repeat["name"]] = 0
    return counts


def _check(question: dict[str, Any], answer: Any, root: ET.Element, item: ET.Element | None, options: Any) -> str:
    """What is wrong with one answer (or its absence) of a question that is asked: '' when nothing."""
    if answer in (None, "", []):
        must = question.get("required") or (
            bool(question.get("required_when")) and truth(question["required_when"], root, item=item)
        )
        return REQUIRED if must else ""
    if options is not None:
        allowed = {c["name"] for c in options}
        chosen = answer if isinstance(answer, list) else [answer]
        if any(str(c) not in allowed for c in chosen):
            return CHOICE
    if question.get("constraint") and not truth(question["constraint"], root, item=item):
        return CONSTRAINT
    return ""


def evaluate(
    questions: list[dict[str, Any]],
    given: dict[str, Any],
    repeats: list[dict[str, Any]] | None = None,
    counts: dict[str, int] | None = None,
) -> Evaluation:
    """Run the questionnaire's logic over the answers given, in question order, as ODK does: a question that
    is not relevant has no value for the questions after it; calculations run twice, so that one may read a
    later answer. A repeated question's answer is a list, one per instance of its repeat (``counts``, or
    its ``repeat_count``); its errors are keyed ``name#1``, ``name#2`` …"""
    repeats = repeats or []
    answers = {n: v for n, v in given.items() if v not in (None, "", [])}
    result = Evaluation()
    for _pass in range(2):
        sizes = _counts(repeats, build(questions, answers, counts or {}), counts or {})
        root = build(questions, answers, sizes)
        result = Evaluation(counts=sizes)
        for question in questions:
            if question.get("repeat"):
                _repeated(question, root, answers, result)
                continue
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
    root = build(questions, {**result.answers, **result.values}, result.counts)
    for question in result.asked:
        name = question["name"]
        if question["kind"] == "note":
            continue
        if question.get("repeat"):
            holders = root.findall(question["repeat"])
            given_list = result.answers.get(name) or []
            for i, holder in enumerate(holders):
                if not result.relevant_in[name][i]:
                    continue
                answer = given_list[i] if i < len(given_list) else None
                if problem := _check(question, answer, root, holder.find(name), None):
                    result.errors[f"{name}#{i + 1}"] = problem
            continue
        problem = _check(question, result.answers.get(name), root, root.find(name), result.options.get(name))
        if problem:
            result.errors[name] = problem
    return result


def _repeated(question: dict[str, Any], root: ET.Element, answers: dict[str, Any], result: Evaluation) -> None:
    """One question of a repeat, instance by instance, with ``.`` as its element in that instance."""
    name = question["name"]
    posted = answers.get(name)
    given: list[Any] = posted if isinstance(posted, list) else []
    kept: list[Any] = []
    relevant_in: list[bool] = []
    for i, holder in enumerate(root.findall(question["repeat"])):
        element = holder.find(name)
        relevant = all(truth(x, root, item=element) for x in question.get("when", []))
        relevant_in.append(relevant)
        answer = given[i] if i < len(given) and given[i] not in ("", []) else None
        if not relevant:
            answer = None
        elif question["kind"] == "calculate" and question.get("calculation"):
            answer = value(question["calculation"], root, item=element) or question.get("default") or None
        if element is not None:
            element.text = answer_text(answer)
        kept.append(answer)
    result.relevant_in[name] = relevant_in
    if question["kind"] == "calculate":
        result.values[name] = kept
    elif any(relevant_in):
        result.asked.append(question)
    if any(v is not None for v in kept) and question["kind"] != "calculate":
        result.answers[name] = kept
        answers[name] = kept
    else:
        answers.pop(name, None)
