"""Build the messy-plan corpus the importer is tested on: ``python -m stodkedjan.plans.tests.corpus.build``.

Each file imitates something real plans do (the texts are our own, in the style of a district plan):

- ``district_plan.docx``: a Word table whose header repeats before each priority, a priority as a row
  merged across the table, focus areas and goals merged down over their activities, continuation rows
  with empty first cells, cells with several paragraphs and bullets, a word hyphenated across a line
  ("Förenings-\\nsamordnare"), "T1,T2 och VB", "2019-2022", several roles in one cell.
- ``copied_from_web.xlsx``: a sheet with a title row above the table, leftover HTML in cells, years as
  numbers, the header repeated, a row that only adds a responsible role to the one above.
- ``semicolons_cp1252.csv``: Excel's Swedish CSV – semicolons, Windows-1252, quoted line breaks.
- ``tabs.tsv``: tab-separated, with an extra "(T1, T2 och VB)" in the follow-up header.
- ``nested_table.docx``: a table inside a cell (refused).
- ``unknown_columns.csv``: a column no plan has (refused).
- ``not_a_plan.docx``: a letter with no table (refused); ``offerings.xlsx``: another kind of table (refused).
The files are committed; this script is how they were made and how to make them again.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
HEADER = [
    "Prioriterad utgångspunkt",
    "Område",
    "Mål och nytta",
    "Metoder och arbetssätt",
    "Ansvarig",
    "Tidsplan",
    "Uppföljning",
]
P1 = "1. Föräldrar ska få stöd tidigt"
P2 = "2. Stödet ska nå alla föräldrar"


def district_plan_docx(path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("Handlingsplan för föräldraskapsstöd Skärholmen 2019–2022")
    document.add_paragraph("Antagen av stadsdelsnämnden. Tabellen nedan följs upp i T1, T2 och VB.")
    table = document.add_table(rows=0, cols=7)

    def row(*cells: str) -> list:
        new = table.add_row().cells
        for cell, text in zip(new, cells, strict=False):
            paragraphs = text.split("\n\n")
            cell.text = paragraphs[0]
            for more in paragraphs[1:]:
                cell.add_paragraph(more)
        return new

    row(*HEADER)
    heading = row(P1)
    heading[0].merge(heading[6])
    first = row(
        "",
        "Föräldraskapsstöd i förskolan",
        "Fler föräldrar känner till stödet\n\nTrygga föräldrar ger trygga barn",
        "Föräldraträffar på förskolor med tolk\n\n• Två träffar per termin",
        "Enhetschef förebyggande, Förenings-\nsamordnare och förskolechef",
        "2019-2022",
        "T1,T2 och VB",
    )
    second = row("", "", "", "Information om föräldrastöd på flera språk", "Kommunikatör", "2020", "VB")
    third = row("", "", "", "Hembesök för nyblivna föräldrar", "Familjecentralen", "2019 - 2021, löpande", "T2, VB")
    for column in (1, 2):
        first[column].merge(second[column]).merge(third[column])
    row(*HEADER)  # the header repeated before the next priority
    row(
        P2,
        "Föräldrar som inte söker stöd",
        "Föräldrar vågar kontakta socialtjänsten",
        "Dialogträffar med föräldrar i Bredäng om vad socialtjänsten gör",
        "Fältassistenter; områdessamordnare",
        "2021–2022",
        "T1, T2 och VB",
    )
    row("", "", "", "", "Socialsekreterare", "", "")  # only adds a responsible role to the row above
    row(
        "",
        "Nätverk",
        "Samordnat stöd i kedjan",
        "Nätverksträffar med BVC, skola och socialtjänst",
        "Enhetschef",
        "Löpande",
        "VB",
    )
    document.save(path)


def copied_from_web_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Handlingsplan"
    sheet.append(["Handlingsplan föräldraskapsstöd 2023-2024"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(
        [
            "<p>1. Föräldrar ska få stöd <i>tidigt</i></p>",
            "<p>Tidiga insatser</p>",
            "<p>Fler familjer nås&nbsp;före skolstart</p>",
            "<p>ICDP-grupper</p><p>på arabiska och somaliska</p>",
            "Familjebehandlare<br>BVC-sjuksköterska",
            2023,
            "T1, T2, VB",
        ]
    )
    sheet.append([None, None, None, None, "Enhetschef", None, None])
    sheet.append(HEADER)
    sheet.append(
        [
            "2. Stödet ska nå alla föräldrar",
            "Språk",
            "Informationen finns på föräldrarnas språk",
            "Översätta informationen om socialtjänsten",
            "Kommunikatör samt enhetschef",
            "2023-2024",
            "VB",
        ]
    )
    workbook.save(path)


def text_files() -> None:
    csv_rows = [
        ";".join(HEADER),
        f'{P1};Öppen förskola;Föräldrar möts;"Föräldracafé\nvarje vecka";Familjepedagog;2024;T1 och VB',
        ';;;"Språkcafé för föräldrar";"Familjepedagog, bibliotekarie";2024-2025;VB',
    ]
    (HERE / "semicolons_cp1252.csv").write_bytes(("\r\n".join(csv_rows) + "\r\n").encode("cp1252"))
    tsv_rows = [
        "\t".join([*HEADER[:6], "Uppföljning (T1, T2 och VB)"]),
        "\t".join(
            [P2, "Fritid", "Unga har en meningsfull fritid", "Föräldravandringar", "Fältassistenter", "2022", "T2"]
        ),
    ]
    (HERE / "tabs.tsv").write_text("\n".join(tsv_rows) + "\n", encoding="utf-8")
    (HERE / "unknown_columns.csv").write_text(
        ",".join([*HEADER, "Budget (kr)"]) + "\n" + ",".join([P1, "A", "B", "C", "D", "2024", "VB", "100000"]) + "\n",
        encoding="utf-8",
    )


def refused_files() -> None:
    from docx import Document
    from openpyxl import Workbook

    nested = Document()
    table = nested.add_table(rows=2, cols=7)
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    table.rows[1].cells[3].add_table(rows=2, cols=2)
    nested.save(HERE / "nested_table.docx")

    letter = Document()
    letter.add_paragraph("Inbjudan till dialogmöte om föräldraskapsstöd")
    letter.add_paragraph("Välkommen den 16 december.")
    letter.save(HERE / "not_a_plan.docx")

    workbook = Workbook()
    workbook.active.append(["Namn", "Beskrivning", "Lägsta ålder", "Högsta ålder"])
    workbook.active.append(["Föräldracafé", "Öppet för alla", 0, 6])
    workbook.save(HERE / "offerings.xlsx")


if __name__ == "__main__":
    district_plan_docx(HERE / "district_plan.docx")
    copied_from_web_xlsx(HERE / "copied_from_web.xlsx")
    text_files()
    refused_files()
