"""Analysis, exports, coding and questionnaire versions: every small group suppressed everywhere."""

import csv
import io

import pytest
from openpyxl import load_workbook

from stodkedjan.accounts.models import Role
from stodkedjan.surveys import analysis, services
from stodkedjan.surveys.models import Theme
from stodkedjan.surveys.tests.factories import add_responses, make_round


@pytest.fixture
def answered(world):
    """Two areas: 12 and 9 respondents; 3 more in Arabic only in the second area (a group under five)."""
    survey = make_round(world.home)
    north, south = survey.areas.order_by("code")
    add_responses(survey, 8, north, support="yes", arenas=["bvc"], trust="3")
    add_responses(survey, 4, north, support="no", why="Tider", arenas=["bvc", "school"], trust="2")
    add_responses(survey, 6, south, support="yes", arenas=["school"], trust="3")
    add_responses(survey, 3, south, support="no", why="Språket", trust="1")
    add_responses(survey, 3, south, language="ar", support="no", trust="1")
    return survey


def test_frequencies_hide_small_counts_and_what_would_reveal_them(answered):
    data = analysis.load(answered, "sv")
    support = analysis.question_by_name(answered, "support")
    overall = analysis.frequencies(data, support)
    assert [(label, f.value) for label, f in overall.overall] == [("Ja", 14), ("Nej", 10)]
    by_area = analysis.frequencies(data, support, "area")
    north_yes, _south_yes, other_yes = by_area.table.cells[0]
    north_no, _south_no, _other_no = by_area.table.cells[1]
    assert north_no.reason == "small"  # 4 in the north said no
    assert north_yes.reason == "secondary"  # else 12 answered in the north minus 8 would give the 4 away
    assert other_yes.value == 0  # nobody answered from outside the areas: zero is no one to protect
    true = [[8, 6, 0], [4, 6, 0]]
    for row, values in zip(by_area.table.cells, true, strict=True):
        assert all(f.hidden or f.value == v for f, v in zip(row, values, strict=True))
    # No row or column with a shown total has exactly one hidden figure.
    for row, total in zip(by_area.table.cells, by_area.table.row_totals, strict=True):
        assert sum(f.hidden for f in [*row, total]) != 1


def test_a_language_group_under_the_minimum_is_hidden_in_every_figure(answered):
    data = analysis.load(answered, "sv")
    by_language = analysis.frequencies(data, analysis.question_by_name(answered, "trust"), "language")
    arabic = [row[1] for row in by_language.table.cells]
    assert all(f.hidden for f in arabic)
    assert by_language.table.column_totals[1].reason == "small"


def test_a_crosstab_of_two_questions(answered):
    data = analysis.load(answered, "sv")
    table = analysis.crosstab(
        data, analysis.question_by_name(answered, "support"), analysis.question_by_name(answered, "trust")
    )
    assert table.options == ["Ja", "Nej"]
    assert [g.key for g in table.groups] == ["1", "2", "3", "4"]
    assert table.table.total.value == 24
    assert table.table.cells[1][1].reason == "small"  # four said no and trust "2"
    true = [[0, 0, 14, 0], [6, 4, 0, 0]]
    for row, values in zip(table.table.cells, true, strict=True):
        assert all(f.hidden or f.value == v for f, v in zip(row, values, strict=True))


def test_exports_carry_the_same_suppression(client, world, answered):
    client.force_login(world.users[Role.VIEWER])
    response = client.get(f"/en/staff/surveys/rounds/{answered.pk}/analysis.csv?by=area")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    support = rows[rows.index(["support"]) + 1 : rows.index(["support"]) + 5]
    assert support[0][:2] == ["Får du stöd?", "Norra"]
    assert support[2][1] == "fewer than 5"  # 4 in the north said no
    assert not any(cell == "4" for row in support for cell in row)
    xlsx = client.get(f"/en/staff/surveys/rounds/{answered.pk}/analysis.xlsx?by=language")
    book = load_workbook(io.BytesIO(xlsx.content))
    values = [c for row in book["trust"].iter_rows(values_only=True) for c in row]
    assert "fewer than 5" in values
    assert 3 not in values


