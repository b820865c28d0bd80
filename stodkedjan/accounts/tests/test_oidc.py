"""Sign-in through OpenID Connect against a real provider on loopback: a member signs in with the e-mail
the provider vouches for; an unknown address gets no account and no session."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest

from stodkedjan.accounts.models import Role
from stodkedjan.core.models import AuditEvent, AuditKind

CLIENT_ID = "stodkedjan"
SECRET = "provider-shared-secret-for-tests-only-0123456789abcdef"


class Provider(ThreadingHTTPServer):
    email = ""
    nonce = ""


class Handler(BaseHTTPRequestHandler):
    server: Provider

    def log_message(self, *args: Any) -> None:
        pass

    def _json(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now = int(time.time())
        claims = {"iss": "http://idp.test", "aud": CLIENT_ID, "sub": "p-1", "iat": now, "exp": now + 300}
        claims |= {"nonce": self.server.nonce, "email": self.server.email}
        self._json(
            {"id_token": jwt.encode(claims, SECRET, algorithm="HS256"), "access_token": "at", "token_type": "Bearer"}
        )

    def do_GET(self) -> None:
        self._json({"sub": "p-1", "email": self.server.email, "email_verified": True})


@pytest.fixture
def provider(settings: Any) -> Iterator[Provider]:
    server = Provider(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "stodkedjan.accounts.oidc.ExistingUserBackend",
        "rules.permissions.ObjectPermissionBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    yield server
    server.shutdown()


def sign_in_at_provider(client: Any, provider: Provider, email: str) -> Any:
    start = client.get("/oidc/start/")
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"][0].endswith("/oidc/callback/")
    provider.email, provider.nonce = email, query["nonce"][0]
    return client.get("/oidc/callback/", {"code": "one-time-code", "state": query["state"][0]})


def test_a_member_signs_in_with_the_organisations_identity_provider(client, world, provider):
    assert 'href="/oidc/start/"' in client.get("/sv/account/login/").content.decode()
    member = world.users[Role.EDITOR]
    back = sign_in_at_provider(client, provider, member.email.upper())
    assert back.status_code == 302
    assert back["Location"].endswith("/staff/")
    assert client.get("/sv/staff/").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.SIGNED_IN, actor_email=member.email).exists()


def test_an_unknown_address_gets_no_account(client, world, provider):
    from stodkedjan.accounts.models import User

    users = User.objects.count()
    back = sign_in_at_provider(client, provider, "stranger@example.com")
    assert back.status_code == 302
    assert "/account/login/" in back["Location"]
    assert User.objects.count() == users
    assert client.get("/sv/staff/").status_code == 302  # not signed in


def test_a_forged_state_is_refused(client, world, provider):
    client.get("/oidc/start/")
    back = client.get("/oidc/callback/", {"code": "x", "state": "made-up"})
    assert back.status_code in (302, 400)
    assert client.get("/sv/staff/").status_code == 302


def test_without_a_provider_the_oidc_addresses_do_not_exist(client, db):
    assert client.get("/oidc/start/").status_code == 404
    assert "organisation's account" not in client.get("/en/account/login/").content.decode()
