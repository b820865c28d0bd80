"""The areas' version: changed by every saved area, kept a few seconds by each process."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache

from stodkedjan.geo import versions
from stodkedjan.geo.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_a_saved_area_changes_the_version_at_once_in_this_process() -> None:
    before = versions.areas_version()
    assert versions.areas_version() == before
    MunicipalityFactory(code="9901", name="Nyby")
    assert versions.areas_version() != before


def test_a_change_made_by_another_process_is_seen_once_the_kept_copy_is_old(monkeypatch: Any) -> None:
    mine = versions.areas_version()
    cache.set(versions.KEY, "changed-elsewhere", timeout=None)  # as another app server's areas_changed
    assert versions.areas_version() == mine, "this process's copy, without asking Redis"
    later = time.monotonic() + versions.KEPT_SECONDS + 1
    monkeypatch.setattr(versions.time, "monotonic", lambda: later)
    assert versions.areas_version() == "changed-elsewhere"
