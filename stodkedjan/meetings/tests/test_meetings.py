import csv
import io

import pytest
from django.utils import timezone

from stodkedjan.accounts.models import Role
from stodkedjan.accounts.tests.factories import MembershipFactory
from stodkedjan.meetings import services
from stodkedjan.meetings.models import DialogueMeeting, Need, NeedStatus, PreMeetingAnswer


@pytest.fixture
def meeting(world):
    """The county board's meeting with the home municipality invited."""
    return services.save_meeting(
        world.county_board,
        {
            "title": "Dialogmöte hösten",
            "starts_at": timezone.now(),
            "place": "Länsstyrelsen",
            "online_link": "",
            "agenda": "1. Läget",
            "notes": "",
            "decisions": "",
            "invited": [world.home],
            "questions": [("Var finns luckorna för barn under 15?", True), ("Hur används resurserna bäst?", False)],
        },
    )


def board_editor(world):
    return MembershipFactory(organisation=world.county_board, role=Role.EDITOR).user


def test_the_county_board_creates_a_meeting_with_questions_from_the_form(client, world):
    client.force_login(board_editor(world))
    response = client.post(
        f"/en/staff/{world.county_board.slug}/meetings/new/",
        {
            "title": "Dialogmöte",
            "starts_at": "2026-12-01T09:00",
            "place": "Länsstyrelsen",
            "invited": [world.home.pk],
            "questions": "* Vilka verktyg saknar socialtjänsten?\nVad är viktigast nationellt?",
        },
    )
    assert response.status_code == 302
    meeting = DialogueMeeting.objects.get()
    assert [(q.text, q.ask_before) for q in meeting.questions.all()] == [
        ("Vilka verktyg saknar socialtjänsten?", True),
        ("Vad är viktigast nationellt?", False),
    ]
    missing_place = client.post(
        f"/en/staff/{world.county_board.slug}/meetings/new/", {"title": "Utan plats", "starts_at": "2026-12-01T09:00"}
    )
    assert missing_place.status_code == 400
    assert 'value="Utan plats"' in missing_place.content.decode()


def test_an_invited_organisation_answers_before_the_meeting_and_others_cannot(client, world, meeting):
    client.force_login(world.users[Role.EDITOR])
    page = f"/en/staff/meetings/{meeting.pk}/answers/{world.home.slug}/"
    form = client.get(page)
    assert "Var finns luckorna" in form.content.decode()
    assert "Hur används resurserna" not in form.content.decode()  # not asked beforehand
    question = meeting.questions.get(ask_before=True)
    assert client.post(page, {f"question_{question.pk}": "8–12-åringar i Alby"}).status_code == 302
    assert PreMeetingAnswer.objects.get().text == "8–12-åringar i Alby"
    client.force_login(world.users["other_org_admin"])
    assert client.get(page).status_code == 403
    assert client.get(f"/en/staff/meetings/{meeting.pk}/").status_code == 403
    client.force_login(world.users[Role.VIEWER])
    assert client.get(f"/en/staff/meetings/{meeting.pk}/").status_code == 200  # invited members see it
    assert client.get(page).status_code == 403  # but only editors answer
    client.force_login(board_editor(world))
    assert "8–12-åringar i Alby" in client.get(f"/en/staff/meetings/{meeting.pk}/").content.decode()


def test_editing_the_questions_keeps_the_answers_to_those_unchanged(world, meeting):
    question = meeting.questions.get(ask_before=True)
    services.save_pre_meeting_answers(meeting, world.home, {question.pk: "Svar"})
    services.save_meeting(
        world.county_board,
        {"invited": [world.home], "questions": [("Ny fråga", True), (question.text, True)]},
        meeting,
    )
    assert meeting.questions.count() == 2
    assert PreMeetingAnswer.objects.get().question_id == question.pk


