"""The facts of an offering as words a parent might type, in every language of the site.

A parent searches "föräldragrupp arabiska", "Soomaali", "turjubaan" or "tonåring": words for an offering's
languages, format, interpreter and ages, which are structured fields, not text. They go into the search index
beside the offering's own texts (``directory.services.index_texts``), so free text finds them too.

Language names come from CLDR through Babel (every site language's name for every language offered, and
the language's own name); format names from our own catalogues; the words for an interpreter and for ages
are ours, in ``WORDS`` — the non-Swedish ones need review by a native speaker.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import translation

from stodkedjan.core.vocabulary import CLDR_CODES, LANGUAGE_NAMES, Format

# CLDR's key for the languages whose code we write otherwise (ISO 639-3 Dari; Swedish sign language).

# Words by fact and site language. Needs review by a native speaker (all but Swedish and English).
WORDS: dict[str, dict[str, str]] = {
    "interpreter": {
        "sv": "tolk tolkning tolkar",
        "en": "interpreter interpreting interpretation",
        "ar": "مترجم ترجمة مترجمة",
        "so": "turjubaan turjumaan turjumaad",
        "ti": "ተርጓሚ ትርጉም",
        "fa": "مترجم ترجمه",
    },
    "expecting": {
        "sv": "gravid väntande blivande föräldrar",
        "en": "pregnant expecting parents",
        "ar": "حامل حمل",
        "so": "uur uurka",
        "ti": "ጥንሲ",
        "fa": "باردار بارداری",
    },
    "small": {
        "sv": "småbarn bebis spädbarn bäbis",
        "en": "baby babies toddler infant",
        "ar": "رضيع أطفال صغار طفل صغير",
        "so": "ilmo yar carruur yar",
        "ti": "ህጻን ህጻናት",
        "fa": "نوزاد کودک خردسال",
    },
    "teen": {
        "sv": "tonåring tonåringar tonår ungdom ungdomar",
        "en": "teenager teenagers teen teens youth",
        "ar": "مراهق مراهقين مراهقة شباب",
        "so": "dhalinyaro dhallinyaro",
        "ti": "መንእሰይ መንእሰያት",
        "fa": "نوجوان نوجوانان",
    },
}
# The ages each word group covers (a group is indexed when the offering's ages reach into it); "expecting"
# only for offerings for parents-to-be (ages 0–0).
AGES = {"small": (0, 5), "teen": (13, 18)}  # no words for school ages: "skola" would mean any school
SPECIFIC_AGES = 8  # age words only for offerings aimed at a span of at most this many years


@cache
def language_words(code: str) -> str:
    """Every site language's name for a language, and its own name ("arabiska Arabic العربية Carabi …")."""
    names = [LANGUAGE_NAMES.get(code, "")]
    key = CLDR_CODES.get(code, code)
    for site_language, _name in settings.LANGUAGES:
        try:
            names.append(Locale.parse(site_language).languages.get(key, ""))
        except (UnknownLocaleError, ValueError):
            continue
    return " ".join(n for n in names if n)


@cache
def format_words(code: str) -> str:
    """A format's name in every site language, from our catalogues."""
    label = dict(Format.choices).get(code)
    if label is None:
        return ""
    names = []
    for site_language, _name in settings.LANGUAGES:
        with translation.override(site_language):
            names.append(str(label))
    return " ".join(dict.fromkeys(names))


def words_for(fact: str) -> str:
    return " ".join(WORDS[fact].values())


def fact_text(languages: list[str], formats: list[str], interpreter: bool, ages: tuple[int, int]) -> str:
    """The words an offering's facts are found by, in every site language."""
    parts = [language_words(code) for code in languages] + [format_words(code) for code in formats]
    if interpreter:
        parts.append(words_for("interpreter"))
    low, high = ages
    if high - low <= SPECIFIC_AGES:  # an offering for all ages is found by the age filter, not by "teenager"
        parts += [words_for(fact) for fact, (start, end) in AGES.items() if low <= end and high >= start]
    if high == 0:
        parts.append(words_for("expecting"))
    return " ".join(p for p in parts if p)
