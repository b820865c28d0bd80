"""Shared fixtures: a small world of organisations and one person per role, and the real Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from stodkedjan.accounts.models import Organisation, OrganisationKind, Role, User
from stodkedjan.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.geo.tests.factories import CountyFactory, MunicipalityFactory

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_real_part(available: bool, what: str) -> None:
    """Skip a test whose real part is missing, except in CI, where that is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available", pytrace=False)
    pytest.skip(f"{what} is not available (make test installs it)")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A PostgreSQL test database of this run's own (``test_stodkedjan_<pid>``), so that two test runs on one
    machine never create, use or drop each other's. SQLite's test database is in memory anyway."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database["ENGINE"].endswith("postgresql"):
            test = database.setdefault("TEST", {})
            test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    """Files a test uploads land in its own temporary folder, never in the working tree's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _an_empty_cache() -> Iterator[None]:
    """What one test kept (the areas' version, drawn fragments) is gone before the next: its rows were
    rolled back with it."""
    yield
    from django.core.cache import cache

    from stodkedjan.core.cache import forget_kept_here
    from stodkedjan.geo.versions import forget_kept_version

    cache.clear()
    forget_kept_here()
    forget_kept_version()


@dataclass
class World:
    """Two counties; in the first a municipality (the home organisation), in the second another one.

    ``users`` maps an actor name to a user: one per role in the home organisation, an admin of the
    other organisation, a viewer at the home county's board and a viewer at a national agency.
    """

    home: Organisation
    other: Organisation
    county_board: Organisation
    national: Organisation
    users: dict[str, User]


@pytest.fixture
def world(db: Any) -> World:
    country, _created = Area.objects.get_or_create(code="SE", defaults={"name": "Sverige", "kind": AreaKind.COUNTRY})
    home_county = CountyFactory(code="01", name="Stockholms län", parent=country)
    other_county = CountyFactory(code="12", name="Skåne län", parent=country)
    home = OrganisationFactory(
        slug="botkyrka", name="Botkyrka kommun", area=MunicipalityFactory(code="0127", parent=home_county)
    )
    other = OrganisationFactory(
        slug="malmo", name="Malmö stad", area=MunicipalityFactory(code="1280", parent=other_county)
    )
    county_board = OrganisationFactory(
        slug="lst-stockholm", name="Länsstyrelsen Stockholm", kind=OrganisationKind.COUNTY_BOARD, area=home_county
    )
    national = OrganisationFactory(slug="mfof", name="MFoF", kind=OrganisationKind.NATIONAL_AGENCY, area=country)
    users: dict[str, User] = {}
    for role in Role.values:
        users[role] = MembershipFactory(
            organisation=home, role=role, user=UserFactory(email=f"{role}@home.example")
        ).user
    users["other_org_admin"] = MembershipFactory(organisation=other, role=Role.ADMIN).user
    users["county_board_viewer"] = MembershipFactory(organisation=county_board, role=Role.VIEWER).user
    users["national_viewer"] = MembershipFactory(organisation=national, role=Role.VIEWER).user
    return World(home, other, county_board, national, users)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_real_part(os.path.exists(CHROMIUM) or bool(shutil.which("chromium")), "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it
    # (factories, assertions) are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def patient_context(browser: Any, **options: Any) -> Any:
    """A browser context whose every wait (navigation, click, selector) may take 90 s: each is a deadline,
    never a sleep, and a machine busy with another test run gets a long one."""
    context = browser.new_context(**options)
    context.set_default_timeout(90_000)
    return context


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = patient_context(browser)
    page = context.new_page()
    yield page
    context.close()
