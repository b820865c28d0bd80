"""Absolute addresses for links that leave the site (a survey link on paper, a QR code, a link in an e-mail)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` under the public address: ``SITE_URL`` where it is set; else, when a page is being served, the
    address it was served from (so that a QR code made in development points where the site really is)."""
    if settings.SITE_URL_IS_SET or request is None:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)