def test_the_analysis_page_shows_charts_and_tables_in_a_bounded_number_of_queries(
    client, world, answered, django_assert_max_num_queries
):
    client.force_login(world.users[Role.VIEWER])
    with django_assert_max_num_queries(25):
        response = client.get(f"/en/staff/surveys/rounds/{answered.pk}/analysis/?by=area&row=support&column=trust")
    html = response.content.decode()
    assert html.count("<svg") == 3  # one per question with answers to count (no themes, no numbers yet)
    assert "fewer than 5" in html
    assert "Cross-tabulation" in html


def test_a_round_with_too_few_answers_says_so(client, world):
    survey = make_round(world.home)
    add_responses(survey, 2, None, support="yes")
    client.force_login(world.users[Role.VIEWER])
    html = client.get(f"/en/staff/surveys/rounds/{survey.pk}/analysis/").content.decode()
    assert "nothing can be shown yet" in html
    assert "Respondents: fewer than 5" in html


def test_staff_code_free_text_into_themes_and_see_them_counted(client, world, answered):
    client.force_login(world.users[Role.EDITOR])
    page = f"/en/staff/surveys/rounds/{answered.pk}/coding/why/"
    assert client.post(page, {"action": "theme", "name": "Tider"}).status_code == 302
    theme = Theme.objects.get()
    html = client.get(page).content.decode()
    ids = [line.split('value="')[1].split('"')[0] for line in html.splitlines() if 'name="response"' in line]
    assert len(ids) == 7
    data = {"action": "code", "response": ids, **{f"themes-{i}": [str(theme.pk)] for i in ids[:5]}}
    assert client.post(page, data).status_code == 302
    data = analysis.load(answered, "sv")
    counted = analysis.frequencies(data, analysis.question_by_name(answered, "why"))
    assert counted.overall[0][1].value == 5
    assert client.get(f"/en/staff/surveys/rounds/{answered.pk}/coding/support/").status_code == 404


def test_a_round_keeps_its_questions_when_the_questionnaire_changes(client, world, answered):
    questionnaire = answered.version.questionnaire
    client.force_login(world.users[Role.EDITOR])
    response = client.post(
        f"/en/staff/surveys/questionnaires/{questionnaire.pk}/questions/kids/action/", {"action": "delete"}
    )
    assert response.status_code == 302
    assert questionnaire.versions.count() == 2
    answered.refresh_from_db()
    assert "kids" in [q["name"] for q in answered.version.questions]
    assert "kids" not in [q["name"] for q in services.current_version(questionnaire).questions]
    # A second change goes into the new version while no round uses it.
    client.post(f"/en/staff/surveys/questionnaires/{questionnaire.pk}/questions/trust/action/", {"action": "up"})
    assert questionnaire.versions.count() == 2


def test_staff_build_a_question_in_two_languages(client, world):
    survey = make_round(world.home)
    questionnaire = survey.version.questionnaire
    client.force_login(world.users[Role.EDITOR])
    page = f"/en/staff/surveys/questionnaires/{questionnaire.pk}/questions/new/"
    bad = client.post(page, {"name": "support", "kind": "select_one", "label_sv": "Dubblett"})
    assert bad.status_code == 400
    assert "already has this short name" in bad.content.decode()
    assert 'value="Dubblett"' in bad.content.decode()
    good = client.post(
        page,
        {
            "name": "help",
            "kind": "select_one",
            "label_sv": "Vill du ha hjälp?",
            "label_ar": "هل تريد المساعدة؟",
            "choices_sv": "yes = Ja\nno = Nej",
            "choices_ar": "نعم\nلا",
            "relevant": "${support} = 'no'",
        },
    )
    assert good.status_code == 302
    question = services.current_version(questionnaire).questions[-1]
    assert question["choices"][1] == {"name": "no", "label": {"sv": "Nej", "ar": "لا"}}
    assert question["relevant"] == {"question": "support", "operator": "=", "value": "no"}
    edit = client.get(f"/en/staff/surveys/questionnaires/{questionnaire.pk}/questions/help/")
    assert "yes = Ja" in edit.content.decode()


def test_the_county_board_reads_a_municipalitys_round_but_cannot_code_it(client, world, answered):
    client.force_login(world.users["county_board_viewer"])
    assert client.get(f"/en/staff/surveys/rounds/{answered.pk}/analysis/").status_code == 200
    assert (
        client.post(f"/en/staff/surveys/rounds/{answered.pk}/coding/why/", {"action": "theme", "name": "x"}).status_code
        == 403
    )
