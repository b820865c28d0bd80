"""Providers keep their offerings: create, edit, publish, check, copy, history."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from stodkedjan.accounts.models import Role
from stodkedjan.directory import search
from stodkedjan.directory.models import SearchTerm, Service, Status
from stodkedjan.directory.tests.factories import make_service


def service_form(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "name_sv": "Föräldragrupp för tonårsföräldrar",
        "description_sv": "Sex träffar om att behålla kontakten med sin tonåring.",
        "name_ar": "مجموعة أولياء الأمور",
        "level": "selective",
        "minimum_age": "12",
        "maximum_age": "18",
        "formats": ["group"],
        "arenas": ["social_services_open"],
        "topics": ["communication"],
        "languages": ["sv", "ar"],
        "is_free": "on",
        "areas": [str(world.home.area_id)],
        "phone": "08-123 456 78",
        "new_location_name": "Träffpunkten",
        "new_location_municipality": str(world.home.area_id),
        "new_location_latitude": "59.24",
        "new_location_longitude": "17.84",
        "schedule-TOTAL_FORMS": "2",
        "schedule-INITIAL_FORMS": "0",
        "schedule-MIN_NUM_FORMS": "0",
        "schedule-MAX_NUM_FORMS": "8",
        "schedule-0-byday": ["TH"],
        "schedule-0-opens_at": "17:30",
        "schedule-0-closes_at": "19:00",
        "schedule-0-valid_from": "2027-01-14",
        "schedule-0-count": "6",
    }
    data.update(changes)
    return data


def test_an_editor_creates_an_offering_as_a_draft_with_all_its_parts(client: Any, world: World) -> None:
    client.force_login(world.users[Role.EDITOR])
    response = client.post(f"/sv/staff/{world.home.slug}/services/new/", service_form(world))
    assert response.status_code == 302
    service = Service.objects.get(name_sv="Föräldragrupp för tonårsföräldrar")
    assert service.status == Status.DRAFT
    assert service.organisation == world.home
    assert service.name_ar == "مجموعة أولياء الأمور"
    assert {t.code for t in service.terms.all()} == {"group", "social_services_open", "communication", "sv", "ar"}
    assert list(service.areas_served.all()) == [world.home.area]
    assert service.service_at_locations.get().location.name == "Träffpunkten"
    schedule = service.schedules.get()
    assert (schedule.byday, schedule.count, str(schedule.valid_from)) == ("TH", 6, "2027-01-14")
    assert service.phones.get().tel_uri == "tel:+46812345678"


def test_a_form_with_errors_keeps_what_was_typed_and_links_each_error(client: Any, world: World) -> None:
    client.force_login(world.users[Role.EDITOR])
    data = service_form(world, name_sv="", minimum_age="15", maximum_age="9", **{"schedule-0-closes_at": "16:00"})
    response = client.post(f"/sv/staff/{world.home.slug}/services/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_name_sv"' in html
    assert 'href="#id_maximum_age"' in html
    assert 'href="#id_schedule-0-closes_at"' in html
    assert "Sex träffar om att behålla kontakten med sin tonåring." in html, "the description is kept"
    assert 'value="Träffpunkten"' in html, "the new place is kept"
    assert not Service.objects.exists()


def test_publish_unpublish_archive_and_duplicate(client: Any, world: World) -> None:
    service = make_service(world.home, status=Status.DRAFT, name="Öppen förskola Alby")
    editor = world.users[Role.EDITOR]
    client.force_login(editor)
    url = f"/sv/staff/services/{service.pk}/action/"
    published = client.post(url, {"action": "publish"}, follow=True)
    assert "Insatsen är publicerad och föräldrar kan hitta den." in published.content.decode()
    service.refresh_from_db()
    assert (service.status, service.assured_date, service.assurer_email) == (
        Status.ACTIVE,
        timezone.localdate(),
        editor.email,
    )
    assert client.get(f"/sv/service/{service.uuid}/").status_code == 200
    client.post(url, {"action": "unpublish"})
    assert client.get(f"/sv/service/{service.uuid}/").status_code == 404
    response = client.post(url, {"action": "duplicate"})
    copy = Service.objects.exclude(pk=service.pk).get()
    assert response["Location"] == f"/sv/staff/services/{copy.pk}/edit/"
    assert (copy.name_sv, copy.status) == ("Öppen förskola Alby (kopia)", Status.DRAFT)
    assert copy.terms.count() == service.terms.count()
    client.post(url, {"action": "archive"})
    service.refresh_from_db()
    assert service.status == Status.DEFUNCT
    listing = client.get(f"/sv/staff/{world.home.slug}/services/").content.decode()
    assert "Öppen förskola Alby (kopia)" in listing
    assert f"/sv/staff/services/{service.pk}/" not in listing, "archived offerings leave the default list"
    assert client.post(url, {"action": "explode"}).status_code == 404


def test_an_editor_cannot_change_another_organisations_offering(client: Any, world: World) -> None:
    service = make_service(world.other)
    client.force_login(world.users[Role.EDITOR])
    assert client.post(f"/sv/staff/services/{service.pk}/edit/", service_form(world)).status_code == 403
    assert client.post(f"/sv/staff/services/{service.pk}/action/", {"action": "archive"}).status_code == 403
    service.refresh_from_db()
    assert service.status == Status.ACTIVE


def test_a_viewer_reads_but_cannot_publish(client: Any, world: World) -> None:
    service = make_service(world.home, status=Status.DRAFT)
    client.force_login(world.users[Role.VIEWER])
    assert client.get(f"/sv/staff/services/{service.pk}/").status_code == 200
    assert client.post(f"/sv/staff/services/{service.pk}/action/", {"action": "publish"}).status_code == 403


def test_offerings_not_checked_for_six_months_need_review_and_one_click_clears_them(client: Any, world: World) -> None:
    stale = make_service(world.home, name="Gammal grupp")
    fresh = make_service(world.home, name="Ny grupp")
    Service.objects.filter(pk=stale.pk).update(assured_date=timezone.localdate() - timedelta(days=200))
    client.force_login(world.users[Role.EDITOR])
    page = client.get(f"/sv/staff/{world.home.slug}/services/review/").content.decode()
    assert "Gammal grupp" in page
    assert "Ny grupp" not in page
    assert (
        "1 publicerad insats behöver kontrolleras"
        in client.get(f"/sv/staff/{world.home.slug}/services/").content.decode()
    )
    response = client.post(f"/sv/staff/services/{stale.pk}/action/", {"action": "check", "next": "review"})
    assert response["Location"] == f"/sv/staff/{world.home.slug}/services/review/"
    assert "Gammal grupp" not in client.get(response["Location"]).content.decode()
    stale.refresh_from_db()
    assert stale.assured_date == timezone.localdate()
    assert fresh.needs_review() is False


def test_after_twelve_months_the_public_is_told_it_may_be_out_of_date(client: Any, world: World) -> None:
    service = make_service(world.home)
    warning = "inte kontrollerats på över ett år"
    assert warning not in client.get(f"/sv/service/{service.uuid}/").content.decode()
    service.assured_date = timezone.localdate() - timedelta(days=370)
    service.save()  # as every change does (the page is kept until the offering changes or the day does)
    assert warning in client.get(f"/sv/service/{service.uuid}/").content.decode()


def test_every_change_is_in_the_history_with_who_and_what(client: Any, world: World) -> None:
    editor = world.users[Role.EDITOR]
    client.force_login(editor)
    client.post(f"/sv/staff/{world.home.slug}/services/new/", service_form(world))
    service = Service.objects.get()
    client.post(f"/sv/staff/services/{service.pk}/edit/", service_form(world, maximum_age="16"))
    client.post(f"/sv/staff/services/{service.pk}/action/", {"action": "publish"})
    html = client.get(f"/sv/staff/services/{service.pk}/history/").content.decode()
    assert editor.email in html
    assert "18 → 16" in html
    assert "status → active" in html


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("föräldrar", "Föräldragrupp för alla"),
        ("FORALDRAR", "Föräldragrupp för alla"),
        ("tonåringar", "Stöd till dig med en tonåring"),
        ("tonaring", "Stöd till dig med en tonåring"),
        ("familjecentralen", "Familjecentral i Alby"),
    ],
)
def test_search_words_meet_across_swedish_word_forms_case_and_missing_dots(query: str, text: str) -> None:
    document = search.document_tokens([(text, 1)])
    assert all(any(token.startswith(q) for token in document) for q in search.query_tokens(query))


def test_query_words_are_bounded_and_stop_words_dropped() -> None:
    assert search.query_tokens("och i att") == []
    assert len(search.query_tokens(" ".join(f"ord{i}x" for i in range(50)))) == search.MAX_QUERY_WORDS
    assert search.query_tokens("'; DROP TABLE directory_service; --") == ["drop", "tabl", "directory_servic"]


def test_only_published_offerings_are_in_the_search_index(client: Any, world: World) -> None:
    """A draft's words can be neither found nor corrected towards; publishing indexes it, unpublishing and
    archiving take it out again."""
    service = make_service(world.home, status=Status.DRAFT, name="Nattvandring Alby")
    client.force_login(world.users[Role.EDITOR])
    url = f"/sv/staff/services/{service.pk}/action/"

    def indexed() -> bool:
        return SearchTerm.objects.filter(service=service).exists()

    def found() -> list[str]:
        return [s.card.name_sv for s in client.get("/sv/search/", {"q": "nattvandring"}).context["results"].page]

    assert not indexed()
    client.post(url, {"action": "publish"})
    assert indexed()
    assert found() == ["Nattvandring Alby"]
    client.post(url, {"action": "unpublish"})
    assert not indexed()
    assert found() == []
    client.post(url, {"action": "publish"})
    client.post(url, {"action": "archive"})
    assert not indexed()


def test_the_offering_form_ticks_no_language_for_the_editor(client: Any, world: World) -> None:
    client.force_login(world.users[Role.EDITOR])
    form = client.get(f"/sv/staff/{world.home.slug}/services/new/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="languages"[^>]*>', form)
    assert any('value="sv"' in box for box in boxes)
    assert [box for box in boxes if " checked" in box] == []


def test_the_staff_page_of_an_offering_names_its_weekdays_in_swedish(client: Any, world: World) -> None:
    service = make_service(world.home, byday=("TU", "TH"))
    client.force_login(world.users[Role.EDITOR])
    page = client.get(f"/sv/staff/services/{service.pk}/").content.decode()
    assert "tisdag, torsdag 17:30–19:00" in page
    assert not re.search(r"\b(TU|TH)\b", page.split("<main")[1])  # a word, not a piece of the CSRF token


def test_an_offering_given_in_somali_asks_for_its_somali_text_and_says_what_it_is_written_in(
    client: Any, world: World
) -> None:
    client.force_login(world.users[Role.EDITOR])
    url = f"/sv/staff/{world.home.slug}/services/new/"
    response = client.post(url, service_form(world, languages=["so"], name_ar=""), follow=True)
    page = response.content.decode()
    assert "Den ges på somaliska: lägg till namn och beskrivning på det språket också" in page
    assert "<dt>Ges på</dt><dd>somaliska</dd>" in page
    assert "<dt>Texten är skriven på</dt><dd>svenska</dd>" in page
    service = Service.objects.get(name_sv="Föräldragrupp för tonårsföräldrar")
    edit = client.get(f"/sv/staff/services/{service.pk}/edit/").content.decode()
    assert '<details id="translations" open>' in edit
    Service.objects.filter(pk=service.pk).update(name_so="Kooxda waalidiinta", status=Status.ACTIVE)
    somali = client.get(f"/so/service/{service.uuid}/").content.decode()
    assert "Kooxda waalidiinta" in somali
