"""Follow-up rounds, reminders, the county's view, reports as DOCX and PDF, and indicators."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from stodkedjan.accounts.models import Role
from stodkedjan.plans import services
from stodkedjan.plans.indicators import KoladaRejected, import_kolada
from stodkedjan.plans.models import ActionPlan, Activity, FollowUp, FollowUpRound, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world: Any) -> ActionPlan:
    plan = ActionPlan.objects.create(
        organisation=world.home, title="Handlingsplan Botkyrka", period_start=2025, period_end=2026
    )
    item = services.add_item(plan, "1. Föräldrar får stöd tidigt")
    for methods, schedule in (("Föräldraträffar på förskolan", ["T1", "T2", "VB"]), ("Språkcafé", ["VB"])):
        activity = services.add_activity(item, methods)
        Activity.objects.filter(pk=activity.pk).update(follow_up=schedule, responsible=["Familjepedagog"])
    return plan


def open_t1(plan: ActionPlan, world: Any, deadline: datetime.date = datetime.date(2025, 5, 15)) -> FollowUpRound:
    return services.open_round(plan, "T1", 2025, deadline, world.users[Role.COORDINATOR])


def report(client: Any, round_: FollowUpRound, values: dict[str, tuple[str, str]], **extra: str) -> Any:
    data: dict[str, Any] = dict(extra)
    for row in round_.follow_ups.select_related("activity"):
        status, comment = values.get(row.activity.methods, ("", ""))
        data |= {f"f{row.pk}-version": row.version, f"f{row.pk}-status": status, f"f{row.pk}-comment": comment}
        data[f"f{row.pk}-evidence"] = ""
    return client.post(reverse("plans:round", kwargs={"round_id": round_.pk}), data)


def test_a_coordinator_opens_a_round_for_the_activities_followed_up_then(
    plan: ActionPlan, world: Any, client: Any
) -> None:
    client.force_login(world.users[Role.COORDINATOR])
    url = reverse("plans:round_create", kwargs={"plan_id": plan.pk})
    response = client.post(url, {"kind": "T1", "year": 2025, "deadline": "2025-05-15"})
    round_ = FollowUpRound.objects.get()
    assert response["Location"] == reverse("plans:round", kwargs={"round_id": round_.pk})
    assert list(round_.follow_ups.values_list("activity__methods", flat=True)) == ["Föräldraträffar på förskolan"]
    again = client.post(url, {"kind": "T1", "year": 2025, "deadline": "2025-05-15"})
    assert again.status_code == 200
    assert "That round is already open for this plan." in again.content.decode()


def test_an_editor_reports_saves_and_submits(plan: ActionPlan, world: Any, client: Any) -> None:
    round_ = services.open_round(plan, "VB", 2025, datetime.date(2026, 2, 1), world.users[Role.COORDINATOR])
    client.force_login(world.users[Role.EDITOR])
    values = {"Föräldraträffar på förskolan": ("done", "Tolv träffar, 118 föräldrar.")}
    assert report(client, round_, values).status_code == 302
    assert round_.follow_ups.filter(status="done").count() == 1
    assert report(client, round_, values | {"Språkcafé": ("at_risk", "Lokalen saknas.")}, submit="1").status_code == 302
    round_.refresh_from_db()
    assert round_.submitted_at is not None
    page = client.get(reverse("plans:round", kwargs={"round_id": round_.pk})).content.decode()
    assert "Lokalen saknas." in page
    assert "Save and submit the report" not in page


def test_bad_evidence_link_keeps_the_answers_and_saves_nothing(plan: ActionPlan, world: Any, client: Any) -> None:
    round_ = open_t1(plan, world)
    row = round_.follow_ups.get()
    client.force_login(world.users[Role.EDITOR])
    data = {
        f"f{row.pk}-version": 1,
        f"f{row.pk}-status": "on_track",
        f"f{row.pk}-comment": "Bra start",
        f"f{row.pk}-evidence": "inte en länk",
    }
    response = client.post(reverse("plans:round", kwargs={"round_id": round_.pk}), data)
    assert response.status_code == 400
    assert "Bra start" in response.content.decode()
    assert "is not a web address" in response.content.decode()
    assert FollowUp.objects.get().status == ""


def test_two_people_reporting_the_same_activity_do_not_overwrite_each_other(
    plan: ActionPlan, world: Any, client: Any
) -> None:
    round_ = open_t1(plan, world)
    client.force_login(world.users[Role.EDITOR])
    report(client, round_, {"Föräldraträffar på förskolan": ("on_track", "Först")})
    row = round_.follow_ups.get()
    stale = {
        f"f{row.pk}-version": 1,
        f"f{row.pk}-status": "at_risk",
        f"f{row.pk}-comment": "Sen",
        f"f{row.pk}-evidence": "",
    }
    client.force_login(world.users[Role.ADMIN])
    response = client.post(reverse("plans:round", kwargs={"round_id": round_.pk}), stale)
    assert response.status_code == 409
    assert "Saved by someone else meanwhile" in response.content.decode()
    assert "Sen" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.comment) == ("on_track", "Först")


def test_reminders_go_once_to_coordinators_of_rounds_due_soon(plan: ActionPlan, world: Any) -> None:
    due = open_t1(plan, world, deadline=datetime.date(2025, 5, 15))
    services.open_round(plan, "T2", 2025, datetime.date(2025, 9, 15), None)  # not due yet
    today = datetime.date(2025, 5, 10)
    first = services.send_reminders(today)
    again = services.send_reminders(today)
    assert (first.rounds, again.rounds) == (1, 0)
    [message] = mail.outbox
    assert set(message.to) == {"coordinator@home.example", "admin@home.example"}
    assert "T1 2025" in message.subject
    assert f"/staff/plans/rounds/{due.pk}/" in message.body
    services.submit_round(due)
    due.reminded_on = None
    due.save()
    assert services.send_reminders(today).rounds == 0  # submitted rounds are not reminded


def test_the_county_sees_which_organisations_have_reported(plan: ActionPlan, world: Any, client: Any) -> None:
    round_ = open_t1(plan, world)
    services.submit_round(round_)
    client.force_login(world.users["county_board_viewer"])
    url = reverse("plans:county_follow_up", kwargs={"slug": world.county_board.slug}) + "?year=2025"
    html = client.get(url).content.decode()
    assert "Botkyrka kommun" in html
    assert "submitted" in html
    assert "Malmö stad" not in html  # another county
    client.force_login(world.users["national_viewer"])
    assert (
        "Malmö stad"
        in client.get(reverse("plans:county_follow_up", kwargs={"slug": world.national.slug})).content.decode()
    )
    client.force_login(world.users[Role.ADMIN])
    assert client.get(url).status_code == 403  # a municipality does not see the county's overview


def pdf_text(content: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_annual_report_writes_itself_as_pdf_and_docx(plan: ActionPlan, world: Any, client: Any) -> None:
    import_kolada([("data.json", json.dumps(KOLADA_DATA)), ("kpi.json", json.dumps(KOLADA_KPI))])
    Activity.objects.get(methods="Språkcafé").indicators.set(Indicator.objects.all())
    round_ = services.open_round(plan, "VB", 2025, datetime.date(2026, 2, 1), None)
    FollowUp.objects.filter(activity__methods="Språkcafé").update(status="done", comment="Trettio föräldrar deltog.")
    client.force_login(world.users["county_board_viewer"])
    pdf = client.get(reverse("plans:round_pdf", kwargs={"round_id": round_.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    pages, text = pdf_text(pdf.content)
    assert "Verksamhetsberättelse 2025" in text or "Årsrapport 2025" in text
    assert f"Sida 1 av {pages}" in text
    assert "Föräldraträffar på förskolan" in text
    assert "Trettio föräldrar deltog." in text
    assert "Källa: Kolada" in text
    assert "12,5" in text  # the Swedish report writes a Swedish decimal comma
    assert "12.5" not in text
    from docx import Document

    docx = client.get(reverse("plans:round_docx", kwargs={"round_id": round_.pk}))
    document = Document(io.BytesIO(docx.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Trettio föräldrar deltog." in cells
    assert "Klar" in cells
    assert len(document.inline_shapes) == 1  # the indicator chart
    assert "NUMPAGES" in document.sections[0].footer._element.xml


KOLADA_KPI: dict[str, Any] = {
    "values": [{"id": "N00001", "title": "Andel barn i ekonomiskt utsatta hushåll", "description": "…"}]
}
KOLADA_DATA: dict[str, Any] = {
    "count": 3,
    "values": [
        {
            "kpi": "N00001",
            "municipality": "0127",
            "period": 2023,
            "values": [{"gender": "T", "value": 12.5, "count": 1}],
        },
        {
            "kpi": "N00001",
            "municipality": "0127",
            "period": 2024,
            "values": [{"gender": "T", "value": 11.0}, {"gender": "K", "value": 10.0}],
        },
        {
            "kpi": "N00001",
            "municipality": "0127",
            "period": 2022,
            "values": [{"gender": "T", "value": None, "status": "Missing"}],
        },
    ],
}


def test_kolada_files_are_read_and_shown_as_a_chart_with_its_numbers(world: Any, client: Any) -> None:
    out = io.StringIO()
    with_files = []
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        for name, content in (("kpi.json", KOLADA_KPI), ("data.json", KOLADA_DATA)):
            path = Path(folder) / name
            path.write_text(json.dumps(content), encoding="utf-8")
            with_files += ["--kolada", str(path)]
        call_command("import_indicators", *with_files, stdout=out)
        call_command("import_indicators", *with_files, stdout=out)  # twice: values are replaced, not doubled
    assert IndicatorValue.objects.count() == 3  # the missing 2022 value is skipped
    client.force_login(world.users[Role.VIEWER])
    html = client.get(reverse("plans:indicator_detail", kwargs={"code": "N00001"})).content.decode()
    assert "<svg" in html
    assert '<title id="chart-title">Andel barn i ekonomiskt utsatta hushåll</title>' in html
    assert "<td>12.5</td>" in html
    assert "<td>11</td>" in html
    assert "Källa: Kolada" in html


def test_a_kolada_file_with_an_unknown_municipality_imports_nothing(world: Any) -> None:
    bad = {
        "values": [
            *KOLADA_DATA["values"],
            {"kpi": "N00001", "municipality": "9999", "period": 2024, "values": [{"gender": "T", "value": 1}]},
        ]
    }
    with pytest.raises(KoladaRejected, match="unknown municipality or county code 9999"):
        import_kolada([("data.json", json.dumps(bad))])
    with pytest.raises(KoladaRejected, match="not JSON"):
        import_kolada([("data.json", "{")])
    assert not Indicator.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_indicators", "--kolada", "/no/such/file.json")


def test_an_organisation_keeps_its_own_indicator(world: Any, client: Any) -> None:
    client.force_login(world.users[Role.EDITOR])
    response = client.post(
        reverse("plans:indicator_create", kwargs={"slug": "botkyrka"}),
        {"code": "BOT-1", "title": "Föräldrar i grupper", "unit": "antal"},
    )
    assert response.status_code == 302
    detail = reverse("plans:indicator_detail", kwargs={"code": "BOT-1"})
    assert client.post(detail, {"area": world.home.area_id, "year": 2025, "value": "41"}).status_code == 302
    assert IndicatorValue.objects.get().value == 41
    client.force_login(world.users["other_org_admin"])
    assert "Add or change a value" not in client.get(detail).content.decode()
    assert client.post(detail, {"area": world.home.area_id, "year": 2025, "value": "1"}).status_code == 200
    assert IndicatorValue.objects.get().value == 41


def test_the_county_follow_up_lists_every_municipality_and_counts_add_up(
    plan: ActionPlan, world: Any, client: Any
) -> None:
    from stodkedjan.geo.models import Area, AreaKind

    county = world.home.area.county
    Area.objects.create(
        code="0199", name="Ansluten inte kommun", kind=AreaKind.MUNICIPALITY, parent=county, county=county
    )
    round_ = open_t1(plan, world)
    FollowUpRound.objects.filter(pk=round_.pk).update(deadline=datetime.date(2025, 5, 15))  # past: late
    client.force_login(world.users["county_board_viewer"])
    html = client.get(f"/sv/staff/{world.county_board.slug}/plans/follow-up/?year=2025").content.decode()
    assert "Ansluten inte kommun" in html
    assert "inte ansluten" in html
    assert "Uppföljningar av årets planer: 3 – inlämnade: 0, öppna: 0, försenade" in html
    assert "(efter sista dag, inte inlämnade): 1, inte öppnade: 2." in html
    client.force_login(world.users[Role.EDITOR])
    page = client.get(f"/sv/staff/plans/{plan.pk}/").content.decode()
    assert "öppnas av organisationens samordnare" in page


def test_a_coordinator_opens_t2_for_every_plan_of_the_municipality_at_once(
    plan: ActionPlan, world: Any, client: Any
) -> None:
    second = ActionPlan.objects.create(organisation=world.home, title="Plan två", period_start=2026, period_end=2026)
    old = ActionPlan.objects.create(organisation=world.home, title="Gammal plan", period_start=2020, period_end=2021)
    url = f"/sv/staff/{world.home.slug}/plans/rounds/"
    answer = {"kind": "T2", "year": 2026, "deadline": "2026-09-15"}
    client.force_login(world.users[Role.EDITOR])
    assert "öppnas av organisationens samordnare" in client.get(f"/sv/staff/{world.home.slug}/plans/").content.decode()
    assert client.post(url, answer).status_code == 403
    client.force_login(world.users[Role.COORDINATOR])
    page = client.post(url, answer, follow=True).content.decode()
    assert "T2 2026 är öppen för 2 planer." in page
    assert set(FollowUpRound.objects.filter(kind="T2", year=2026).values_list("plan__title", flat=True)) == {
        plan.title,
        second.title,
    }
    assert not FollowUpRound.objects.filter(plan=old).exists()
    again = client.post(url, answer, follow=True).content.decode()
    assert "2 planer hade redan T2 2026" in again
    assert FollowUpRound.objects.filter(kind="T2", year=2026).count() == 2
    bad = client.post(url, {"kind": "T9", "year": "", "deadline": "i morgon"})
    assert bad.status_code == 400
    assert 'value="i morgon"' in bad.content.decode(), "what was typed is kept"


def schedule_answer(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for kind, (om, od, dm, dd, previous) in {
        "t1": (5, 1, 5, 31, ""),
        "t2": (9, 1, 9, 30, ""),
        "vb": (1, 10, 2, 28, "on"),
    }.items():
        data |= {f"{kind}-opens_day": od, f"{kind}-opens_month": om, f"{kind}-deadline_day": dd}
        data |= {f"{kind}-deadline_month": dm, f"{kind}-for_previous_year": previous}
    return {k: v for k, v in (data | changes).items() if v != ""}


def test_rounds_open_by_schedule_once_for_every_plan_that_runs_that_year(
    plan: ActionPlan, world: Any, client: Any
) -> None:
    """T2 set to open on 1 September opens then (and not before) for each plan of 2025; running the task
    again opens nothing; a VB opened in January reports on the year before, with its deadline in February."""
    url = f"/sv/staff/{world.home.slug}/plans/schedule/"
    client.force_login(world.users[Role.EDITOR])
    assert client.post(url, schedule_answer(**{"t2-is_active": "on"})).status_code == 403
    client.force_login(world.users[Role.COORDINATOR])
    page = client.get(f"/sv/staff/{world.home.slug}/plans/").content.decode()
    assert 'name="t2-opens_day"' in page
    assert "Uppföljning enligt schema" in page
    response = client.post(url, schedule_answer(**{"t2-is_active": "on", "vb-is_active": "on"}))
    assert response.status_code == 302
    assert services.open_scheduled_rounds(datetime.date(2025, 8, 31)) == 0
    assert services.open_scheduled_rounds(datetime.date(2025, 9, 1)) == 1
    assert services.open_scheduled_rounds(datetime.date(2025, 9, 2)) == 0, "once"
    t2 = FollowUpRound.objects.get(plan=plan, kind="T2")
    assert (t2.year, t2.deadline, t2.opened_by) == (2025, datetime.date(2025, 9, 30), None)
    assert t2.follow_ups.count() == 1, "the activities followed up at T2 got their rows"
    assert services.open_scheduled_rounds(datetime.date(2026, 1, 10)) == 1
    vb = FollowUpRound.objects.get(plan=plan, kind="VB")
    assert (vb.year, vb.deadline) == (2025, datetime.date(2026, 2, 28))
    assert not FollowUpRound.objects.filter(plan=plan, kind="T1").exists(), "T1 is not in use"
    page = client.get(f"/sv/staff/{world.home.slug}/plans/").content.decode()
    assert "öppnas av sig själva varje år för varje plan som löper det året: T2, VB." in page


def test_a_schedule_with_a_day_the_month_does_not_have_saves_nothing_and_keeps_what_was_typed(
    world: Any, client: Any
) -> None:
    from stodkedjan.plans.models import RoundSchedule

    client.force_login(world.users[Role.COORDINATOR])
    url = f"/sv/staff/{world.home.slug}/plans/schedule/"
    response = client.post(url, schedule_answer(**{"t1-is_active": "on", "t2-deadline_day": 31}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Den månaden har ingen dag 31." in html
    assert 'name="t2-deadline_day" value="31"' in html
    assert not RoundSchedule.objects.exists()
