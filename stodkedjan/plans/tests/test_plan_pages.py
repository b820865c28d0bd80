"""The plan as a table people edit: inline editing, conflicts, order, comments, import, print, history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from stodkedjan.accounts.models import Role
from stodkedjan.plans import services
from stodkedjan.plans.models import ActionPlan, Activity, PlanItem

CORPUS = Path(__file__).parent / "corpus"
pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world: Any) -> ActionPlan:
    plan = ActionPlan.objects.create(
        organisation=world.home, title="Handlingsplan Botkyrka", period_start=2025, period_end=2026
    )
    item = services.add_item(plan, "1. Tidigt stöd")
    PlanItem.objects.filter(pk=item.pk).update(focus_area="Förskola", goals="Fler föräldrar nås")
    for methods in ("Föräldraträffar", "Språkcafé", "Hembesök"):
        services.add_activity(item, methods)
    return plan


def activity_data(activity: Activity, **changes: Any) -> dict[str, Any]:
    data = {"version": activity.version, "methods": activity.methods, "responsible": "", "timeframe": ""}
    return data | changes


def test_the_plan_reads_as_its_table_in_a_bounded_number_of_queries(
    plan: ActionPlan, world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.users[Role.EDITOR])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("plans:plan_detail", kwargs={"plan_id": plan.pk}))
    html = response.content.decode()
    assert 'rowspan="3"' in html  # the focus area spans its three activities
    assert html.index("Föräldraträffar") < html.index("Språkcafé") < html.index("Hembesök")
    assert "1. Tidigt stöd" in html


def test_an_editor_edits_a_row_in_place_and_the_history_says_who(plan: ActionPlan, world: Any, client: Any) -> None:
    client.force_login(world.users[Role.EDITOR])
    activity = Activity.objects.get(methods="Språkcafé")
    page = client.get(reverse("plans:plan_detail", kwargs={"plan_id": plan.pk}) + f"?edit={activity.pk}")
    assert f'action="{reverse("plans:activity_edit", kwargs={"activity_id": activity.pk})}"' in page.content.decode()
    data = activity_data(
        activity, responsible="Familjepedagog, bibliotekarie", timeframe="2025-2026", follow_up=["T2", "VB"]
    )
    response = client.post(reverse("plans:activity_edit", kwargs={"activity_id": activity.pk}), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.responsible, activity.timeframe, activity.follow_up_text) == (
        ["Familjepedagog", "Bibliotekarie"],
        "2025–2026",
        "T2 and VB",
    )
    history = client.get(reverse("plans:plan_history", kwargs={"plan_id": plan.pk})).content.decode()
    assert "editor@home.example" in history
    assert "Familjepedagog" in history


def test_a_second_person_saving_the_same_row_is_told_and_nothing_is_lost(
    plan: ActionPlan, world: Any, client: Any
) -> None:
    activity = Activity.objects.get(methods="Språkcafé")
    url = reverse("plans:activity_edit", kwargs={"activity_id": activity.pk})
    client.force_login(world.users[Role.EDITOR])
    assert client.post(url, activity_data(activity, methods="Språkcafé varje tisdag")).status_code == 302
    client.force_login(world.users[Role.ADMIN])
    response = client.post(url, activity_data(activity, methods="Språkcafé på biblioteket"))  # opened before the save
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this row while you were editing it" in html
    assert "Språkcafé på biblioteket" in html  # what the second person typed is still in the form
    assert "Språkcafé varje tisdag" in html  # and the first person's version is shown
    activity.refresh_from_db()
    assert activity.methods == "Språkcafé varje tisdag"
    # Saving again from the conflict form (which carries the new version) succeeds.
    again = client.post(url, activity_data(activity, methods="Språkcafé varje tisdag på biblioteket"))
    assert again.status_code == 302


def test_an_invalid_row_keeps_what_was_typed(plan: ActionPlan, world: Any, client: Any) -> None:
    client.force_login(world.users[Role.EDITOR])
    activity = Activity.objects.get(methods="Hembesök")
    url = reverse("plans:activity_edit", kwargs={"activity_id": activity.pk})
    response = client.post(url, activity_data(activity, methods="", responsible="Sjuksköterska", timeframe="2000-2040"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sjuksköterska" in html
    assert "2000-2040" in html
    assert "A timeframe of more than 20 years is unlikely." in html


def test_rows_are_reordered_added_and_removed(plan: ActionPlan, world: Any, client: Any) -> None:
    client.force_login(world.users[Role.EDITOR])
    hembesok = Activity.objects.get(methods="Hembesök")
    action = reverse("plans:activity_action", kwargs={"activity_id": hembesok.pk})
    client.post(action, {"action": "up"})
    client.post(action, {"action": "up"})
    client.post(action, {"action": "up"})  # already first: nothing happens
    item = hembesok.item
    assert list(item.activities.values_list("methods", flat=True)) == ["Hembesök", "Föräldraträffar", "Språkcafé"]
    client.post(
        reverse("plans:item_action", kwargs={"item_id": item.pk}), {"action": "add_activity", "methods": "Pappagrupp"}
    )
    client.post(action, {"action": "delete"})
    assert list(item.activities.values_list("methods", flat=True)) == ["Föräldraträffar", "Språkcafé", "Pappagrupp"]
    response = client.post(reverse("plans:item_create", kwargs={"plan_id": plan.pk}), {"priority_label": "2. Nå alla"})
    assert response.status_code == 302
    assert plan.items.count() == 2


def test_county_staff_comment_on_a_row_but_cannot_edit_it(plan: ActionPlan, world: Any, client: Any) -> None:
    client.force_login(world.users["county_board_viewer"])
    activity = Activity.objects.get(methods="Språkcafé")
    response = client.post(
        reverse("plans:comment_create", kwargs={"activity_id": activity.pk}), {"text": "Hur når ni papporna?"}
    )
    assert response.status_code == 302
    edit = client.post(reverse("plans:activity_edit", kwargs={"activity_id": activity.pk}), activity_data(activity))
    assert edit.status_code == 403
    client.force_login(world.users[Role.VIEWER])
    html = client.get(reverse("plans:plan_detail", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Hur når ni papporna?" in html
    assert "Länsstyrelsen Stockholm" in html
    assert "?edit=" not in html  # a viewer sees no edit links


def test_the_print_view_has_the_whole_table_and_no_navigation(plan: ActionPlan, world: Any, client: Any) -> None:
    client.force_login(world.users[Role.VIEWER])
    html = client.get(reverse("plans:plan_print", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Hembesök" in html
    assert 'rowspan="3"' in html
    assert "staff-nav" not in html


def test_upload_preview_and_confirm(world: Any, client: Any) -> None:
    client.force_login(world.users[Role.EDITOR])
    url = reverse("plans:import_upload", kwargs={"slug": "botkyrka"})
    with (CORPUS / "district_plan.docx").open("rb") as upload:
        response = client.post(url, {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "5 activities, no problems found" in html
    assert "Föreningssamordnare" in html
    assert ActionPlan.objects.count() == 0  # nothing until confirmed
    done = client.post(response["Location"])
    plan = ActionPlan.objects.get()
    assert done["Location"] == reverse("plans:plan_detail", kwargs={"plan_id": plan.pk})
    assert Activity.objects.filter(item__plan=plan).count() == 5
    assert client.post(response["Location"]).status_code == 404  # a confirmed import cannot be confirmed twice


def test_a_bad_upload_lists_its_problems_and_imports_nothing(world: Any, client: Any) -> None:
    client.force_login(world.users[Role.EDITOR])
    url = reverse("plans:import_upload", kwargs={"slug": "botkyrka"})
    with (CORPUS / "unknown_columns.csv").open("rb") as upload:
        response = client.post(url, {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "Budget (kr)" in html
    assert "Unknown column" in html
    assert ActionPlan.objects.count() == 0


def test_the_export_has_the_columns_plans_are_imported_from(plan: ActionPlan, world: Any, client: Any) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(world.users[Role.VIEWER])
    response = client.get(reverse("plans:plan_export", kwargs={"plan_id": plan.pk}))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Prioriterad utgångspunkt",
        "Område",
        "Mål och nytta",
        "Metoder och arbetssätt",
        "Ansvarig",
        "Tidsplan",
        "Uppföljning",
    )
    assert [r[3] for r in rows[1:]] == ["Föräldraträffar", "Språkcafé", "Hembesök"]
    assert rows[2][1] is None  # continuation rows leave the focus area empty, as plans do


def test_someone_without_an_organisation_is_told_so_on_plans_and_offerings(db: Any, client: Any) -> None:
    from stodkedjan.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("plans:my_plans"))
    html = response.content.decode()
    assert "<h1>Action plans</h1>" in html
    assert "You are not a member of any organisation yet." in html
    assert "<h1>Offerings</h1>" in client.get(reverse("directory:my_services")).content.decode()
