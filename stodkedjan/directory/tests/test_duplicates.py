"""Likely duplicates: the later of two listings of one offering is kept from parents and from the figures until
an editor merges the two or says they differ; the county board sees every pair in its county."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from stodkedjan.accounts.models import Organisation, Role
from stodkedjan.accounts.tests.factories import MembershipFactory, OrganisationFactory
from stodkedjan.directory import duplicates, services
from stodkedjan.directory.models import DuplicateDecision, Schedule, Status
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.finder import cards
from stodkedjan.finder import search as finder_search
from stodkedjan.insights.coverage import Engine

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "second", "alike"),
    [
        ("Föräldracafé i Alby", "Alby – föräldracafé", True),  # word order and small words
        ("ABC – Alla Barn i Centrum – Alby", "ABC Alla barn i centrum, Alby", True),
        ("Föräldragrupp Connect Fittja", "Föräldragrup Connect Fittja", True),  # a letter missing
        ("Föräldragrupp 1", "Föräldragrupp 2", False),  # numbers tell groups apart
        ("ABC – Alby", "Komet – Alby", False),
        ("Familjecentralen Alby", "Öppna förskolan Fittja", False),
    ],
)
def test_names_that_say_the_same_thing(first: str, second: str, alike: bool) -> None:
    assert duplicates.names_alike(first, second) is alike


def found_names(query: str) -> list[str]:
    result = finder_search.search(finder_search.Criteria(text=query))
    return [hit.card.name_sv for hit in cards.attach(list(result.page.object_list))]


def association(world: World) -> Organisation:
    found: Organisation = OrganisationFactory(
        name="Föräldraföreningen", slug="foreningen", area=world.home.area, kind="civil_society"
    )
    return found


def test_a_second_listing_at_the_same_address_is_kept_from_parents_and_counted_once(client: Any, world: World) -> None:
    place = make_location(world.home, address="Albyvägen 12", lat=59.239, lon=17.845)
    original = make_service(world.home, name="Föräldracafé Alby", location=place, languages=("sv", "so"))
    other = association(world)
    same_address = make_location(other, address="albyvägen 12", lat=59.2391, lon=17.8451)
    again = make_service(other, name="Föräldracafé i Alby", location=same_address, languages=("so",))
    elsewhere = make_service(
        world.home, name="Föräldracafé Fittja", location=make_location(world.home, address="Fittja torg 3")
    )
    again.refresh_from_db()
    assert again.duplicate_of == original
    assert found_names("föräldracafé") == sorted([original.name, elsewhere.name])
    engine = Engine(scope=world.home.area.county)
    assert engine.coverage(world.home.area).verified == 2, "the café is counted once"
    response = client.get(f"/sv/service/{again.uuid}/")
    assert response.status_code == 302
    assert response["Location"] == f"/sv/service/{original.uuid}/"
    api = client.get("/api/hsds/services", {"per_page": 50}).json()
    assert again.name not in [s["name"] for s in api["contents"]]


def test_the_same_course_in_two_languages_or_for_other_ages_is_two_offerings(world: World) -> None:
    place = make_location(world.home)
    make_service(world.home, name="ABC Alby", location=place, languages=("sv",), ages=(6, 12))
    arabic = make_service(world.home, name="ABC Alby", location=place, languages=("ar",), ages=(6, 12))
    teens = make_service(world.home, name="ABC Alby", location=place, languages=("sv",), ages=(13, 18))
    early = make_service(world.home, name="ABC Alby", location=place, languages=("sv",), ages=(8, 12))
    for service in (arabic, teens):
        service.refresh_from_db()
        assert service.duplicate_of is None
    early.refresh_from_db()
    assert early.duplicate_of is not None, "8–12 overlaps the first one's 6–12"


def test_two_different_offerings_stay_apart_once_said(client: Any, world: World) -> None:
    place = make_location(world.home)
    original = make_service(world.home, name="Öppen förskola Alby", location=place)
    second = make_service(world.home, name="Öppen förskola i Alby", location=place)
    second.refresh_from_db()
    client.force_login(world.users[Role.EDITOR])
    response = client.post(
        f"/sv/staff/services/{second.pk}/duplicate/", {"action": "distinct", "slug": world.home.slug}
    )
    assert response["Location"] == f"/sv/staff/{world.home.slug}/services/duplicates/"
    second.refresh_from_db()
    assert second.duplicate_of is None
    assert DuplicateDecision.objects.filter(first=original, second=second).exists()
    services.reindex(second)  # saved again later: not flagged again
    services.reindex(original)
    second.refresh_from_db()
    assert second.duplicate_of is None
    assert len(found_names("förskola")) == 2


def test_merging_within_an_organisation_moves_the_parts_and_sends_parents_to_the_kept_one(
    client: Any, world: World
) -> None:
    from stodkedjan.plans import services as plan_services
    from stodkedjan.plans.models import ActionPlan

    place = make_location(world.home)
    kept = make_service(world.home, name="COPE Hallunda", location=place, byday=("MO",))
    second_place = make_location(world.home, address="Hallunda gård 7")
    later = make_service(world.home, name="COPE i Hallunda", location=place, byday=("WE",))
    later.service_at_locations.create(location=second_place)
    plan = ActionPlan.objects.create(organisation=world.home, title="Plan", period_start=2026, period_end=2026)
    activity = plan_services.add_activity(plan_services.add_item(plan, "1. Stöd"), "COPE")
    activity.services.add(later)
    later.refresh_from_db()
    assert later.duplicate_of == kept
    client.force_login(world.users[Role.EDITOR])
    listed = client.get(f"/sv/staff/{world.home.slug}/services/duplicates/").content.decode()
    assert "COPE i Hallunda" in listed
    assert "Samma insats: behåll ”COPE Hallunda”" in listed
    client.post(f"/sv/staff/services/{later.pk}/duplicate/", {"action": "merge", "slug": world.home.slug})
    later.refresh_from_db()
    assert (later.status, later.merged_into, later.duplicate_of) == (Status.INACTIVE, kept, None)
    assert sorted(s.byday for s in Schedule.objects.filter(service=kept)) == ["MO", "WE"]
    assert set(kept.service_at_locations.values_list("location_id", flat=True)) == {place.pk, second_place.pk}
    assert list(activity.services.all()) == [kept]
    assert client.get(f"/sv/service/{later.uuid}/")["Location"] == f"/sv/service/{kept.uuid}/"
    assert "Sammanslagen med" in client.get(f"/sv/staff/services/{later.pk}/").content.decode()
    assert duplicates.count_for(world.home) == 0


def test_unpublishing_the_first_listing_shows_the_second_again(world: World) -> None:
    place = make_location(world.home)
    first = make_service(world.home, name="Föräldrastöd Tumba", location=place)
    second = make_service(world.home, name="Föräldrastöd i Tumba", location=place)
    services.set_status(first, Status.INACTIVE, world.users[Role.EDITOR])
    second.refresh_from_db()
    assert second.duplicate_of is None
    assert found_names("tumba") == [second.name]


def test_the_county_board_decides_pairs_across_providers_and_others_may_not(client: Any, world: World) -> None:
    place = make_location(world.home, address="Albyvägen 12")
    original = make_service(world.home, name="Föräldracafé Alby", location=place)
    other = association(world)
    again = make_service(other, name="Föräldracafé i Alby", location=make_location(other, address="Albyvägen 12"))
    board_editor = MembershipFactory(organisation=world.county_board, role=Role.EDITOR).user
    client.force_login(world.users["county_board_viewer"])
    page = client.get(f"/sv/staff/{world.county_board.slug}/services/duplicates/").content.decode()
    assert "Föräldracafé i Alby" in page
    assert 'value="merge"' not in page, "a viewer sees, but cannot decide"
    client.force_login(world.users["other_org_admin"])
    assert client.post(f"/sv/staff/services/{again.pk}/duplicate/", {"action": "merge"}).status_code == 403
    association_editor = MembershipFactory(organisation=other, role=Role.EDITOR).user
    client.force_login(association_editor)  # may retire its own listing, not the municipality's
    page = client.get(f"/sv/staff/{other.slug}/services/duplicates/").content.decode()
    assert 'value="merge"' in page
    assert 'value="keep"' not in page
    assert client.post(f"/sv/staff/services/{again.pk}/duplicate/", {"action": "keep"}).status_code == 403
    client.force_login(board_editor)
    page = client.get(f"/sv/staff/{world.county_board.slug}/services/duplicates/").content.decode()
    assert 'value="keep"' in page
    assert "ändrar ingenting i den andra" in page
    client.post(f"/sv/staff/services/{again.pk}/duplicate/", {"action": "keep"})
    original.refresh_from_db()
    again.refresh_from_db()
    assert (original.status, original.merged_into) == (Status.INACTIVE, again)
    assert again.duplicate_of is None
    assert again.status == Status.ACTIVE
    assert found_names("föräldracafé") == [again.name]
    assert original.service_at_locations.get().location == place, "nothing moves across providers"
