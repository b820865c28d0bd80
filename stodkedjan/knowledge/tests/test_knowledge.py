"""The knowledge bank: public search and method pages, links from offerings, and the staff forms."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stodkedjan.accounts.models import Role
from stodkedjan.accounts.tests.factories import MembershipFactory
from stodkedjan.directory.models import Service
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.knowledge.forms import RESOURCE_MAX_BYTES
from stodkedjan.knowledge.models import EvidenceRating, Method, Resource
from stodkedjan.knowledge.tests.factories import make_method


@pytest.fixture
def county_editor(world):
    return MembershipFactory(organisation=world.county_board, role=Role.EDITOR).user


def test_method_search_filters_by_age_language_rating_and_words(client, world):
    teen = make_method(
        world.national,
        "Connect",
        minimum_age=8,
        maximum_age=18,
        languages=["sv", "so"],
        evidence_rating=EvidenceRating.PROMISING,
    )
    small = make_method(world.national, "Trygghetscirkeln", minimum_age=0, maximum_age=6, languages=["sv"])
    make_method(world.national, "Dold metod", is_published=False)

    def names(query: str) -> list[str]:
        html = client.get(f"/sv/methods/{query}").content.decode()
        return [m.name for m in (teen, small) if f">{m.name}</a>" in html] + (["Dold"] if "Dold metod" in html else [])

    assert names("") == ["Connect", "Trygghetscirkeln"]
    assert names("?age=14") == ["Connect"]
    assert names("?language=so") == ["Connect"]
    assert names("?rating=promising") == ["Connect"]
    assert names("?q=trygghet") == ["Trygghetscirkeln"]
    assert names("?age=banana&rating=nonsense") == ["Connect", "Trygghetscirkeln"]  # dropped, not refused


def test_unpublished_methods_have_no_public_page(client, world):
    hidden = make_method(world.national, is_published=False)
    assert client.get(f"/sv/methods/{hidden.slug}/").status_code == 404
    assert client.get("/sv/methods/no-such-method/").status_code == 404


def test_offerings_link_to_a_method_by_any_of_its_names_whichever_came_first(world):
    before = make_service(world.home, method_name="connect")
    method = make_method(world.national, "Connect", also_known_as="Connect – för föräldrar till tonåringar")
    after = make_service(world.home, method_name="Connect – för föräldrar till tonåringar")
    other = make_service(world.home, method_name="COPE")
    assert set(method.services.all()) == {before, after}
    assert Service.objects.get(pk=other.pk).method is None
    method.also_known_as = ""
    method.save()
    assert set(Method.objects.get(pk=method.pk).services.all()) == {before}


def test_the_method_page_shows_where_it_is_offered_by_county(client, world):
    method = make_method(world.national, "ABC")
    make_service(world.home, name="ABC i Botkyrka", method_name="ABC")
    make_service(world.other, name="ABC i Malmö", method_name="ABC")
    make_service(world.home, name="ABC-utkast", method_name="ABC", status="draft")

    everywhere = client.get(f"/sv/methods/{method.slug}/").content.decode()
    assert "ABC i Botkyrka" in everywhere
    assert "ABC i Malmö" in everywhere
    assert "ABC-utkast" not in everywhere
    assert "Stockholms län" in everywhere
    assert "Skåne län" in everywhere
    stockholm = client.get(f"/sv/methods/{method.slug}/?county=01").content.decode()
    assert "ABC i Botkyrka" in stockholm
    assert "ABC i Malmö" not in stockholm


def test_a_method_offered_nowhere_says_so_plainly(client, world):
    method = make_method(world.national)
    html = client.get(f"/sv/methods/{method.slug}/?county=12").content.decode()
    assert "Inget publicerat stöd i Skåne län använder metoden ännu." in html


def test_the_offering_page_links_to_its_method(client, world):
    method = make_method(world.national, "COPE")
    service = make_service(world.home, method_name="cope")
    html = client.get(f"/sv/service/{service.uuid}/").content.decode()
    assert f'href="/sv/methods/{method.slug}/"' in html


def test_the_evidence_scale_is_explained_with_its_sources(client, db):
    html = client.get("/en/methods/evidence-ratings/").content.decode()
    for value in EvidenceRating.values:
        assert f'id="{value}"' in html
    assert "https://www.socialstyrelsen.se/" in html
    assert "https://www.mfof.se/" in html


def test_a_county_board_editor_adds_a_method_and_a_duplicate_name_keeps_what_was_typed(client, world, county_editor):
    client.force_login(county_editor)
    url = f"/sv/staff/{world.county_board.slug}/knowledge/methods/new/"
    data = {
        "name": "Föräldrastöd X",
        "slug": "foraldrastod-x",
        "summary_sv": "Kort om metoden",
        "description_sv": "Lång text",
        "target_group_sv": "Föräldrar till tonåringar",
        "minimum_age": 12,
        "maximum_age": 18,
        "level": "selective",
        "languages": ["sv", "ar"],
        "formats": ["group"],
        "evidence_rating": "not_evaluated",
        "is_published": "on",
    }
    assert client.post(url, data).status_code == 302
    method = Method.objects.get(slug="foraldrastod-x")
    assert (method.organisation, method.languages, method.target_group_sv) == (
        world.county_board,
        ["sv", "ar"],
        "Föräldrar till tonåringar",
    )
    again = client.post(url, {**data, "name": "föräldrastöd x", "slug": "annan", "minimum_age": 15, "maximum_age": 3})
    assert again.status_code == 400
    html = again.content.decode()
    assert "Det finns redan en metod med det namnet." in html
    assert "Den övre åldern får inte vara lägre än den undre." in html
    assert 'value="Kort om metoden"' in html
    assert Method.objects.count() == 1


def test_resources_filter_by_perspective_and_prevention_area(client, world):
    Resource.objects.create(
        organisation=world.home,
        title_sv="Heder och föräldraskap",
        summary_sv="Text",
        url="https://example.se/",
        perspectives=["gender_equality"],
        prevention_areas=["honour_violence"],
        is_published=True,
    )
    Resource.objects.create(
        organisation=world.home,
        title_sv="Barnets rättigheter",
        summary_sv="Text",
        url="https://example.se/",
        perspectives=["child_rights"],
        is_published=True,
    )
    Resource.objects.create(
        organisation=world.home, title_sv="Utkast", summary_sv="Text", url="https://example.se/", is_published=False
    )
    all_ = client.get("/sv/resources/").content.decode()
    assert "Heder och föräldraskap" in all_
    assert "Barnets rättigheter" in all_
    assert "Utkast" not in all_
    honour = client.get("/sv/resources/?area=honour_violence").content.decode()
    assert "Heder och föräldraskap" in honour
    assert "Barnets rättigheter" not in honour
    rights = client.get("/sv/resources/?perspective=child_rights").content.decode()
    assert "Barnets rättigheter" in rights
    assert "Heder och föräldraskap" not in rights


def test_an_editor_uploads_a_document_that_anyone_can_download(client, world):
    client.force_login(world.users[Role.EDITOR])
    url = f"/sv/staff/{world.home.slug}/knowledge/resources/new/"
    missing = client.post(url, {"title_sv": "Rapport", "kind": "document", "summary_sv": "Om stödet"})
    assert missing.status_code == 400
    assert "Ange en länk eller ladda upp en fil." in missing.content.decode()
    assert 'value="Rapport"' in missing.content.decode()
    wrong = SimpleUploadedFile("program.exe", b"MZ", content_type="application/octet-stream")
    refused = client.post(url, {"title_sv": "Rapport", "kind": "document", "summary_sv": "Om", "file": wrong})
    assert refused.status_code == 400
    assert Resource.objects.count() == 0
    upload = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    data = {"title_sv": "Rapport", "kind": "document", "summary_sv": "Om stödet", "file": upload, "is_published": "on"}
    assert client.post(url, data).status_code == 302
    resource = Resource.objects.get()
    client.logout()
    download = client.get(f"/sv/resources/{resource.pk}/file")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 demo"
    assert "attachment" in download["Content-Disposition"]


def test_too_large_files_are_refused_with_a_reason(world):
    from stodkedjan.knowledge.forms import ResourceForm

    big = SimpleUploadedFile("stor.pdf", b"x" * (RESOURCE_MAX_BYTES + 1), content_type="application/pdf")
    form = ResourceForm({"title_sv": "Stor", "kind": "document", "summary_sv": "x"}, {"file": big})
    assert not form.is_valid()
    assert "file" in form.errors


def test_the_public_method_pages_run_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    methods = [make_method(world.national, f"Metod {n}", languages=["sv", "ar"]) for n in range(15)]
    for n in range(10):
        make_service(world.home, name=f"Grupp {n}", method_name=methods[0].name)
    with django_assert_max_num_queries(2):
        assert client.get("/ar/methods/?language=ar").status_code == 200
    with django_assert_max_num_queries(5):  # 4, and its upcoming trainings
        assert client.get(f"/ar/methods/{methods[0].slug}/?county=01").status_code == 200
