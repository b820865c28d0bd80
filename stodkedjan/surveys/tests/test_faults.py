"""Faults while parents answer: a database locked by another writer (SQLite) or a table lock that does not
clear in time (PostgreSQL). The answer is not stored, the page comes back with every answer and a plain
message, and pressing Send again stores it exactly once."""

from __future__ import annotations

import re
from typing import Any

import pytest

from stodkedjan.core.tests.faults import another_writer, hidden_fields
from stodkedjan.surveys.models import Response
from stodkedjan.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db(transaction=True)


def form_fields(html: str, **answers: Any) -> dict[str, Any]:
    fields = hidden_fields(html)
    fields.update(answers)
    return fields


def test_a_locked_database_keeps_the_answers_and_a_retry_stores_them_once(client, world):
    survey_round = make_round(world.home)
    url = f"/sv/survey/{survey_round.link_key}/"
    page = client.get(url).content.decode()
    area = re.findall(r'<option value="([^"]+)"', page.split('name="area"', 1)[1])[0]
    fields = form_fields(page, **{"q-support": "no", "area": area, "go": "next"})
    fields["q-why"] = "Jag vet inte vart jag ska vända mig."
    with another_writer(Response):
        refused = client.post(url, fields)
    html = refused.content.decode()
    assert refused.status_code == 503
    assert "kunde inte sparas just nu" in html
    assert "Jag vet inte vart jag ska vända mig." in html
    assert re.search(r'value="no"[^>]*checked', html)
    assert Response.objects.count() == 0
    again = form_fields(html, **{"q-support": "no", "area": area, "go": "next", "q-why": fields["q-why"]})
    stored = client.post(url, again)
    assert stored.status_code == 302, re.findall(r"error-message[^>]*>([^<]*)", stored.content.decode())
    assert client.post(url, again).status_code == 302  # pressed once more: still one
    assert Response.objects.count() == 1
