import gzip
import re
import uuid
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from stodkedjan.directory.models import Service
from stodkedjan.directory.services import link_to_method
from stodkedjan.directory.tests.factories import make_location, make_service
from stodkedjan.finder.models import InformationPage, LocalContact, PageKind
from stodkedjan.knowledge.models import Resource
from stodkedjan.knowledge.tests.factories import make_method
from stodkedjan.network.models import Event

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SERVICE_UUID = "0f5b4c1e-3a0e-4c55-9a8e-2b6c1d9e7f10"
EVENT_ID = 4242
# Each public page, and the most SQL queries it may run however much data there is.
QUERY_BUDGET = {
    "/{lang}/accessibility/": 0,
    "/{lang}/": 1,
    # one word, first time: the area and what lies in it (2) and the area list (1), then kept; the count (with
    # whether the word is indexed at all, else a typo is corrected), the page (with the words each matched), the
    # cards' versions; the cards (4: offerings, terms, group series, places), then kept (SEARCH_WARM_BUDGET)
    "/{lang}/search/?q=f%C3%B6r%C3%A4ldrar&area=0127&age=7&language=ar": 10,
    f"/{{lang}}/service/{SERVICE_UUID}/": 8,
    "/{lang}/about-social-services/?area=0127": 5,
    "/{lang}/worried-now/?area=0127": 5,
    "/{lang}/open-data/": 4,  # the freshness by county: counties, their organisations' areas, counts, drafts
    "/{lang}/methods/?age=7&language=ar": 1,
    "/{lang}/methods/evidence-ratings/": 0,
    "/{lang}/methods/abc/?county=01": 5,  # and its upcoming trainings
    "/{lang}/resources/?perspective=child_rights": 1,
    "/{lang}/events/": 2,
    f"/{{lang}}/events/{EVENT_ID}/": 2,
}
PUBLIC_PAGES = list(QUERY_BUDGET)

RTL = {"ar", "fa"}
PAGE_BUDGET_BYTES = 50 * 1024


