"""Edit-as-draft review: where an organisation (or the county board, for civil society) reviews changes, an
editor's change to a published offering waits as a draft; parents see the live offering until a reviewer
approves it; the reviewer sees every changed field, approves, edits or returns it with a comment."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from conftest import World
from stodkedjan.accounts.models import EditReview, OrganisationKind, Role
from stodkedjan.accounts.tests.factories import MembershipFactory, OrganisationFactory
from stodkedjan.directory import drafts, freshness
from stodkedjan.directory.models import DraftState, Service, ServiceDraft
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.hsds import serialize
from stodkedjan.hsds.models import ApiToken


@pytest.fixture(autouse=True)
def no_mail() -> None:
    mail.outbox = []


def reviewed(world: World, how: str = EditReview.OWN) -> Service:
    world.home.edit_review = how
    world.home.save()
    return make_service(world.home, name="Föräldracafé Fittja")


def post_edit(client: Any, service: Service, **changes: Any) -> Any:
    data = drafts.live_form_data(service) | changes
    return client.post(f"/sv/staff/services/{service.pk}/edit/", data, follow=True)


def test_an_editors_change_waits_as_a_draft_and_parents_see_the_live_offering(client: Any, world: World) -> None:
    service = reviewed(world)
    client.force_login(world.users[Role.EDITOR])
    page = post_edit(client, service, name_sv="Föräldracafé Fittja – nya tider", name_so="Kafeega waalidiinta")
    assert "väntar på granskning" in page.content.decode()
    service.refresh_from_db()
    assert service.name_sv == "Föräldracafé Fittja", "the live offering is unchanged"
    public = client.get(f"/sv/service/{service.uuid}/").content.decode()
    assert "Föräldracafé Fittja" in public and "nya tider" not in public  # noqa: PT018
    draft = ServiceDraft.objects.get(service=service)
    assert (draft.state, draft.author_label) == (DraftState.WAITING, world.users[Role.EDITOR].email)
    reviewers = {world.users[Role.COORDINATOR].email, world.users[Role.ADMIN].email}
    assert set(mail.outbox[0].to) == reviewers, "the coordinators are told"
    changed = {d.label: (d.before, d.after) for d in drafts.differences(draft)}
    assert changed == {
        "Namn (svenska)": ("Föräldracafé Fittja", "Föräldracafé Fittja – nya tider"),
        "Namn (somaliska)": ("–", "Kafeega waalidiinta"),
    }


def test_a_second_change_replaces_the_waiting_draft_and_the_form_starts_from_it(client: Any, world: World) -> None:
    service = reviewed(world)
    client.force_login(world.users[Role.EDITOR])
    post_edit(client, service, name_sv="Första ändringen")
    form = client.get(f"/sv/staff/services/{service.pk}/edit/").content.decode()
    assert 'value="Första ändringen"' in form and "redan väntar" in form  # noqa: PT018
    post_edit(client, service, name_sv="Andra ändringen")
    assert ServiceDraft.objects.filter(service=service).count() == 1
    assert ServiceDraft.objects.get().data["name_sv"] == ["Andra ändringen"]
    assert len(mail.outbox) == 1, "the reviewers are told once, when the draft begins to wait"


def test_a_coordinator_approves_and_the_public_page_changes_only_then(client: Any, world: World) -> None:
    service = reviewed(world)
    Service.objects.filter(pk=service.pk).update(assured_date=timezone.localdate() - datetime.timedelta(days=300))
    client.force_login(world.users[Role.EDITOR])
    post_edit(client, service, name_sv="Föräldracafé Fittja – nya tider", maximum_age="12")
    draft = ServiceDraft.objects.get()
    client.force_login(world.users[Role.COORDINATOR])
    review = client.get(f"/sv/staff/services/drafts/{draft.pk}/").content.decode()
    assert "Föräldracafé Fittja – nya tider" in review and "Godkänn och publicera" in review  # noqa: PT018
    mail.outbox = []
    client.post(f"/sv/staff/services/drafts/{draft.pk}/", {"action": "approve"})
    service.refresh_from_db()
    assert (service.name_sv, service.maximum_age) == ("Föräldracafé Fittja – nya tider", 12)
    assert service.assured_date == timezone.localdate(), "the reviewer has just read it"
    draft.refresh_from_db()
    assert (draft.state, draft.reviewer) == (DraftState.APPROVED, world.users[Role.COORDINATOR])
    assert mail.outbox[0].to == [world.users[Role.EDITOR].email]
    assert "nya tider" in client.get(f"/sv/service/{service.uuid}/").content.decode()
    reasons = list(service.history.values_list("history_change_reason", flat=True))
    assert any("approved by" in (r or "") for r in reasons), "the history says whose change and who approved it"


def test_a_returned_draft_needs_a_comment_and_comes_back_to_its_author(client: Any, world: World) -> None:
    service = reviewed(world)
    client.force_login(world.users[Role.EDITOR])
    post_edit(client, service, name_sv="Fel namn")
    draft = ServiceDraft.objects.get()
    client.force_login(world.users[Role.COORDINATOR])
    empty = client.post(f"/sv/staff/services/drafts/{draft.pk}/", {"action": "return", "comment": ""})
    assert "Skriv vad författaren ska ändra" in empty.content.decode()
    draft.refresh_from_db()
    assert draft.state == DraftState.WAITING
    client.post(f"/sv/staff/services/drafts/{draft.pk}/", {"action": "return", "comment": "Namnet ska vara kvar."})
    draft.refresh_from_db()
    assert (draft.state, draft.comment) == (DraftState.RETURNED, "Namnet ska vara kvar.")
    assert "Namnet ska vara kvar." in mail.outbox[-1].body
    client.force_login(world.users[Role.EDITOR])
    form = client.get(f"/sv/staff/services/{service.pk}/edit/").content.decode()
    assert 'value="Fel namn"' in form and "Namnet ska vara kvar." in form  # noqa: PT018
    service.refresh_from_db()
    assert service.name_sv == "Föräldracafé Fittja"


def test_a_reviewer_edits_the_draft_and_saving_publishes_it(client: Any, world: World) -> None:
    service = reviewed(world)
    client.force_login(world.users[Role.EDITOR])
    post_edit(client, service, name_sv="Förslag")
    draft = ServiceDraft.objects.get()
    client.force_login(world.users[Role.COORDINATOR])
    form = client.get(f"/sv/staff/services/{service.pk}/edit/?draft={draft.pk}").content.decode()
    assert 'value="Förslag"' in form and "Om du sparar publiceras" in form  # noqa: PT018
    post_edit(client, service, name_sv="Förslag, rättat", draft=str(draft.pk))
    service.refresh_from_db()
    draft.refresh_from_db()
    assert (service.name_sv, draft.state) == ("Förslag, rättat", DraftState.APPROVED)


def test_who_writes_directly(client: Any, world: World) -> None:
    service = reviewed(world)
    client.force_login(world.users[Role.COORDINATOR])  # a reviewer's own change is published at once
    post_edit(client, service, name_sv="Direkt av samordnaren")
    service.refresh_from_db()
    assert service.name_sv == "Direkt av samordnaren"
    unpublished = make_service(world.home, name="Utkast", status="draft")
    client.force_login(world.users[Role.EDITOR])  # nothing parents see: no review
    post_edit(client, unpublished, name_sv="Utkast, ändrat")
    unpublished.refresh_from_db()
    assert unpublished.name_sv == "Utkast, ändrat"
    assert not ServiceDraft.objects.exists()


def test_the_county_board_reviews_a_civil_society_provider_and_only_it_can_stop(client: Any, world: World) -> None:
    society = OrganisationFactory(slug="forening", kind=OrganisationKind.CIVIL_SOCIETY, area=world.home.area)
    admin = MembershipFactory(organisation=society, role=Role.ADMIN).user
    board_editor = MembershipFactory(organisation=world.county_board, role=Role.EDITOR).user
    client.force_login(board_editor)
    client.post(f"/sv/staff/{society.slug}/services/edit-review/", {"edit_review": EditReview.COUNTY_BOARD})
    society.refresh_from_db()
    assert society.edit_review == EditReview.COUNTY_BOARD
    client.force_login(admin)
    page = client.post(f"/sv/staff/{society.slug}/services/edit-review/", {"edit_review": ""}, follow=True)
    society.refresh_from_db()
    assert society.edit_review == EditReview.COUNTY_BOARD, "the provider's admin cannot turn it off"
    assert "bara länsstyrelsen kan ändra det" in page.content.decode()
    title = page.content.decode().split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title, "the page's title is plain text, not the setting's form"
    service = make_service(society, name="Nattvandring Alby")
    post_edit(client, service, name_sv="Nattvandring Alby och Fittja")
    draft = ServiceDraft.objects.get()
    assert board_editor.email in mail.outbox[0].to
    client.force_login(board_editor)
    listed = client.get(f"/sv/staff/{world.county_board.slug}/services/drafts/").content.decode()
    assert "Nattvandring Alby" in listed
    client.post(f"/sv/staff/services/drafts/{draft.pk}/", {"action": "approve"})
    service.refresh_from_db()
    assert service.name_sv == "Nattvandring Alby och Fittja"


def test_a_municipalitys_admin_cannot_hand_review_to_the_county_board(client: Any, world: World) -> None:
    client.force_login(world.users[Role.ADMIN])
    client.post(f"/sv/staff/{world.home.slug}/services/edit-review/", {"edit_review": EditReview.COUNTY_BOARD})
    world.home.refresh_from_db()
    assert world.home.edit_review == EditReview.OFF
    client.post(f"/sv/staff/{world.home.slug}/services/edit-review/", {"edit_review": EditReview.OWN})
    world.home.refresh_from_db()
    assert world.home.edit_review == EditReview.OWN
    client.force_login(world.users[Role.EDITOR])
    answer = client.post(f"/sv/staff/{world.home.slug}/services/edit-review/", {"edit_review": ""})
    assert answer.status_code == 403


def test_a_write_by_an_api_token_of_a_reviewed_organisation_waits_as_a_draft(client: Any, world: World) -> None:
    service = reviewed(world)
    _token, secret = ApiToken.issue(world.home, "Verksamhetssystem", world.users[Role.ADMIN])
    body = serialize.Serializer().service_full(serialize.with_everything(Service.objects.filter(pk=service.pk)).get())
    body["name"] = "Nytt namn från systemet"
    answer = client.put(
        f"/api/hsds/services/{service.uuid}",
        json.dumps(body),
        content_type="application/json",
        headers={"authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 202, answer.content
    found = answer.json()
    assert found["status"] == "draft_waiting_for_review"
    assert found["service"]["name"] == "Föräldracafé Fittja"
    draft = ServiceDraft.objects.get(pk=found["draft_id"])
    assert draft.author_label == "API token Verksamhetssystem"
    service.refresh_from_db()
    assert service.name_sv == "Föräldracafé Fittja"
    assert [d.label for d in drafts.differences(draft)] == ["Namn (svenska)"]


def test_freshness_figures_match_a_count_by_hand(world: World) -> None:
    today = timezone.localdate()
    ages = {"Nyss": 0, "Halvår": 200, "Ett år": 400, "Aldrig": None}
    for name, days in ages.items():
        service = make_service(world.home, name=name)
        checked = None if days is None else today - datetime.timedelta(days=days)
        Service.objects.filter(pk=service.pk).update(assured_date=checked)
    make_service(world.home, name="Opublicerat", status="draft")
    make_service(world.other, name="I Skåne")
    world.home.edit_review = EditReview.OWN
    world.home.save()
    ServiceDraft.objects.create(service=Service.objects.get(name_sv="Nyss"), data={}, author_label="x")
    figures = freshness.for_organisation(world.home)
    assert (figures.published, figures.verified_6, figures.verified_12, figures.never_checked) == (4, 1, 2, 1)
    assert (figures.share_6, figures.share_12, figures.drafts_waiting) == (25, 50, 1)
    assert figures.oldest is not None and figures.oldest.name_sv == "Aldrig"  # noqa: PT018
    assert figures.oldest_check == today - datetime.timedelta(days=400)
    county = world.home.area.county
    assert freshness.for_area(county).published == 4, "Skåne's offering is not counted in Stockholm"
    rows, total = freshness.by_municipality(county)
    assert dict(rows)[world.home.area].verified_12 == 2
    assert (total.published, total.verified_6, total.drafts_waiting) == (4, 1, 1)
    counties, country = freshness.by_county()
    national = {area.code: f.published for area, f in counties}
    assert (national["01"], national["12"], country.published) == (4, 1, 5)


def test_the_author_is_told_in_the_sites_language_whatever_the_reviewers_page_language(
    client: Any, world: World
) -> None:
    service = reviewed(world)
    client.force_login(world.users[Role.EDITOR])
    post_edit(client, service, name_sv="Föräldracafé Fittja – nya tider")
    draft = ServiceDraft.objects.get()
    mail.outbox = []
    client.force_login(world.users[Role.COORDINATOR])
    client.post(f"/en/staff/services/drafts/{draft.pk}/", {"action": "return", "comment": "Skriv tiderna."})
    (told,) = mail.outbox
    assert told.subject == "Din ändring i ”Föräldracafé Fittja” skickades tillbaka"
    assert "Skriv tiderna." in told.body
