"""Remove personal data from free text before it is stored (DESIGN §6).

Parents are asked not to write names or contact details, but some will. What can be recognised is
replaced by a marker in brackets: personal identity and coordination numbers, e-mail addresses, phone
numbers, street addresses and postcodes. The markers are in Swedish, the language staff read the answers
in. Names cannot be recognised reliably and are not attempted; staff are told so on the coding page.
"""

from __future__ import annotations

import re

PERSONAL_NUMBER = "[personnummer]"
EMAIL = "[e-post]"
PHONE = "[telefonnummer]"
ADDRESS = "[adress]"

_SEP = r"[\s\-]?"
# ÅÅMMDD-NNNN or ÅÅÅÅMMDDNNNN (+ for the over-100s); a coordination number adds 60 to the day.
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:19|20)?\d{2}[01]\d[0-9]\d\s?[-+]?\s?\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+\s?(?:@|\(at\)|\[at\]|\sat\s)\s?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", re.IGNORECASE)
# Swedish numbers: 07x mobiles, area codes 0x–0xxx, with +46/0046 instead of the leading 0, digits grouped
# by spaces or hyphens; eight to ten digits after the prefix.
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|\(?0)\)?[\s\-]?\(?0?\)?(?:\d[\s\-]?){6,9}\d(?!\d)")
_STREET_WORDS = (
    "gatan|gata|vägen|väg|gränd|gränden|torget|torg|allén|allé|backen|backe|stigen|stig|plan|leden|led|"
    "platsen|plats|svängen|slingan|vägen|kroken|liden|höjden|parken|stråket|gården|bron|kajen|esplanaden|"
    "terrassen|ringen"
)
_STREET = re.compile(
    rf"\b[A-ZÅÄÖÉ][\wåäöé\-]*(?:{_STREET_WORDS})\s+\d{{1,4}}\s?[A-Za-z]?\b(?:,?\s*(?:lgh|lägenhet)\.?\s*\d{{3,4}})?",
)
_STREET_TWO_WORDS = re.compile(
    r"\b[A-ZÅÄÖ][\wåäöé\-]+\s(?:allé|gata|väg|torg|gränd|backe|stig|plan|park|strand)\s+\d{1,4}\s?[A-Za-z]?\b"
)
_POSTCODE = re.compile(r"(?<!\d)[1-9]\d{2}\s?\d{2}(?!\d)(?=\s+[A-ZÅÄÖ][a-zåäö]+)")


def scrub(text: str) -> str:
    """The text with personal data replaced by markers; order matters (an e-mail address holds digits)."""
    text = _EMAIL.sub(EMAIL, text)
    text = _PERSONAL_NUMBER.sub(PERSONAL_NUMBER, text)
    text = _PHONE.sub(PHONE, text)
    text = _STREET.sub(ADDRESS, text)
    text = _STREET_TWO_WORDS.sub(ADDRESS, text)
    text = _POSTCODE.sub(ADDRESS, text)
    return text
