"""Words shared by several apps: levels of support, formats, languages offered and the perspectives.

They live here, in ``core``, because the knowledge bank, the directory and the plans all describe support in
the same terms (DESIGN §2), and those apps may not import one another in every direction.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

MAX_CHILD_AGE = 18


class Level(models.TextChoices):
    UNIVERSAL = "universal", _("universal – for all parents")
    SELECTIVE = "selective", _("selective – for parents in a situation with higher risk")
    INDICATED = "indicated", _("indicated – when there are problems now")


class Format(models.TextChoices):
    GROUP = "group", _("group")
    INDIVIDUAL = "individual", _("individual")
    HOME_VISIT = "home_visit", _("home visit")
    PHONE = "phone", _("phone")
    DIGITAL = "digital", _("digital")
    DROP_IN = "drop_in", _("drop-in")


# Languages a service can be offered in, shown in their own name (a parent recognises her own language
# in its own script), with ISO 639 codes as HSDS wants them.
LANGUAGES_OFFERED: list[tuple[str, str]] = [
    ("sv", "Svenska"),
    ("en", "English"),
    ("ar", "العربية"),
    ("so", "Soomaali"),
    ("ti", "ትግርኛ"),
    ("fa", "فارسی"),
    ("prs", "دری"),
    ("ps", "پښتو"),
    ("ku", "Kurdî"),
    ("tr", "Türkçe"),
    ("bs", "Bosanski/Hrvatski/Srpski"),
    ("pl", "Polski"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("es", "Español"),
    ("fi", "Suomi"),
    ("am", "አማርኛ"),
    ("fr", "Français"),
    ("sgn-SE", "Svenskt teckenspråk"),
]
LANGUAGE_NAMES = dict(LANGUAGES_OFFERED)  # each language in its own script: for a parent choosing hers
CLDR_CODES = {"prs": "fa_AF", "sgn-SE": "swl"}  # our codes that CLDR knows under another


@lru_cache(maxsize=1024)
def _cldr_name(code: str, reader: str) -> str:
    try:
        return Locale.parse(reader.replace("-", "_")).languages.get(CLDR_CODES.get(code, code), "")
    except (UnknownLocaleError, ValueError):
        return ""


def language_name(code: str, reader: str | None = None) -> str:
    """A language's name as the reader's language writes it (CLDR through Babel: "arabiska" on a Swedish page,
    "Arabic" on an English one), for staff pages and reports; its own name where CLDR has none."""
    return _cldr_name(code, reader or get_language() or "sv") or LANGUAGE_NAMES.get(code, code)


class Perspective(models.TextChoices):
    """The perspectives every plan is asked to take into account."""

    CHILD_RIGHTS = "child_rights", _("child rights")
    EQUALITY = "equality", _("equality")
    GENDER_EQUALITY = "gender_equality", _("gender equality")
    DISABILITY = "disability", _("disability")
    VIOLENCE_PREVENTION = "violence_prevention", _("violence prevention")


class PreventionArea(models.TextChoices):
    """Prevention work that parenting support is related to (the assignment names these)."""

    CLOSE_RELATIONSHIP_VIOLENCE = "close_relationship_violence", _("violence in close relationships")
    HONOUR_VIOLENCE = "honour_violence", _("honour-related violence and oppression")
    ALCOHOL_AND_DRUGS = "alcohol_and_drugs", _("alcohol, narcotics, doping and tobacco")
    INTEGRATION = "integration", _("integration")
    CRIME_PREVENTION = "crime_prevention", _("crime prevention")
