"""Words for the search index and for queries, made the same way on both sides.

Swedish first: case-folded, å/ä/ö kept (they are letters of their own) and also folded to a/a/o so that a
parent typing on a keyboard without them still finds "förälder" with "foralder"; stemmed with Snowball's
Swedish stemmer, so "föräldrar", "föräldragrupp" and "förälder" meet on a common prefix.

Arabic and Persian are written with letter variants and optional marks that a parent may or may not type:
short vowels and tatweel are dropped, hamza forms of alef become alef, alef maqsura and Persian yeh become
yeh, Persian kaf becomes kaf, teh marbuta becomes heh, and the article "ال" is taken off longer words, so
"العربية", "عربية" and "عربي" meet. Ethiopic (Tigrinya) is kept as written; Somali is Latin and case-folded.
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
ARABIC_MARKS = dict.fromkeys([*range(0x064B, 0x0653), 0x0670, 0x0640])  # harakat, dagger alef, tatweel
ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ۀ": "ه", "ؤ": "و", "ئ": "ي"}
)
ARTICLE = "ال"
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


def _arabic(word: str) -> str:
    word = word.translate(ARABIC_LETTERS)
    return word[2:] if word.startswith(ARTICLE) and len(word) > 4 else word


def words(text: str) -> list[str]:
    """The words of a text, case-folded and Unicode-normalised, stop words left out, Arabic script evened out."""
    text = unicodedata.normalize("NFC", text).casefold().translate(ARABIC_MARKS)  # marks would split words
    found = [w for w in WORD.findall(text) if w not in STOP_WORDS and not w.isdigit() and len(w) > 1]
    return [_arabic(w) if any("\u0600" <= c <= "\u06ff" for c in w) else w for w in found]


def stem(word: str) -> str:
    """The stem of a word, å/ä/ö folded: a query is folded the same way, so one form is all the index needs."""
    return (_stem(word)[:MAX_TOKEN_LENGTH] or word[:MAX_TOKEN_LENGTH]).translate(FOLD)


def document_tokens(weighted_texts: list[tuple[str, int]]) -> dict[str, int]:
    """Token → highest weight, for the index rows of one service."""
    tokens: dict[str, int] = {}
    for text, weight in weighted_texts:
        for word in words(text):
            token = stem(word)
            if tokens.get(token, 0) < weight:
                tokens[token] = weight
    return tokens


def query_words(query: str) -> list[tuple[str, str]]:
    """Each query word (normalised as the index is) with its stemmed, folded prefix to look up, one per
    distinct prefix (at most ``MAX_QUERY_WORDS``)."""
    found: dict[str, str] = {}
    for word in words(query[:500]):
        token = _stem(word)[:MAX_TOKEN_LENGTH].translate(FOLD)
        if token and token not in found:
            found[token] = word
    return [(word, token) for token, word in found.items()][:MAX_QUERY_WORDS]


def query_tokens(query: str) -> list[str]:
    """Stemmed, folded prefixes to look up, one per query word (at most ``MAX_QUERY_WORDS``)."""
    return [token for _word, token in query_words(query)]


# Other names of the same thing: a word a parent types → the words offerings use for it (as a parent would type
# them; stemmed and folded below as queries are). A search for the word also finds the others, counted as that one
# word. The judged query set (finder/judged_queries.csv) shows where one is missing.
OTHER_NAMES = {
    "nattvandring": ["föräldravandring"],
    "nattvandrare": ["föräldravandring"],
    "skärmtid": ["skärmar"],
    "mobiltid": ["skärmar"],
    "screen": ["skärmar"],
    "screens": ["skärmar"],
}


@lru_cache(maxsize=1)
def _other_names() -> dict[str, tuple[str, ...]]:
    return {stem(word): tuple(stem(other) for other in others) for word, others in OTHER_NAMES.items()}


def other_names(token: str) -> tuple[str, ...]:
    """The index prefixes of the other names of a query word's prefix (``OTHER_NAMES``)."""
    return _other_names().get(token, ())


def with_other_names(token: str) -> tuple[str, ...]:
    """A query word's prefix and those of its other names: every prefix the word is looked up by."""
    return (token, *other_names(token))


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string that starts with ``prefix`` (for an indexed range scan)."""
    return prefix + "\U0010ffff"
