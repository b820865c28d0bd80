from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """One link per language to the same page (and query) in that language; no cookie, no JavaScript."""
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
                "bidi": info["bidi"],
            }
        )
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
