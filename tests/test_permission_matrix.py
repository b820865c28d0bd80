"""Walk every URL pattern as every kind of visitor and assert who gets what (DESIGN §4).

Adding a view without deciding who may use it fails here twice: the view lacks an access mark from
``core/access.py``, and the URL has no row in ``MATRIX``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import World
from stodkedjan.accounts.models import Role

ACTORS = [
    "anonymous",
    Role.VIEWER,
    Role.EDITOR,
    Role.COORDINATOR,
    Role.ADMIN,
    "other_org_admin",
    "county_board_viewer",
    "national_viewer",
]

# Rows: who gets which status for a GET of the URL (filled with the home organisation's objects).
PUBLIC = dict.fromkeys(ACTORS, 200)
SIGNED_IN = {**dict.fromkeys(ACTORS, 200), "anonymous": 302}
READ_INTERNAL = {**dict.fromkeys(ACTORS, 200), "anonymous": 302, "other_org_admin": 403}
ORG_ADMIN = {**dict.fromkeys(ACTORS, 403), "anonymous": 302, Role.ADMIN: 200}
MATRIX: dict[str, dict[str, int]] = {
    "core:home": PUBLIC,
    "core:accessibility": PUBLIC,
    "healthz": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": {**dict.fromkeys(ACTORS, 405)},  # POST only
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,  # shows "the link is not valid" for a made-up token
    "accounts:password_reset_complete": PUBLIC,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "accounts:workspace": SIGNED_IN,
    "accounts:switch_organisation": {**dict.fromkeys(ACTORS, 405)},  # POST only
    "accounts:organisation_list": SIGNED_IN,
    "accounts:organisation_detail": READ_INTERNAL,
    "accounts:organisation_edit": ORG_ADMIN,
    "accounts:member_add": ORG_ADMIN,
    "accounts:member_edit": ORG_ADMIN,
}

# Views that Django itself provides and guards (the admin checks is_staff on every view).
THIRD_PARTY_NAMESPACES = {"admin"}


def walk(resolver: URLResolver, namespace: str = "") -> list[tuple[str, Callable[..., Any], Any]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", entry.callback, entry.pattern))
    return found


ALL_URLS = walk(get_resolver())
PATTERNS = {name: str(pattern) for name, _view, pattern in ALL_URLS}
OWN_URLS = [(name, view) for name, view, _pattern in ALL_URLS if name.split(":")[0] not in THIRD_PARTY_NAMESPACES]
OBJECT_URLS = sorted(name for name in MATRIX if "<slug:slug>" in PATTERNS.get(name, ""))
# The admin's own login and logout pages are open to all; every other admin page needs a staff user.
ADMIN_URLS = sorted(
    name
    for name, pattern in PATTERNS.items()
    if name.startswith("admin:") and "<" not in pattern and name not in {"admin:login", "admin:logout"}
)


def url_kwargs(world: World) -> dict[str, Any]:
    membership = world.home.memberships.get(user=world.users[Role.VIEWER])
    return {"slug": world.home.slug, "pk": membership.pk, "uidb64": "MQ", "token": "made-up-token"}


def reverse_with(name: str, world: World) -> str:
    from django.urls import NoReverseMatch, reverse

    values = url_kwargs(world)
    for keys in ([], ["slug"], ["slug", "pk"], ["uidb64", "token"]):
        try:
            return reverse(name, kwargs={k: values[k] for k in keys})
        except NoReverseMatch:
            continue
    raise AssertionError(f"Cannot build a URL for {name}; teach url_kwargs its arguments")


@pytest.mark.parametrize(("name", "view"), OWN_URLS, ids=[n for n, _v in OWN_URLS])
def test_every_view_declares_who_may_use_it(name: str, view: Callable[..., Any]) -> None:
    assert getattr(view, "access_rule", None), f"{name} has no access rule: use @public or @rule_required"
    assert name in MATRIX, f"{name} has no row in the permission matrix"


def test_matrix_has_no_rows_for_urls_that_no_longer_exist() -> None:
    assert set(MATRIX) <= {name for name, _view in OWN_URLS}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name: str, world: World, client: Any) -> None:
    url = reverse_with(name, world)
    outcomes = {}
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(world.users[actor])
        outcomes[actor] = client.get(url).status_code
    assert outcomes == MATRIX[name]


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_unknown_objects_are_404_for_members_and_hidden_from_anonymous(name: str, world: World, client: Any) -> None:
    from django.urls import reverse

    kwargs: dict[str, object] = {"slug": "no-such-organisation"}
    if "<int:pk>" in PATTERNS[name]:
        kwargs["pk"] = 999_999
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 302
    client.force_login(world.users[Role.ADMIN])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_django_admin_is_only_for_superusers(name: str, world: World, client: Any, admin_user: Any) -> None:
    from django.urls import reverse

    url = reverse(name)
    for actor in ["anonymous", Role.ADMIN, "national_viewer"]:
        client.logout()
        if actor != "anonymous":
            client.force_login(world.users[actor])
        response = client.get(url)
        assert response.status_code == 302, (actor, response.status_code)
        assert "/admin/login/" in response["Location"]
    own_model = name.startswith(("admin:accounts_", "admin:geo_"))
    if name == "admin:index" or (own_model and name.endswith(("_changelist", "_add"))):
        client.force_login(admin_user)
        assert client.get(url).status_code == 200
