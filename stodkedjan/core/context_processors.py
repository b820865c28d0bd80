from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """One link per language to the same page (and query) in that language; no cookie, no JavaScript.

    Our addresses are the same in every language but for the prefix (no translated patterns), so a page under
    ``/<language>/`` only has its prefix changed; others go through ``translate_url`` (resolve and reverse)."""
    current = translation.get_language()
    path = request.get_full_path()
    prefix = f"/{current}/"
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        url = f"/{code}/{path[len(prefix) :]}" if path.startswith(prefix) else translate_url(path, code)
        name, bidi = info["name_local"], info["bidi"]
        links.append({"code": code, "name_local": name, "url": url, "current": code == current, "bidi": bidi})
    return links


def site(request: HttpRequest) -> dict[str, Any]:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "language_links": SimpleLazyObject(lambda: language_links(request)),
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "translation_unreviewed": language in settings.UNREVIEWED_LANGUAGES,
        "accessibility_contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "oidc_enabled": settings.OIDC_ENABLED,
    }
