"""Words for the search index and for queries, made the same way on both sides.

Swedish first: case-folded, å/ä/ö kept (they are letters of their own) and also folded to a/a/o so that a
parent typing on a keyboard without them still finds "förälder" with "foralder"; stemmed with Snowball's
Swedish stemmer, so "föräldrar", "föräldragrupp" and "förälder" meet on a common prefix. Words in other
scripts (Arabic, Ethiopic) are kept as they are, case-folded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TOKEN_LENGTH = 60
MAX_QUERY_WORDS = 6
FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
STOP_WORDS = frozenset(
    [
        "och",
        "i",
        "att",
        "det",
        "som",
        "en",
        "på",
        "är",
        "av",
        "för",
        "med",
        "till",
        "den",
        "har",
        "de",
        "inte",
        "om",
        "ett",
        "han",
        "men",
        "var",
        "jag",
        "sig",
        "från",
        "vi",
        "så",
        "kan",
        "man",
        "när",
        "år",
        "säger",
        "hon",
        "under",
        "också",
        "efter",
        "eller",
        "nu",
        "sin",
        "där",
        "vid",
        "mot",
        "ska",
        "skulle",
        "kommer",
        "ut",
        "får",
        "finns",
        "vara",
        "the",
        "and",
        "of",
        "to",
        "in",
        "for",
        "a",
        "an",
        "is",
        "on",
        "with",
        "your",
        "you",
    ]
)
_stemmer = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """The words of a text, case-folded and Unicode-normalised, stop words left out."""
    text = unicodedata.normalize("NFC", text).casefold()
    return [w for w in WORD.findall(text) if w not in STOP_WORDS and not w.isdigit() and len(w) > 1]


def stems(word: str) -> set[str]:
    """The stem of a word, and its å/ä/ö-folded form where that differs."""
    stem = _stem(word)[:MAX_TOKEN_LENGTH] or word[:MAX_TOKEN_LENGTH]
    return {stem, stem.translate(FOLD)}


def document_tokens(weighted_texts: list[tuple[str, int]]) -> dict[str, int]:
    """Token → highest weight, for the index rows of one service."""
    tokens: dict[str, int] = {}
    for text, weight in weighted_texts:
        for word in words(text):
            for token in stems(word):
                if tokens.get(token, 0) < weight:
                    tokens[token] = weight
    return tokens


def query_tokens(query: str) -> list[str]:
    """Stemmed, folded prefixes to look up, one per query word (at most ``MAX_QUERY_WORDS``)."""
    found: list[str] = []
    for word in words(query[:500]):
        token = _stem(word)[:MAX_TOKEN_LENGTH].translate(FOLD)
        if token and token not in found:
            found.append(token)
    return found[:MAX_QUERY_WORDS]


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string that starts with ``prefix`` (for an indexed range scan)."""
    return prefix + "\U0010ffff"
