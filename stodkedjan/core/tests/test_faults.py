"""Any page, when the database does not answer (restarting, or locked by another writer past the wait): a 503
that touches no database, says nothing was saved and holds everything that was posted for one press to send
again. Staff edits here; survey answers have their own page (surveys/tests/test_faults.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from stodkedjan.accounts.models import Organisation
from stodkedjan.core.tests.faults import another_writer, hidden_fields

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_staff_edit_the_database_cannot_take_comes_back_whole_and_goes_through_on_retry(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    url = "/ar/staff/organisations/botkyrka/edit/"
    typed = {"name": "Botkyrka kommun", "description": 'Föräldrastöd för alla – "även" <kvällar>', "website": ""}
    typed |= {"email": "familj@botkyrka.example", "phone": "08-530 610 00"}
    with another_writer(Organisation):
        refused = client.post(url, typed)
    html = refused.content.decode()
    assert refused.status_code == 503
    assert refused["Retry-After"] == "5"
    assert "default-src 'self'" in refused["Content-Security-Policy"]  # the middleware's headers, as on any page
    assert '<html lang="ar" dir="rtl">' in html
    kept = hidden_fields(html)
    assert kept.pop("csrfmiddlewaretoken")
    assert kept == typed
    assert f'<form method="post" action="{url}">' in html
    assert Organisation.objects.get(slug="botkyrka").description == ""
    again = client.post(url, hidden_fields(html) | typed)
    assert again.status_code == 302
    assert Organisation.objects.get(slug="botkyrka").description == typed["description"]


def test_a_page_that_cannot_be_read_offers_to_try_again(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    with another_writer(Organisation):
        refused = client.get("/sv/staff/organisations/botkyrka/edit/?tab=1")
    html = refused.content.decode()
    assert refused.status_code == 503
    assert "<form" not in html
    assert '<a href="/sv/staff/organisations/botkyrka/edit/?tab=1">Försök igen</a>' in html


def test_the_api_answers_503_with_a_reason_when_the_database_does_not_answer(world):
    from stodkedjan.directory.models import Service

    client = Client(raise_request_exception=False)
    with another_writer(Service):
        refused = client.get("/api/hsds/services")
    assert refused.status_code == 503
    assert refused.json()["error"] == "unavailable"


def test_a_password_is_never_put_into_the_page(world):
    from stodkedjan.accounts.models import User

    client = Client(raise_request_exception=False)
    with another_writer(User):
        refused = client.post("/sv/account/login/", {"username": "admin@home.example", "password": "hemligt-123"})
    html = refused.content.decode()
    assert refused.status_code == 503
    assert "hemligt-123" not in html
    assert 'value="admin@home.example"' in html
    assert "Lösenord och bifogade filer sparas inte här" in html
    assert "no-store" in refused["Cache-Control"]
