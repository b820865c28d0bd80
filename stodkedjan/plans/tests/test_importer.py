"""The importer reads messy plans as a person would, and refuses what is not a plan, saying where and why."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from stodkedjan.plans import importer, reports
from stodkedjan.plans.models import ActionPlan, Activity, PlanImport
from stodkedjan.plans.services import import_strategy, save_imported_plan
from stodkedjan.plans.tables import PlanRejected

CORPUS = Path(__file__).parent / "corpus"


def parse(name: str, strategy: Any = None) -> dict[str, Any]:
    return importer.parse_plan(name, (CORPUS / name).read_bytes(), strategy)


def problems(name: str, content: bytes | None = None, strategy: Any = None) -> list[dict[str, Any]]:
    with pytest.raises(PlanRejected) as rejected:
        importer.parse_plan(name, (CORPUS / name).read_bytes() if content is None else content, strategy)
    return [p.as_dict() for p in rejected.value.problems]


def activities(parsed: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for p in parsed["priorities"] for i in p["items"] for a in i["activities"]]


def test_word_plan_with_merged_cells_repeated_headers_and_continuation_rows() -> None:
    plan = parse("district_plan.docx")
    assert plan["title"] == "Handlingsplan för föräldraskapsstöd Skärholmen 2019–2022"
    assert (plan["period_start"], plan["period_end"]) == (2019, 2022)
    assert [p["label"] for p in plan["priorities"]] == [
        "1. Föräldrar ska få stöd tidigt",
        "2. Stödet ska nå alla föräldrar",
    ]
    first_item = plan["priorities"][0]["items"][0]
    assert first_item["goals"] == "Fler föräldrar känner till stödet\nTrygga föräldrar ger trygga barn"
    assert len(plan["priorities"][0]["items"]) == 1  # the merged focus area holds three rows
    rows = activities(plan)
    assert len(rows) == 5
    assert rows[0]["methods"] == "Föräldraträffar på förskolor med tolk\n• Två träffar per termin"
    assert rows[0]["responsible"] == ["Enhetschef förebyggande", "Föreningssamordnare", "Förskolechef"]
    assert rows[0]["follow_up"] == ["T1", "T2", "VB"]
    assert (rows[2]["timeframe_start"], rows[2]["timeframe_end"], rows[2]["timeframe_note"]) == (2019, 2021, "löpande")
    # The row that only names another responsible role belongs to the row above.
    assert rows[3]["responsible"] == ["Fältassistenter", "Områdessamordnare", "Socialsekreterare"]
    assert (rows[4]["timeframe_start"], rows[4]["timeframe_note"]) == (None, "Löpande")
    assert rows[3]["source"] == "Table 1, row 7"


def test_spreadsheet_copied_from_the_web_loses_its_html_and_keeps_its_title() -> None:
    plan = parse("copied_from_web.xlsx")
    assert plan["title"] == "Handlingsplan föräldraskapsstöd 2023-2024"
    assert plan["priorities"][0]["label"] == "1. Föräldrar ska få stöd tidigt"
    first = activities(plan)[0]
    assert first["methods"] == "ICDP-grupper\npå arabiska och somaliska"
    assert first["responsible"] == ["Familjebehandlare", "BVC-sjuksköterska", "Enhetschef"]
    assert plan["priorities"][0]["items"][0]["goals"] == "Fler familjer nås före skolstart"
    assert activities(plan)[1]["responsible"] == ["Kommunikatör", "Enhetschef"]


def test_excel_csv_with_semicolons_in_windows_1252_and_tsv_with_annotated_header() -> None:
    csv_plan = parse("semicolons_cp1252.csv")
    assert [a["methods"] for a in activities(csv_plan)] == ["Föräldracafé\nvarje vecka", "Språkcafé för föräldrar"]
    assert activities(csv_plan)[0]["follow_up"] == ["T1", "VB"]
    tsv_plan = parse("tabs.tsv")
    assert activities(tsv_plan)[0]["follow_up"] == ["T2"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nested_table.docx", {"table": "Table 1", "row": 2, "message": "A table sits inside a cell"}),
        ("unknown_columns.csv", {"table": "Table 1", "row": 1, "column": "Budget (kr)", "message": "Unknown column"}),
        ("not_a_plan.docx", {"message": "The document has no table"}),
        ("offerings.xlsx", {"message": "This does not look like a plan"}),
    ],
)
def test_what_is_not_a_plan_is_refused_with_where_and_why(name: str, expected: dict[str, Any]) -> None:
    [problem] = problems(name)
    message = expected.pop("message")
    assert problem["message"].startswith(message)
    assert {k: problem[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.docx", b"", "The file is empty."),
        ("plan.xlsx", b"PK\x03\x04" + b"x" * 20_000_000, "The file is 20.0 MB"),
        ("plan.xlsx", b"this is not a zip file", "The file is not a XLSX file"),
        ("plan.pdf", b"%PDF-1.4", "A plan can be imported from"),
    ],
)
def test_empty_huge_damaged_and_foreign_files_are_refused(name: str, content: bytes, message: str) -> None:
    [problem] = problems(name, content)
    assert problem["message"].startswith(message)


def test_every_problem_is_reported_with_its_row_and_column() -> None:
    content = (
        "Prioriterad utgångspunkt;Område;Mål och nytta;Metoder och arbetssätt;Ansvarig;Tidsplan;Uppföljning\n"
        "1. Tidigt;Förskola;Mål;Föräldraträffar;Chef;2024;varje månad\n"
        ";;;Språkcafé;Chef;2000-2030;VB\n"
    ).encode()
    found = problems("plan.csv", content)
    assert [(p["row"], p["column"]) for p in found] == [(2, "Uppföljning"), (3, "Tidsplan")]
    assert "varje månad" in found[0]["message"]


@pytest.mark.django_db
def test_priorities_are_matched_to_the_strategy_by_number_or_words(world: Any) -> None:
    strategy = import_strategy(
        world.home, "s", "Strategi", 2019, 2022, ["Föräldrar ska få stöd tidigt", "Stödet ska nå alla föräldrar"]
    )
    plan = parse("district_plan.docx", strategy)
    assert [p["priority_id"] for p in plan["priorities"]] == list(strategy.priorities.values_list("pk", flat=True))
    other = import_strategy(world.home, "t", "Annan strategi", 2019, 2022, ["Något helt annat"])
    found = problems("district_plan.docx", strategy=other)
    assert found[0]["column"] == "Prioriterad utgångspunkt"
    assert "is not one of the priorities of Annan strategi" in found[0]["message"]


@pytest.mark.django_db
def test_import_plan_command_saves_all_or_nothing(world: Any) -> None:
    out = io.StringIO()
    call_command("import_plan", str(CORPUS / "district_plan.docx"), organisation="botkyrka", stdout=out)
    assert "with 5 activities" in out.getvalue()
    assert Activity.objects.filter(item__plan__organisation=world.home).count() == 5
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_plan", str(CORPUS / "unknown_columns.csv"), organisation="botkyrka", stderr=io.StringIO())
    assert ActionPlan.objects.count() == 1


@pytest.mark.django_db
def test_a_plan_exported_to_xlsx_imports_back_the_same(world: Any) -> None:
    batch = PlanImport.objects.create(
        organisation=world.home, filename="district_plan.docx", parsed=parse("district_plan.docx")
    )
    plan = save_imported_plan(batch, None)
    exported = importer.parse_plan("export.xlsx", reports.plan_to_xlsx(plan))

    def shape(parsed: dict[str, Any]) -> list[Any]:
        return [
            (
                p["label"],
                i["focus_area"],
                i["goals"],
                [(a["methods"], a["responsible"], a["follow_up"]) for a in i["activities"]],
            )
            for p in parsed["priorities"]
            for i in p["items"]
        ]

    assert shape(exported) == shape(batch.parsed)
    assert [(a["timeframe_start"], a["timeframe_end"]) for a in activities(exported)] == [
        (a["timeframe_start"], a["timeframe_end"]) for a in activities(batch.parsed)
    ]


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("<p>Föräldra<i>träffar</i></p><p>varje&nbsp;vecka</p>", "Föräldraträffar\nvarje vecka"),
        ("Förenings-\nsamordnare", "Föreningssamordnare"),
        ("Förenings-samordnare", "Föreningssamordnare"),
        ("BVC-sjuksköterska och e-post", "BVC-sjuksköterska och e-post"),
        ("barn- och ungdomsverksamhet", "barn- och ungdomsverksamhet"),
        ("förskole-\noch skolpersonal", "förskole-\noch skolpersonal"),
        ("  • första\r\n\r\n- andra  ", "• första\n• andra"),
    ],
)
def test_cells_become_clean_text(cell: str, text: str) -> None:
    assert importer.clean(cell) == text


@pytest.mark.parametrize(
    ("text", "schedule"),
    [
        ("T1,T2 och VB", ["T1", "T2", "VB"]),
        ("Tertial 2 samt verksamhetsberättelse", ["T2", "VB"]),
        ("VB", ["VB"]),
        ("löpande", None),
    ],
)
def test_follow_up_schedules(text: str, schedule: list[str] | None) -> None:
    assert importer.follow_up_schedule(text) == schedule


@given(st.text(max_size=200))
def test_cleaning_never_leaves_tags_or_breaks_on_any_text(text: str) -> None:
    cleaned = importer.clean(text)
    assert importer.clean(cleaned) == cleaned
    assert "<p>" not in cleaned.lower()
