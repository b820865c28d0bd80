import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from stodkedjan.accounts.models import Role
from stodkedjan.surveys import xlsform
from stodkedjan.surveys.models import Questionnaire

DEMO_GUIDE = Path(__file__).parents[2] / "demo" / "data" / "intervjuguide_foraldrar.md"
SURVEY_HEADER = ["type", "name", "label::Svenska (sv)", "label::Arabic (ar)", "required", "relevant", "appearance"]


def workbook(rows, choices=None, header=SURVEY_HEADER, choice_header=None) -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(header)
    for row in rows:
        survey.append(row)
    sheet = book.create_sheet("choices")
    sheet.append(choice_header or ["list_name", "name", "label::Svenska (sv)", "label::Arabic (ar)"])
    for row in choices or [("yn", "yes", "Ja", "نعم"), ("yn", "no", "Nej", "لا")]:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsform_becomes_questions_with_languages_skip_logic_and_scales():
    content = workbook(
        [
            ["select_one yn", "support", "Får du stöd?", "هل تحصل على دعم؟", "yes", "", ""],
            ["text", "why", "Varför inte?", "لماذا لا؟", "", "${support} = 'no'", ""],
            ["integer", "kids", "Antal barn", "عدد الأطفال", "", "", ""],
            ["select_multiple yn", "both", "Båda?", "كلاهما؟", "", "selected(${support}, 'yes')", ""],
            ["select_one yn", "scale", "Skala", "مقياس", "", "", "likert"],
        ]
    )
    definition = xlsform.read(content, "guide.xlsx")
    assert definition["languages"] == ["sv", "ar"]
    questions = {q["name"]: q for q in definition["questions"]}
    assert questions["support"]["required"] is True
    assert questions["support"]["label"] == {"sv": "Får du stöd?", "ar": "هل تحصل على دعم؟"}
    assert questions["support"]["choices"][1]["label"]["ar"] == "لا"
    assert questions["why"]["relevant"] == {"question": "support", "operator": "=", "value": "no"}
    assert questions["both"]["kind"] == "select_multiple"
    assert questions["both"]["relevant"]["operator"] == "selected"
    assert questions["kids"]["kind"] == "integer"
    assert questions["scale"]["kind"] == "likert"


def test_the_demo_interview_guide_reads_in_three_languages():
    definition = xlsform.read_path(DEMO_GUIDE)
    assert definition["languages"] == ["sv", "ar", "so"]
    assert len(definition["questions"]) == 7
    assert all(set(q["label"]) == {"sv", "ar", "so"} for q in definition["questions"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["selct_one yn", "q", "Fråga", "سؤال", "", "", ""]], "Unknown question type"),
        ([["select_one missing", "q", "Fråga", "سؤال", "", "", ""]], "missing"),
        ([["geopoint", "where", "Var?", "أين", "", "", ""]], "left out: where"),  # every question a privacy type
        ([["text", "q", "Fråga", "سؤال", "", "${nothing} = 'x'", ""]], "Row 2: On the 'survey' sheet"),
    ],
)
def test_a_form_with_errors_is_refused_in_plain_words(rows, expected):
    with pytest.raises(xlsform.XLSFormRejected) as rejected:
        xlsform.read(workbook(rows), "guide.xlsx")
    assert expected.lower() in " ".join(rejected.value.problems).lower()


@pytest.mark.parametrize(
    ("column", "code"),
    [
        ("label::Klingon", "tlh"),
        ("label::English", "en"),
        ("label::en", "en"),
        ("label::EN", "en"),
        ("label::Français", "fr"),
        ("label::chinese", "zh"),
        ("label::Swahili", "sw"),
        ("label::Tetun", "tet"),
        ("label::العربية", "ar"),
        ("label::Soomaali", "so"),
        ("label::English (en)", "en"),
        ("label::Elvish of the woods", "x-elvishof"),
    ],
)
def test_languages_are_read_as_xlsform_writes_them(column, code):
    content = workbook(
        [["text", "q", "Fråga", "x", "", "", ""]],
        header=["type", "name", "label::Svenska (sv)", column, "required", "relevant", "appearance"],
    )
    assert xlsform.read(content, "guide.xlsx")["languages"] == ["sv", code]


@pytest.mark.parametrize(
    ("content", "name"), [(b"not a workbook", "guide.xlsx"), (b"", "guide.xlsx"), (b"x", "guide.pdf")]
)
def test_damaged_empty_and_foreign_files_are_refused(content, name):
    with pytest.raises(xlsform.XLSFormRejected):
        xlsform.read(content, name)


def test_staff_import_shows_every_problem_and_creates_nothing(client, world):
    client.force_login(world.users[Role.EDITOR])
    content = workbook([["selct_one yn", "q", "Fråga", "سؤال", "", "", ""]])
    upload = io.BytesIO(content)
    upload.name = "guide.xlsx"
    response = client.post(f"/en/staff/{world.home.slug}/surveys/import/", {"file": upload, "title": "X"})
    assert response.status_code == 400
    assert "Unknown question type" in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_staff_import_shows_what_will_be_asked_and_saves_only_when_confirmed(client, world):
    client.force_login(world.users[Role.EDITOR])
    rows = [
        ["select_one yn", "support", "Får du stöd?", "هل", "yes", "", ""],
        ["geopoint", "where", "Var?", "أين", "", "", ""],
        ["text", "why", "Varför?", "لماذا", "", "${support} = 'no' or ${support} = ''", ""],
    ]
    upload = io.BytesIO(workbook(rows))
    upload.name = "guide.xlsx"
    preview = client.post(f"/en/staff/{world.home.slug}/surveys/import/", {"file": upload, "title": "Guide"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "2 questions will be asked" in html
    assert "Would identify a parent, a device or a place: never asked." in html
    assert "${support} = &#x27;no&#x27; or ${support} = &#x27;&#x27;" in html, "the condition as its author wrote it"
    assert not Questionnaire.objects.exists(), "nothing is saved by the preview"
    signed = re.search(r'name="preview" value="([^"]+)"', html).group(1)
    tampered = client.post(
        f"/en/staff/{world.home.slug}/surveys/import/",
        {"preview": signed[:-2] + ("yy" if signed.endswith("xx") else "xx")},
    )
    assert tampered.status_code == 400
    assert not Questionnaire.objects.exists()
    response = client.post(f"/en/staff/{world.home.slug}/surveys/import/", {"preview": signed})
    assert response.status_code == 302
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.title == "Guide"
    assert questionnaire.versions.get().source == "guide.xlsx"
    page = client.get(response["Location"]).content.decode()
    assert "1 row is left out" in page
