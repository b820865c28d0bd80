"""``make bench``: the XForm engine on a 100-question XLSForm (choices, whole numbers with constraints,
conditions on earlier answers, calculations every tenth question): rendering one screen of the parent's page,
and checking a whole submission — on the web form and from ODK Collect. Goals: a screen under 50 ms, a
full submission checked under 100 ms. Figures, never a pass or fail."""

from __future__ import annotations

import gc
import io
import os
import statistics
import time
import xml.etree.ElementTree as ET

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from stodkedjan.accounts.tests.factories import OrganisationFactory  # noqa: E402
from stodkedjan.surveys import openrosa, xform, xlsform  # noqa: E402
from stodkedjan.surveys.forms import ResponseForm  # noqa: E402
from stodkedjan.surveys.tests.factories import make_round  # noqa: E402
from stodkedjan.surveys.tests.test_respond import token_of  # noqa: E402

QUESTIONS = 100
RUNS = 30
SCREEN_GOAL_MS, SUBMISSION_GOAL_MS = 50, 100


def workbook() -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        ["type", "name", "label::Svenska (sv)", "label::Arabic (ar)", "relevant", "constraint", "calculation"]
    )
    for n in range(QUESTIONS):
        if n % 10 == 9:
            survey.append(["calculate", f"q{n}", "", "", "", "", f"${{q{n - 2}}} + 1"])
        elif n % 3 == 0:
            survey.append(["select_one yn", f"q{n}", f"Fråga {n}", f"سؤال {n}", "", "", ""])
        elif n % 3 == 1:
            survey.append(["integer", f"q{n}", f"Antal {n}", f"عدد {n}", f"${{q{n - 1}}} = 'yes'", ". < 100", ""])
        else:
            survey.append(["integer", f"q{n}", f"Tal {n}", f"رقم {n}", "", ". >= 0 and . < 1000", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Svenska (sv)", "label::Arabic (ar)"])
    choices.append(["yn", "yes", "Ja", "نعم"])
    choices.append(["yn", "no", "Nej", "لا"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def answers(definition: dict) -> dict[str, str]:
    given = {}
    for question in definition["questions"]:
        if question["kind"] == "select_one":
            given[question["name"]] = "yes"
        elif question["kind"] == "integer":
            given[question["name"]] = "7"
    return given


def timed(run) -> tuple[float, float]:
    run()  # warm: compiled expressions, templates
    times = []
    for _n in range(RUNS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    definition = xlsform.read(workbook(), "bench.xlsx")
    organisation = OrganisationFactory()
    paged = make_round(organisation, definition=definition, layout="paged", languages=["sv", "ar"])
    single = make_round(organisation, definition=definition, layout="single", languages=["sv", "ar"])
    client = Client()
    given = answers(definition)
    area = paged.areas.order_by("code").first().code
    link = f"/sv/survey/{paged.link_key}/"
    token = token_of(client.get(link).content.decode())
    middle = {"token": token, "area": area, **{f"q-{k}": v for k, v in given.items()}, "screen": "q49"}

    def screen() -> None:
        response = client.post(link, middle)
        assert response.status_code == 200, response.status_code

    def one_page() -> None:
        assert client.get(f"/sv/survey/{single.link_key}/").status_code == 200

    data = {"area": area, **{f"q-{k}": v for k, v in given.items()}}

    def submission() -> None:
        form = ResponseForm(data, survey_round=single, language="sv")
        assert form.is_valid(), form.errors
        form.answers()

    root = ET.Element("data")
    ET.SubElement(root, openrosa.AREA).text = "other"
    for name, value in given.items():
        ET.SubElement(root, name).text = value

    def from_collect() -> None:
        typed, counts, _area, _id = openrosa._values(root, definition["questions"])
        assert not xform.evaluate(definition["questions"], typed, definition.get("repeats"), counts).errors

    # As served: stodkedjan/wsgi.py freezes what a worker loaded out of the collector's full passes (each
    # took ~135 ms here with Django, CLDR and elementpath loaded, and would be a p95 of the collector, not
    # of the engine).
    gc.collect()
    gc.freeze()
    print(f"\nXForm engine, a form of {QUESTIONS} questions ({len(definition['questions'])} kept), {RUNS} runs, ms")
    print(f"{'':<38}{'p50':>8}{'p95':>8}{'goal':>8}{'p95/goal':>10}")
    for label, run, goal in (
        ("one screen of the per-screen page", screen, SCREEN_GOAL_MS),
        ("the one-page form", one_page, SCREEN_GOAL_MS),
        ("a full submission checked (web)", submission, SUBMISSION_GOAL_MS),
        ("a full submission checked (Collect)", from_collect, SUBMISSION_GOAL_MS),
    ):
        p50, p95 = timed(run)
        print(f"{label:<38}{p50:>8.1f}{p95:>8.1f}{goal:>8}{p95 / goal:>10.2f}")


if __name__ == "__main__":
    main()
