"""The anonymous response pages: no cookies, stored exactly once, skip logic, errors that keep the answers."""

import re

import pytest
from django.conf import settings
from django.test import override_settings

from stodkedjan.accounts.models import Role
from stodkedjan.surveys.models import Mode, Response
from stodkedjan.surveys.tests.factories import make_round


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


@pytest.fixture
def survey(world):
    return make_round(world.home)


def url(survey_round, lang="sv"):
    return f"/{lang}/survey/{survey_round.link_key}/"


def test_the_form_sets_no_cookie_is_never_cached_and_reads_right_to_left_in_arabic(client, survey):
    response = client.get(url(survey, "ar"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "هل تحصل على دعم؟" in html
    assert response.cookies == {}
    assert "no-store" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" not in html


def test_a_language_the_round_does_not_offer_leads_to_those_it_does(client, survey):
    html = client.get(url(survey, "so")).content.decode()
    assert f'href="/ar/survey/{survey.link_key}/"' in html
    assert f'href="/sv/survey/{survey.link_key}/"' in html
    assert 'name="token"' not in html


def test_one_page_submission_is_stored_once_even_when_sent_twice(client, survey):
    token = token_of(client.get(url(survey)).content.decode())
    area = survey.areas.order_by("code").first()
    data = {
        "token": token,
        "area": area.code,
        "q-support": "no",
        "q-why": "Ring 070-123 45 67",
        "q-kids": "2",
        "q-arenas": ["bvc", "school"],
        "q-trust": "3",
    }
    first = client.post(url(survey), data)
    second = client.post(url(survey), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"/sv/survey/{survey.link_key}/thanks/"
    response = Response.objects.get()
    assert response.answers == {
        "support": "no",
        "why": "Ring [telefonnummer]",
        "kids": 2,
        "arenas": ["bvc", "school"],
        "trust": "3",
    }
    assert response.area == area
    assert response.mode == Mode.SELF
    assert response.language == "sv"
    assert client.cookies == {} or not any(c.value for c in client.cookies.values())


def test_a_response_holds_nothing_that_points_at_a_person():
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {"id", "round", "area", "language", "mode", "answers", "submitted_on", "submission_key", "codings"}
    assert Response._meta.get_field("submitted_on").get_internal_type() == "DateField"
    assert Response._meta.get_field("id").get_internal_type() == "UUIDField"
    assert not hasattr(Response, "history")


def test_answers_to_questions_that_are_not_asked_are_dropped(client, survey):
    token = token_of(client.get(url(survey)).content.decode())
    client.post(url(survey), {"token": token, "area": "other", "q-support": "yes", "q-why": "borde inte sparas"})
    assert Response.objects.get().answers == {"support": "yes"}
    assert Response.objects.get().area is None


def test_a_missing_answer_and_a_wrong_number_are_explained_and_what_was_typed_is_kept(client, survey):
    token = token_of(client.get(url(survey)).content.decode())
    response = client.post(
        url(survey, "en"[:0] or "sv"), {"token": token, "area": "", "q-kids": "två", "q-why": "Jag skrev det här"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert 'href="#id_q-support_0"' in html  # the summary links to the question
    assert 'value="två"' in html
    assert "Jag skrev det här" in html
    assert not Response.objects.exists()


def test_a_forged_or_expired_token_stores_nothing_and_offers_a_fresh_form(client, survey):
    response = client.post(url(survey), {"token": "forged", "area": "other", "q-support": "yes"})
    assert response.status_code == 400
    assert token_of(response.content.decode()) != "forged"
    assert 'value="yes" checked' in response.content.decode() or "checked" in response.content.decode()
    assert not Response.objects.exists()


@override_settings(SURVEY_SUBMISSION_RATE=(2, 600))
def test_many_submissions_from_one_source_are_slowed_and_keep_the_answers(client, survey):
    for _n in range(2):
        token = token_of(client.get(url(survey)).content.decode())
        assert client.post(url(survey), {"token": token, "area": "other", "q-support": "yes"}).status_code == 302
    token = token_of(client.get(url(survey)).content.decode())
    response = client.post(url(survey), {"token": token, "area": "other", "q-support": "no", "q-why": "Kvar"})
    assert response.status_code == 429
    assert "Kvar" in response.content.decode()
    assert Response.objects.count() == 2
    other_source = client.post(
        url(survey), {"token": token, "area": "other", "q-support": "no"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_source.status_code == 302


def test_the_paged_layout_walks_one_question_at_a_time_and_skips_what_is_not_asked(client, world):
    survey = make_round(world.home, layout="paged")
    html = client.get(url(survey)).content.decode()
    assert 'name="q-support"' not in html  # the first screen asks only for the area
    token = token_of(html)
    step = client.post(url(survey), {"token": token, "screen": "start", "go": "next", "area": "other"})
    html = step.content.decode()
    assert 'name="q-support"' in html
    assert 'name="q-why"' not in html.replace('type="hidden" name="q-why"', "")
    assert "Fråga 1 av" in html
    # Answering yes skips "why"; the answers so far travel as hidden fields.
    step = client.post(
        url(survey), {"token": token, "screen": "support", "go": "next", "area": "other", "q-support": "yes"}
    )
    html = step.content.decode()
    assert 'name="q-kids"' in html
    assert '<input type="hidden" name="q-support" value="yes">' in html
    back = client.post(
        url(survey),
        {"token": token, "screen": "kids", "go": "back", "area": "other", "q-support": "yes", "q-kids": "3"},
    )
    assert 'name="q-support"' in back.content.decode()
    assert 'value="3"' in back.content.decode()
    data = {
        "token": token,
        "go": "next",
        "area": "other",
        "q-support": "yes",
        "q-kids": "3",
        "q-arenas": ["library"],
        "q-trust": "4",
    }
    for screen in ["kids", "arenas"]:
        assert client.post(url(survey), {**data, "screen": screen}).status_code == 200
    assert not Response.objects.exists()  # nothing is stored before the last screen
    final = client.post(url(survey), {**data, "screen": "trust"})
    assert final.status_code == 302
    assert Response.objects.get().answers == {"support": "yes", "kids": 3, "arenas": ["library"], "trust": "4"}


def test_a_required_question_on_its_screen_must_be_answered(client, world):
    survey = make_round(world.home, layout="paged")
    token = token_of(client.get(url(survey)).content.decode())
    response = client.post(url(survey), {"token": token, "screen": "support", "go": "next", "area": "other"})
    assert response.status_code == 400
    assert "Answer this question to go on." in response.content.decode() or "error-summary" in response.content.decode()


def test_closed_and_unknown_rounds(client, world):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    closed = make_round(world.home, opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1))
    assert client.get(url(closed)).status_code == 410
    upcoming = make_round(world.home, opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=30))
    assert client.get(url(upcoming)).status_code == 200
    assert 'name="token"' not in client.get(url(upcoming)).content.decode()
    assert client.get("/sv/survey/no-such-link/").status_code == 404
    interview_only = make_round(world.home, self_completion=False)
    assert client.get(url(interview_only)).status_code == 404


def test_an_interviewer_enters_answers_that_are_not_linked_to_them(client, world):
    survey = make_round(world.home)
    client.force_login(world.users[Role.EDITOR])
    page = f"/en/staff/surveys/rounds/{survey.pk}/interview/"
    token = token_of(client.get(page + "?language=ar").content.decode())
    response = client.post(page, {"token": token, "language": "ar", "area": "other", "q-support": "yes"})
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.mode == Mode.INTERVIEWER
    assert stored.language == "ar"
    assert world.users[Role.EDITOR].email not in str(stored.answers)


def test_public_survey_pages_stay_light(client, survey):
    import gzip

    response = client.get(url(survey, "fa" if "fa" in survey.languages else "ar"), HTTP_ACCEPT_ENCODING="gzip")
    assert len(gzip.decompress(response.content)) < 50 * 1024
    assert settings.SURVEY_FORM_MAX_AGE > 600


def test_the_form_runs_a_bounded_number_of_queries(client, survey, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(url(survey))
    token = token_of(client.get(url(survey)).content.decode())
    with django_assert_max_num_queries(8):
        client.post(url(survey), {"token": token, "area": "other", "q-support": "yes"})


@pytest.mark.parametrize("lang", ["ar", "so", "ti", "fa"])
@pytest.mark.parametrize("layout", ["single", "paged"])
def test_the_survey_pages_are_fully_translated(client, world, lang, layout):
    """No sentence of the English page may be left in English on the page in another language."""
    from tests.test_public_pages import visible_texts

    survey = make_round(world.home, layout=layout, languages=["sv", "en", "ar", "so", "ti", "fa"])
    for page in [url(survey, "{lang}"), f"/{{lang}}/survey/{survey.link_key}/thanks/"]:
        english = {t for t in visible_texts(client.get(page.format(lang="en")).content.decode()) if len(t) > 12}
        swedish = set(visible_texts(client.get(page.format(lang="sv")).content.decode()))
        other = visible_texts(client.get(page.format(lang=lang)).content.decode())
        assert sorted(t for t in english if t in other and t not in swedish) == []


def test_the_survey_link_uses_site_url_or_else_the_address_the_page_came_from(client, world, settings):
    survey_round = make_round(world.home)
    client.force_login(world.users[Role.VIEWER])
    path = f"/sv/survey/{survey_round.link_key}/"
    settings.SITE_URL_IS_SET = False
    page = client.get(f"/sv/staff/surveys/rounds/{survey_round.pk}/", HTTP_HOST="localhost:8123")
    assert page.context["link"] == f"http://localhost:8123{path}"
    settings.SITE_URL_IS_SET, settings.SITE_URL = True, "https://stodkedjan.example"
    page = client.get(f"/sv/staff/surveys/rounds/{survey_round.pk}/", HTTP_HOST="localhost:8123")
    assert page.context["link"] == f"https://stodkedjan.example{path}"


def test_screen_by_screen_enter_goes_on_the_error_comes_first_and_no_condition_is_described(client, world):
    """From a parent's walk on a phone: Enter pressed "Back" (the first button), the start screen's error was
    below the fold, and "Answer if you answered …" showed on a screen that is only shown when it applies."""
    survey = make_round(world.home, layout="paged")
    page = client.get(url(survey)).content.decode()
    token = token_of(page)
    form = page[page.index('<form method="post"') :]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'value="next"' in first_button, "the first submit button, the one Enter presses, goes on"
    refused = client.post(url(survey), {"token": token, "screen": "start"}).content.decode()
    assert refused.index('class="error-summary"') < refused.index('class="privacy"'), "the error comes first"
    area = survey.areas.order_by("code").first().code
    answered = {"token": token, "area": area, "q-support": "no", "q-kids": "2"}
    why = client.post(url(survey), {**answered, "screen": "support"}).content.decode()
    assert 'name="q-why"' in why
    assert "Svara om du svarade" not in why


def test_a_field_with_an_error_points_at_its_message(client, world):
    survey = make_round(world.home)
    token = token_of(client.get(url(survey)).content.decode())
    area = survey.areas.order_by("code").first().code
    html = client.post(url(survey), {"token": token, "area": area, "q-kids": "many"}).content.decode()
    assert re.search(r'<input[^>]*name="q-kids"[^>]*aria-describedby="id_q-kids_error', html)