class TextCollector(HTMLParser):
    """Collects the visible text of a page, one string per text node, skipping <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "head":
            self.in_head = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.in_head:
            self.texts.append(text)


@pytest.fixture
def content(world):
    """Enough published content that every public page shows lists, and loops would show in query counts."""
    botkyrka = world.home.area
    botkyrka.code = "0127"
    botkyrka.save()
    location = make_location(world.home)
    services = [
        make_service(
            world.home,
            name=f"Föräldragrupp {n}",
            ages=(3, 12),
            languages=("sv", "ar"),
            location=location,
            byday=("TH",),
        )
        for n in range(25)
    ]
    Service.objects.filter(pk=services[0].pk).update(uuid=uuid.UUID(SERVICE_UUID))
    method = make_method(world.national, "ABC", slug="abc", languages=["sv", "ar"], minimum_age=3, maximum_age=12)
    Service.objects.filter(pk__in=[s.pk for s in services[:10]]).update(method_name="ABC")
    link_to_method(method)
    for n in range(5):
        make_method(world.national, f"Metod {n}", languages=["ar"])
        Resource.objects.create(
            organisation=world.county_board,
            title_sv=f"Resurs {n}",
            summary_sv="Text",
            url="https://example.se/",
            perspectives=["child_rights"],
            is_published=True,
        ).methods.add(method)
    starts = timezone.now() + timedelta(days=14)
    for n in range(5):
        Event.objects.create(
            pk=EVENT_ID if n == 0 else None,
            organisation=world.county_board,
            title=f"Utbildningsdag {n}",
            description="Om föräldraskapsstöd.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
            capacity=30,
            is_published=True,
        ).methods.add(method)
    for kind in PageKind.values:
        InformationPage.objects.create(
            organisation=world.county_board, kind=kind, title_sv="Rubrik", body_sv="## Rubrik\n\nText.\n\n- ett\n- två"
        )
    for n in range(3):
        LocalContact.objects.create(
            organisation=world.home,
            area=botkyrka,
            kind="social_services",
            name=f"Mottagning {n}",
            phone="08-123 456 78",
        )
    return services


def visible_texts(html: str) -> list[str]:
    collector = TextCollector()
    collector.feed(html)
    return collector.texts


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_carry_language_and_direction(client, content, lang, page):
    response = client.get(page.format(lang=lang))
    assert response.status_code == 200
    direction = "rtl" if lang in RTL else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in response.content.decode()


def test_the_root_sends_visitors_to_a_language(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_the_language_switcher_keeps_the_page_and_its_query(client, content, page):
    html = client.get(page.format(lang="sv")).content.decode()
    for lang in LANGUAGES:
        expected = page.format(lang=lang).replace("&", "&amp;")
        assert f'href="{expected}" lang="{lang}"' in html, lang


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code not in {"sv", "en"}])
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_are_fully_translated(client, content, lang, page):
    """No sentence of the English page may appear untranslated on the page in another language."""
    english = {t for t in visible_texts(client.get(page.format(lang="en")).content.decode()) if len(t) > 12}
    other = client.get(page.format(lang=lang)).content.decode()
    # What reads the same in Swedish is content or a proper name (a place, an organisation, a language in its
    # own name, an offering shown in Swedish as its fallback), not an interface text left in English.
    swedish = set(visible_texts(client.get(page.format(lang="sv")).content.decode()))
    untranslated = sorted(t for t in english if t in visible_texts(other) and t not in swedish and "@" not in t)
    assert untranslated == []


def test_swedish_is_complete_in_the_catalogue():
    text = (Path(settings.BASE_DIR) / "locale/sv/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = re.split(r"\n\n", text.split("\n\n", 1)[1])
    empty = [e for e in entries if re.search(r'^msgstr ""\Z', e.strip(), re.MULTILINE) and 'msgstr ""\n"' not in e]
    assert empty == []
    assert "#, fuzzy" not in text


@pytest.mark.parametrize("lang", sorted(settings.UNREVIEWED_LANGUAGES))
def test_unreviewed_translations_say_so(client, db, lang):
    catalogue = (Path(settings.BASE_DIR) / f"locale/{lang}/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert "needs review by a native speaker" in catalogue
    sv_notice = "Den här översättningen har ännu inte granskats"
    assert 'class="notice translation-note"' in client.get(f"/{lang}/").content.decode()
    assert sv_notice not in client.get("/sv/").content.decode()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_accessibility_statement_is_true_in_every_language(client, db, lang):
    html = client.get(f"/{lang}/accessibility/").content.decode()
    assert f'href="mailto:{settings.ACCESSIBILITY_CONTACT_EMAIL}"' in html
    assert "https://www.digg.se/" in html
    assert "WCAG" in html
    assert "2.1" in html
    sv = client.get("/sv/accessibility/").content.decode()
    for name in ["arabiska", "somaliska", "tigrinska", "persiska"]:
        assert name in sv, "the statement must name every language whose translation is unreviewed"
    assert len(settings.UNREVIEWED_LANGUAGES) == 4


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_set_no_cookies_and_run_a_bounded_number_of_queries(
    client, content, page, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERY_BUDGET[page]):
        response = client.get(page.format(lang="ar"))
    assert response.cookies == {}
    assert "public" in response["Cache-Control"]


SEARCH_WARM_BUDGET = 3


def test_a_search_again_reads_its_area_and_cards_from_the_cache(client, content, django_assert_max_num_queries):
    """The area, the area list and every card are kept: what is left is the search itself."""
    page = "/ar/search/?q=f%C3%B6r%C3%A4ldrar&area=0127&age=7"
    first = client.get(page).content
    with django_assert_max_num_queries(SEARCH_WARM_BUDGET):
        again = client.get(page).content
    assert again == first
    assert b'class="result"' in again


def test_an_offering_page_again_is_one_query_and_follows_a_change(client, content, django_assert_max_num_queries):
    """The page is kept under the offering's index version: read again, only that version is asked for; after
    an edit (which indexes it again) the new text shows."""
    from stodkedjan.directory import services
    from stodkedjan.directory.models import Service

    page = f"/so/service/{SERVICE_UUID}/"
    first = client.get(page).content
    with django_assert_max_num_queries(1):
        again = client.get(page).content
    assert again == first
    offering = Service.objects.get(uuid=SERVICE_UUID)
    offering.description_so = "Qoraal cusub oo ku saabsan kooxda."
    offering.save()
    services.reindex(offering)
    assert "Qoraal cusub" in client.get(page).content.decode()


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_stay_within_the_weight_budget_and_load_nothing_from_elsewhere(client, content, page):
    """At most 50 KB transferred: the page as the server sends it (gzip) plus its own CSS and JS, compressed."""
    response = client.get(page.format(lang="fa"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert assets, "the page should load its stylesheet"
    total = len(response.content)
    for asset in assets:
        found = finders.find(asset.removeprefix(settings.STATIC_URL))
        assert found, asset
        total += len(gzip.compress(Path(found).read_bytes()))
    assert total < PAGE_BUDGET_BYTES, total
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    # Links a person may follow are fine; nothing the browser fetches by itself may be external.
    fetched = re.findall(r'<(?:script|img|link|iframe)[^>]+(?:src|href)="(https?://[^"]+)"', html)
    assert fetched == [], external


def test_unknown_pages_answer_404_in_the_visitors_language(client, db):
    response = client.get("/so/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="so"' in response.content.decode()
    assert "Bogga lama helin" in response.content.decode()


def test_health_check_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_security_headers_are_sent(client, db):
    response = client.get("/sv/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_templates_contain_no_inline_script_or_style():
    for template in Path(settings.BASE_DIR, "stodkedjan").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script" not in text or 'src="' in text, template
        assert "<style" not in text, template
        assert " style=" not in text, template
