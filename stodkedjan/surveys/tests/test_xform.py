"""The XForm engine: real XLSForms import whole (the public corpus), and their logic is applied on the
parent's page without JavaScript — a skipped question is not stored, a constraint's message is shown with the
typed answer kept, calculations, defaults, read-only, cascading options, groups, notes and the new types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from stodkedjan.surveys import xform, xlsform
from stodkedjan.surveys.models import Response
from stodkedjan.surveys.tests.factories import make_round
from stodkedjan.surveys.tests.test_respond import token_of
from stodkedjan.surveys.tests.test_xlsform import workbook

CORPUS = Path(__file__).parent / "xlsforms"
NOT_QUESTIONS = (xlsform.PRIVACY, xlsform.METADATA, xlsform.LAYOUT)


def test_the_public_corpus_imports_with_at_least_95_percent_of_its_questions():
    """Every form pyxform reads imports, except one whose every question is a privacy type; of the
    questions that are not privacy types, at least 95 % are kept; nothing crashes."""
    kept = total = 0
    refused = {}
    for path in sorted(CORPUS.glob("*.*")):
        if path.suffix not in (".xls", ".xlsx", ".md") or path.name == "SOURCE.md":
            continue
        try:
            definition = xlsform.read_path(path)
        except xlsform.XLSFormRejected as rejected:
            refused[path.name] = rejected.problems
            continue
        kept += len(definition["questions"])
        total += len(definition["questions"]) + sum(
            1 for item in definition["left_out"] if item["reason"] not in NOT_QUESTIONS
        )
    print(
        f"\nXLSForm corpus: {kept} of {total} questions kept ({100 * kept / total:.1f} %); refused: {sorted(refused)}"
    )
    assert kept / total >= 0.95
    assert set(refused) == {
        "gps.xls",  # its one question is a place: nothing is left to ask
        "group_name_test.xls",  # pyxform: a group with no name
        "ifrc-distribution-site-assessment-v1.xlsx",  # pyxform cannot read the file
    }
    assert "Left out: location." in refused["gps.xls"]


def test_privacy_types_are_left_out_with_the_reason_and_the_rest_imports():
    content = workbook(
        [
            ["geopoint", "where", "Var bor du?", "أين", "", "", ""],
            ["image", "photo", "Foto", "صورة", "", "", ""],
            ["start", "started", "", "", "", "", ""],
            ["text", "q", "Vad behöver du?", "ماذا تحتاج؟", "", "", ""],
        ]
    )
    definition = xlsform.read(content, "guide.xlsx")
    assert [q["name"] for q in definition["questions"]] == ["q"]
    assert {(i["name"], i["reason"]) for i in definition["left_out"]} == {
        ("where", "privacy"),
        ("photo", "privacy"),
        ("started", "metadata"),
    }


def test_a_form_without_swedish_takes_its_first_language_and_default_language_is_honoured():
    english = workbook([["text", "q", "Question", "", "", "", ""]], header=["type", "name", "label::English (en)"])
    assert xlsform.read(english, "f.xlsx")["languages"] == ["en"]
    both = workbook(
        [["text", "q", "Fråga", "Question", "", "", ""]],
        header=["type", "name", "label::Svenska (sv)", "label::English (en)"],
    )
    assert xlsform.read(both, "f.xlsx")["languages"] == ["sv", "en"]


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        ("${n} > 2 and selected(${a}, 'y')", {"n": 3, "a": ["x", "y"]}, True),
        ("${n} > 2 or ${t} = 'ja'", {"n": 1, "t": "ja"}, True),
        ("${n} = 1", {"n": 1}, True),
        ("${n} > 2", {}, False),  # an empty answer compared with a number: false, as NaN in ODK
        ("count-selected(${a}) >= 2", {"a": ["x", "y"]}, True),
        ("not(selected(../a, 'z'))", {"a": ["x"]}, True),
        ("if(${n} > 2, 'big', 'small') = 'small'", {"n": 1}, True),
        ("string-length(${t}) > 3", {"t": "abcd"}, True),
        ("regex(${t}, '^[0-9]{3}$')", {"t": "123"}, True),
        ("coalesce(${t}, 'none') = 'none'", {}, True),
    ],
)
def test_conditions_run_as_xpath_over_the_answers(expression, answers, expected):
    names = ["n", "a", "t"]
    root = xform.build([{"name": n} for n in names], answers, {})
    assert xform.truth(xform.to_xpath(expression, names), root, "t") is expected


def test_an_expression_naming_no_question_or_that_cannot_be_read_leaves_only_that_question_out():
    content = workbook(
        [
            ["text", "q", "Fråga", "سؤال", "", "${nothing} = 'x'", ""],
            ["integer", "kids", "Barn", "أطفال", "", "", ""],
        ]
    )
    with pytest.raises(xlsform.XLSFormRejected, match="nothing"):  # pyxform itself refuses an unknown ${…}
        xlsform.read(content, "f.xlsx")
    broken = workbook(
        [
            ["text", "q", "Fråga", "سؤال", "", "1 = = 1", ""],
            ["integer", "kids", "Barn", "أطفال", "", "", ""],
        ]
    )
    definition = xlsform.read(broken, "f.xlsx")
    assert [q["name"] for q in definition["questions"]] == ["kids"]
    assert definition["left_out"][0]["reason"] == xlsform.EXPRESSION


# --- filled through the parent's page, JavaScript off (the test client runs none) --------------------------

LOGIC_HEADER = [
    "type",
    "name",
    "label::Svenska (sv)",
    "label::Arabic (ar)",
    "required",
    "relevant",
    "appearance",
    "constraint",
    "constraint_message::Svenska (sv)",
    "calculation",
    "default",
    "read_only",
    "choice_filter",
    "required_message::Svenska (sv)",
]


def logic_form() -> bytes:
    def row(kind, name, label, **extra):
        values = {"required": "", "relevant": "", "appearance": "", "constraint": "", "constraint_message": ""}
        values |= {"calculation": "", "default": "", "read_only": "", "choice_filter": "", "required_message": ""}
        values |= extra
        return [kind, name, label, label, *values.values()]

    return workbook(
        [
            row(
                "integer",
                "kids",
                "Hur många barn har du?",
                required="yes",
                constraint=". >= 1 and . <= 15",
                constraint_message="Skriv ett tal mellan 1 och 15.",
                required_message="Vi behöver antalet barn.",
            ),
            row("calculate", "many", "", calculation="if(${kids} > 2, 'ja', 'nej')"),
            row("note", "told", "Du har ${kids} barn."),
            row("begin_group", "teens", "Om tonåringar", relevant="${kids} > 2"),
            row("text", "teen_worry", "Vad oroar dig?", relevant="${many} = 'ja'"),
            row("end_group", "", ""),
            row("select_one county", "county", "Län"),
            row("select_one town", "town", "Kommun", choice_filter="county = ${county}"),
            row("decimal", "hours", "Timmar i veckan", default="2.5"),
            row("date", "since", "Sedan när?"),
            row("acknowledge", "ok", "Jag har läst"),
            row("range", "score", "Hur nöjd är du?"),
        ],
        choices=[
            ("county", "ab", "Stockholms län", "ستوكهولم"),
            ("county", "m", "Skåne län", "سكونه"),
            ("town", "botkyrka", "Botkyrka", "بوتشيركا", "ab"),
            ("town", "malmo", "Malmö", "مالمو", "m"),
        ],
        header=LOGIC_HEADER,
        choice_header=["list_name", "name", "label::Svenska (sv)", "label::Arabic (ar)", "county"],
    )


@pytest.fixture
def logic_round(world):
    definition = xlsform.read(logic_form(), "logik.xlsx")
    return make_round(world.home, definition=definition)


def post(client, survey_round, **answers):
    page = client.get(f"/sv/survey/{survey_round.link_key}/").content.decode()
    token = token_of(page)
    area = survey_round.areas.order_by("code").first()
    data = {"token": token, "area": area.code, **{f"q-{k}": v for k, v in answers.items()}}
    return client.post(f"/sv/survey/{survey_round.link_key}/", data)


def test_a_constraint_message_is_shown_and_the_typed_answer_kept(client, logic_round):
    response = post(client, logic_round, kids="40", county="ab")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv ett tal mellan 1 och 15." in html
    assert 'value="40"' in html
    assert not Response.objects.exists()
    missing = post(client, logic_round, county="ab").content.decode()
    assert "Vi behöver antalet barn." in missing


def test_a_skipped_group_is_not_stored_and_a_calculation_drives_a_condition(client, logic_round):
    assert post(client, logic_round, kids="1", teen_worry="Skolan", county="ab").status_code == 302
    stored = Response.objects.get().answers
    assert "teen_worry" not in stored, "the group is not relevant for one child"
    assert "many" not in stored, "a calculation is used, never stored"
    Response.objects.all().delete()
    assert post(client, logic_round, kids="3", teen_worry="Skolan", county="ab").status_code == 302
    assert Response.objects.get().answers["teen_worry"] == "Skolan"


def test_cascading_options_a_default_new_types_and_a_note_with_the_answer(client, logic_round):
    page = client.get(f"/sv/survey/{logic_round.link_key}/").content.decode()
    assert 'value="2.5"' in page or 'value="2,5"' in page, "the default is filled in"
    assert 'type="date"' in page
    wrong_town = post(client, logic_round, kids="2", county="ab", town="malmo")
    assert wrong_town.status_code == 400, "Malmö is not in Stockholms län"
    assert 'id="id_q-town_error"' in wrong_town.content.decode()
    filtered = wrong_town.content.decode()
    assert "Botkyrka" in filtered
    assert "Malmö</label>" not in filtered, "the options follow the county chosen"
    assert "Du har 2 barn." in filtered, "a note shows the answer it names"
    done = post(
        client, logic_round, kids="2", county="ab", town="botkyrka", since="2026-03-01", ok="on", score="4", hours="2,5"
    )
    assert done.status_code == 302
    stored = Response.objects.get().answers
    assert stored["town"] == "botkyrka"
    assert stored["since"] == "2026-03-01"
    assert stored["ok"] == "OK"
    assert stored["score"] == 4
    assert stored["hours"] == 2.5


@pytest.mark.parametrize("layout", ["single", "paged"])
def test_every_corpus_form_can_be_opened_and_sent_by_a_parent(client, world, layout):
    """Each importable public form becomes a round whose page opens and whose empty answer is either stored
    or refused with the questions to answer — never a server error — in both layouts."""
    opened = 0
    for path in sorted(CORPUS.glob("*.*")):
        if path.suffix not in (".xls", ".xlsx", ".md") or path.name == "SOURCE.md":
            continue
        try:
            definition = xlsform.read_path(path)
        except xlsform.XLSFormRejected:
            continue
        survey_round = make_round(world.home, definition=definition, layout=layout, languages=["sv"])
        page = client.get(f"/sv/survey/{survey_round.link_key}/")
        assert page.status_code == 200, path.name
        token = token_of(page.content.decode())
        area = survey_round.areas.order_by("code").first()
        sent = client.post(f"/sv/survey/{survey_round.link_key}/", {"token": token, "area": area.code})
        assert sent.status_code in (200, 302, 400), path.name
        opened += 1
    assert opened == 31


def test_a_ranking_is_stored_in_order_and_an_option_twice_is_refused(client, world):
    content = workbook(
        [["rank important", "priority", "Vad är viktigast?", "ما الأهم؟", "", "", ""]],
        choices=[
            ("important", "school", "Skolan", "المدرسة"),
            ("important", "leisure", "Fritiden", "وقت الفراغ"),
            ("important", "friends", "Vännerna", "الأصدقاء"),
        ],
    )
    survey_round = make_round(world.home, definition=xlsform.read(content, "rank.xlsx"))
    page = client.get(f"/sv/survey/{survey_round.link_key}/").content.decode()
    assert '<label for="id_q-priority_0">Plats 1</label>' in page
    twice = post(client, survey_round, priority_0="school", priority_1="school")
    assert twice.status_code == 400
    assert post(client, survey_round, priority_0="friends", priority_1="school").status_code == 302
    assert Response.objects.get().answers["priority"] == ["friends", "school"]


def test_one_question_per_screen_follows_an_xpath_condition_without_javascript(client, world):
    content = workbook(
        [
            ["integer", "kids", "Hur många barn?", "كم طفلا؟", "", "", ""],
            ["text", "teens", "Om tonåringarna", "عن المراهقين", "", "${kids} >= 2 and ${kids} < 10", ""],
            ["text", "last", "Något mer?", "شيء آخر؟", "", "", ""],
        ]
    )
    survey_round = make_round(world.home, definition=xlsform.read(content, "paged.xlsx"), layout="paged")
    link = f"/sv/survey/{survey_round.link_key}/"
    token = token_of(client.get(link).content.decode())
    area = survey_round.areas.order_by("code").first().code
    after_area = client.post(link, {"token": token, "area": area, "screen": "start"}).content.decode()
    assert 'name="q-kids"' in after_area
    one_child = client.post(link, {"token": token, "area": area, "screen": "kids", "q-kids": "1"}).content.decode()
    assert 'name="q-last"' in one_child, "one child: the teenagers' question is skipped"
    two = client.post(link, {"token": token, "area": area, "screen": "kids", "q-kids": "2"}).content.decode()
    assert 'name="q-teens"' in two


def test_the_analysis_reads_dates_by_month_decimals_as_numbers_and_a_ranking_by_its_first_place(world):
    from stodkedjan.surveys import analysis
    from stodkedjan.surveys.tests.factories import add_responses

    content = workbook(
        [
            ["date", "since", "Sedan när?", "منذ متى؟", "", "", ""],
            ["decimal", "hours", "Timmar", "ساعات", "", "", ""],
            ["rank important", "priority", "Viktigast?", "الأهم؟", "", "", ""],
        ],
        choices=[("important", "school", "Skolan", "المدرسة"), ("important", "leisure", "Fritiden", "وقت الفراغ")],
    )
    survey_round = make_round(world.home, definition=xlsform.read(content, "a.xlsx"))
    add_responses(survey_round, 6, since="2026-03-14", hours=1.5, priority=["school", "leisure"])
    add_responses(survey_round, 5, since="2026-04-02", hours=7.25, priority=["leisure", "school"])
    add_responses(survey_round, 1, since="2026-05-30", hours=3, priority=["leisure", "school"])
    data = analysis.load(survey_round, "sv")
    questions = {q["name"]: q for q in survey_round.version.questions}

    with translation.override("sv"):
        months, hours, ranked = (analysis.frequencies(data, questions[n]) for n in ("since", "hours", "priority"))
    assert months.options == ["mars 2026", "april 2026", "maj 2026"]
    # One answer in May is hidden, and April with it: else May could be worked out from the total.
    assert [row[0].value for row in months.table.cells] == [6, None, None]

    assert hours.options[0].startswith("1,5–")
    assert hours.table.cells[0][0].value == 6

    assert ranked.label == "Viktigast? (satt först)"
    assert [row[0].value for row in ranked.table.cells] == [6, 6]


def test_a_field_list_group_is_one_screen_and_or_other_asks_for_the_other(client, world):
    header = ["type", "name", "label::Svenska (sv)", "label::Arabic (ar)", "required", "relevant", "appearance"]
    content = workbook(
        [
            ["begin_group", "home", "Hemma", "في البيت", "", "", "field-list"],
            ["integer", "adults", "Vuxna", "بالغون", "", "", ""],
            ["integer", "kids", "Barn", "أطفال", "", "", ""],
            ["end_group", "", "", "", "", "", ""],
            ["select_one yn or_other", "help", "Hjälp?", "مساعدة؟", "", "", ""],
        ],
        header=header,
    )
    definition = xlsform.read(content, "fl.xlsx")
    assert [c["name"] for c in definition["questions"][2]["choices"]] == ["yes", "no", "other"]
    survey_round = make_round(world.home, definition=definition, layout="paged")
    link = f"/sv/survey/{survey_round.link_key}/"
    token = token_of(client.get(link).content.decode())
    area = survey_round.areas.order_by("code").first().code
    home = client.post(link, {"token": token, "area": area, "screen": "start"}).content.decode()
    assert 'name="q-adults"' in home
    assert 'name="q-kids"' in home, "both questions of the field-list group on one screen"
    data = {"token": token, "area": area, "q-adults": "2", "q-kids": "3"}
    after = client.post(link, {**data, "screen": "adults"}).content.decode()
    assert 'name="q-help"' in after
    other = client.post(link, {**data, "screen": "help", "q-help": "other"}).content.decode()
    assert 'name="q-help_other"' in other, "choosing 'other' asks what"
    done = client.post(link, {**data, "q-help": "other", "screen": "help_other", "q-help_other": "Grannar"})
    assert done.status_code == 302
    assert Response.objects.get().answers == {"adults": 2, "kids": 3, "help": "other", "help_other": "Grannar"}


def test_a_read_only_question_shows_its_value_and_takes_nothing_typed(client, world):
    header = ["type", "name", "label::Svenska (sv)", "label::Arabic (ar)", "read_only", "default"]
    content = workbook(
        [["text", "code", "Kod", "رمز", "yes", "A1"], ["text", "q", "Fråga", "سؤال", "", ""]], header=header
    )
    survey_round = make_round(world.home, definition=xlsform.read(content, "ro.xlsx"))
    page = client.get(f"/sv/survey/{survey_round.link_key}/").content.decode()
    assert re.search(r'name="q-code"[^>]*disabled|disabled[^>]*name="q-code"', page)
    assert post(client, survey_round, code="Ändrat", q="Svar").status_code == 302
    assert Response.objects.get().answers == {"code": "A1", "q": "Svar"}


def test_a_questionnaire_in_a_language_the_site_is_not_shown_in_is_asked_in_it(client, world):
    content = workbook(
        [["text", "q", "Qu'est-ce qui vous aiderait ?", "", "", "", ""]], header=["type", "name", "label::Français"]
    )
    definition = xlsform.read(content, "fr.xlsx")
    assert definition["languages"] == ["fr"]
    survey_round = make_round(world.home, definition=definition, languages=["fr"])
    link = f"/sv/survey/{survey_round.link_key}/"
    chooser = client.get(link).content.decode()
    assert 'href="?lang=fr" lang="fr"' in chooser
    assert "français" in chooser
    page = client.get(link + "?lang=fr").content.decode()
    assert '<div lang="fr" dir="ltr">' in page
    assert "Qu&#x27;est-ce qui vous aiderait ?" in page
    token = token_of(page)
    area = survey_round.areas.order_by("code").first().code
    sent = client.post(link + "?lang=fr", {"token": token, "area": area, "q-q": "Du temps"})
    assert sent.status_code == 302
    assert Response.objects.get().language == "fr"


def test_a_round_can_be_asked_in_the_questionnaires_own_languages(client, world):
    from stodkedjan.accounts.models import Role

    content = workbook(
        [["text", "q", "Fråga", "Question", "", "", ""]],
        header=["type", "name", "label::Svenska (sv)", "label::Français"],
    )
    survey_round = make_round(world.home, definition=xlsform.read(content, "svfr.xlsx"))
    client.force_login(world.users[Role.EDITOR])
    page = client.get(f"/sv/staff/surveys/rounds/{survey_round.pk}/edit/").content.decode()
    assert 'value="fr"' in page


REPEAT_HEADER = ["type", "name", "label::Svenska (sv)", "label::Arabic (ar)", "constraint", "repeat_count"]


def test_a_repeat_grows_by_add_another_and_each_instance_is_checked_and_stored(client, world):
    content = workbook(
        [
            ["begin_repeat", "child", "Barn", "طفل", "", ""],
            ["integer", "age", "Ålder", "العمر", ". < 18", ""],
            ["text", "school", "Skola", "مدرسة", "", ""],
            ["end_repeat", "", "", "", "", ""],
        ],
        header=REPEAT_HEADER,
    )
    definition = xlsform.read(content, "rep.xlsx")
    assert definition["repeats"] == [{"name": "child", "label": {"sv": "Barn", "ar": "طفل"}, "count": ""}]
    survey_round = make_round(world.home, definition=definition)
    link = f"/sv/survey/{survey_round.link_key}/"
    page = client.get(link).content.decode()
    token = token_of(page)
    assert 'name="q-age__1"' in page
    assert "Lägg till en till: Barn" in page
    area = survey_round.areas.order_by("code").first().code
    base = {"token": token, "area": area, "q-age__1": "4", "q-school__1": "Förskolan"}
    more = client.post(link, {**base, "repeat-child": "1", "add": "child"}).content.decode()
    assert 'name="q-age__2"' in more, "one more child"
    assert "Förskolan</textarea>" in more, "what was typed stays"
    assert not Response.objects.exists()
    wrong = client.post(link, {**base, "repeat-child": "2", "q-age__2": "30"})
    assert wrong.status_code == 400
    assert 'id="id_q-age__2_error"' in wrong.content.decode()
    done = client.post(link, {**base, "repeat-child": "2", "q-age__2": "9", "q-school__2": "Alby skola"})
    assert done.status_code == 302
    assert Response.objects.get().answers == {"age": [4, 9], "school": ["Förskolan", "Alby skola"]}


def test_a_repeat_count_asks_as_many_times_as_an_earlier_answer_says(client, world):
    content = workbook(
        [
            ["integer", "kids", "Hur många barn?", "كم طفلا؟", "", ""],
            ["begin_repeat", "child", "Barn", "طفل", "", "${kids}"],
            ["integer", "age", "Ålder", "العمر", "", ""],
            ["end_repeat", "", "", "", "", ""],
        ],
        header=REPEAT_HEADER,
    )
    survey_round = make_round(world.home, definition=xlsform.read(content, "count.xlsx"), layout="paged")
    link = f"/sv/survey/{survey_round.link_key}/"
    token = token_of(client.get(link).content.decode())
    area = survey_round.areas.order_by("code").first().code
    ages = client.post(link, {"token": token, "area": area, "screen": "kids", "q-kids": "3"}).content.decode()
    assert [f'name="q-age__{i}"' in ages for i in (1, 2, 3, 4)] == [True, True, True, False]
    assert "Lägg till en till" not in ages, "the count is the form's, not the respondent's"
    data = {"token": token, "area": area, "q-kids": "3", "q-age__1": "1", "q-age__2": "5", "q-age__3": "12"}
    assert client.post(link, {**data, "screen": "age"}).status_code == 302
    assert Response.objects.get().answers == {"kids": 3, "age": [1, 5, 12]}


def test_the_analysis_counts_each_instance_of_a_repeated_question(world):
    from stodkedjan.surveys import analysis
    from stodkedjan.surveys.tests.factories import add_responses

    content = workbook(
        [
            ["begin_repeat", "child", "Barn", "طفل", "", ""],
            ["integer", "age", "Ålder", "العمر", "", ""],
            ["end_repeat", "", "", "", "", ""],
        ],
        header=REPEAT_HEADER,
    )
    survey_round = make_round(world.home, definition=xlsform.read(content, "rep.xlsx"))
    add_responses(survey_round, 6, age=[4, 9])
    add_responses(survey_round, 6, age=[4, None])
    data = analysis.load(survey_round, "sv")
    ages = analysis.frequencies(data, survey_round.version.questions[0])
    assert ages.options == ["4", "9"]
    assert [row[0].value for row in ages.table.cells] == [12, 6], "respondents with a child of that age"


def test_odk_functions_over_a_repeat_sum_count_position_and_round():
    questions = [
        {"name": "n", "kind": "decimal", "label": {}},
        {"name": "age", "kind": "integer", "label": {}, "repeat": "kid"},
    ]
    repeat_of = {"age": "kid", "idx": "kid"}
    index = xform.to_xpath("position(..)", ["n", "age"], repeat_of, "kid")
    questions.append({"name": "idx", "kind": "calculate", "label": {}, "repeat": "kid", "calculation": index})
    root = xform.build(questions, {"n": 2.346, "age": [3, 5]}, {"kid": 2})

    def value(expression: str) -> str:
        return xform.value(xform.to_xpath(expression, ["n", "age"], repeat_of), root, "n")

    assert value("sum(${age})") == "8"
    assert value("count-non-empty(${age})") == "2"
    assert value("round(${n}, 2)") == "2.35"
    result = xform.evaluate(questions, {"n": 2.3, "age": [3, 5]}, [{"name": "kid", "count": ""}], {"kid": 2})
    assert result.values["idx"] == ["1", "2"]
