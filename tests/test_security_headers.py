"""Every kind of page sends the security headers: public, staff, API, file downloads and error pages."""

from __future__ import annotations

import pytest

from stodkedjan.accounts.models import Role

KINDS = {
    "public page": ("/sv/", None),
    "public search": ("/ar/search/?q=f%C3%B6r%C3%A4ldrar", None),
    "event page with a form": ("/sv/events/", None),
    "staff page": ("/sv/staff/", Role.ADMIN),
    "staff download": ("/sv/staff/{slug}/services/export/", Role.ADMIN),
    "API": ("/api/hsds/services", None),
    "health check": ("/healthz", None),
    "not found": ("/sv/no-such-page/", None),
    "forbidden": ("/sv/staff/organisations/{slug}/edit/", Role.VIEWER),
    "admin login": ("/admin/login/", None),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_of_page_sends_the_security_headers(client, world, kind):
    path, actor = KINDS[kind]
    if actor:
        client.force_login(world.users[actor])
    response = client.get(path.format(slug=world.home.slug))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.get("X-Request-ID")


def test_staff_cookies_are_http_only_and_same_site(client, world):
    user = world.users[Role.ADMIN]
    user.set_password("ett-langt-losenord-1")
    user.save()
    response = client.post("/sv/account/login/", {"username": user.email, "password": "ett-langt-losenord-1"})
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert session["max-age"] == 8 * 3600  # a working day