def test_a_need_is_raised_answered_and_passed_on_once(client, world, meeting):
    client.force_login(world.users[Role.EDITOR])
    response = client.post(
        f"/en/staff/{world.home.slug}/needs/new/",
        {"title": "Metodstöd på arabiska", "theme": "competence", "level": "regional"},
    )
    need = Need.objects.get()
    assert response["Location"] == f"/en/staff/needs/{need.pk}/"
    assert client.post(f"/en/staff/needs/{need.pk}/pass-on/").status_code == 403  # not the municipality's call
    assert (
        client.post(
            f"/en/staff/needs/{need.pk}/", {"action": "answer", "answer": "x", "status": "answered"}
        ).status_code
        == 403
    )
    client.force_login(board_editor(world))
    client.post(
        f"/en/staff/needs/{need.pk}/",
        {"action": "answer", "answer": "En arbetsgrupp startar.", "status": "in_progress"},
    )
    need.refresh_from_db()
    assert (need.answer, need.status, need.answered_by) == (
        "En arbetsgrupp startar.",
        "in_progress",
        world.county_board,
    )
    client.post(f"/en/staff/needs/{need.pk}/pass-on/")
    first = Need.objects.get().passed_on_at
    client.post(f"/en/staff/needs/{need.pk}/pass-on/")
    need.refresh_from_db()
    assert need.passed_on_at == first
    assert need.level == "national"
    assert need.history.count() >= 3


def test_the_county_sees_all_needs_grouped_by_theme_and_the_nation_those_passed_on(client, world, meeting):
    services.create_need(world.home, {"title": "Tolkar", "theme": "reaching_parents", "level": "local"}, None)
    passed = services.create_need(
        world.home, {"title": "Lagstöd", "theme": "national_measures", "level": "national"}, None, meeting=meeting
    )
    services.create_need(world.other, {"title": "Skåne-behov", "theme": "resources", "level": "regional"}, None)
    services.pass_on_need(passed)
    client.force_login(world.users["county_board_viewer"])
    html = client.get(f"/en/staff/{world.county_board.slug}/needs/county/").content.decode()
    assert "Tolkar" in html
    assert "Lagstöd" in html
    assert "Skåne-behov" not in html
    assert html.lower().index("reaching parents") < html.lower().index("national measures")
    filtered = client.get(f"/en/staff/{world.county_board.slug}/needs/county/?status=answered").content.decode()
    assert "Tolkar" not in filtered
    export = client.get(f"/en/staff/{world.county_board.slug}/needs/county/?format=csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Need"
    assert {r[0] for r in rows[1:]} == {"Tolkar", "Lagstöd"}
    client.force_login(world.users["national_viewer"])
    national = client.get(f"/en/staff/{world.national.slug}/needs/county/").content.decode()
    assert "Lagstöd" in national
    assert "Tolkar" not in national
    assert client.get(f"/en/staff/needs/{passed.pk}/").status_code == 200


def test_the_meeting_page_and_lists_run_a_bounded_number_of_queries(
    client, world, meeting, django_assert_max_num_queries
):
    for n in range(5):
        services.create_need(
            world.home, {"title": f"Behov {n}", "theme": "other", "level": "regional"}, None, meeting=meeting
        )
    client.force_login(board_editor(world))
    with django_assert_max_num_queries(15):
        assert client.get(f"/en/staff/meetings/{meeting.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/en/staff/{world.county_board.slug}/needs/county/").status_code == 200
    calendar = client.get(f"/en/staff/meetings/{meeting.pk}/meeting.ics")
    assert b"BEGIN:VEVENT" in calendar.content
    assert b"Dialogm" in calendar.content
    assert Need.objects.first().status == NeedStatus.OPEN


def test_a_need_raised_at_a_meeting_shows_the_meetings_date_in_swedish(client, world, meeting):
    held = timezone.make_aware(timezone.datetime(2026, 11, 18, 13, 0))
    DialogueMeeting.objects.filter(pk=meeting.pk).update(starts_at=held)
    Need.objects.create(
        organisation=world.home, meeting=meeting, title="Metodstöd på arabiska", theme="competence", level="regional"
    )
    client.force_login(world.users[Role.EDITOR])
    listing = client.get(f"/sv/staff/{world.home.slug}/needs/").content.decode()
    assert "18 november 2026" in listing
    assert timezone.localdate().strftime("%-d %b %Y") not in listing
