"""Walk every URL pattern as every kind of visitor and assert who gets what (DESIGN §4).

Adding a view without deciding who may use it fails here twice: the view lacks an access mark from
``core/access.py``, and the URL has no row in ``MATRIX``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from conftest import World
from stodkedjan.accounts.models import Role
from stodkedjan.directory.models import Schedule, ServiceDraft, SpreadsheetImport
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.knowledge.models import Method, Resource
from stodkedjan.meetings.models import DialogueMeeting, Need
from stodkedjan.network.models import Event, Network, NetworkDocument, NetworkMeeting, Registration
from stodkedjan.plans import services
from stodkedjan.plans.models import ActionPlan, Indicator, PlanImport
from stodkedjan.surveys.tests.factories import make_round

ACTORS = [
    "anonymous",
    Role.VIEWER,
    Role.EDITOR,
    Role.COORDINATOR,
    Role.ADMIN,
    "other_org_admin",
    "county_board_viewer",
    "national_viewer",
]

# Rows: who gets which status for a GET of the URL (filled with the home organisation's objects).
PUBLIC = dict.fromkeys(ACTORS, 200)
SIGNED_IN = {**dict.fromkeys(ACTORS, 200), "anonymous": 302}
READ_INTERNAL = {**dict.fromkeys(ACTORS, 200), "anonymous": 302, "other_org_admin": 403}
ORG_ADMIN = {**dict.fromkeys(ACTORS, 403), "anonymous": 302, Role.ADMIN: 200}
EDIT = {**dict.fromkeys(ACTORS, 403), "anonymous": 302, Role.EDITOR: 200, Role.COORDINATOR: 200, Role.ADMIN: 200}
COORDINATE = {**EDIT, Role.EDITOR: 403}
POST_ONLY = dict.fromkeys(ACTORS, 405)
MATRIX: dict[str, dict[str, int]] = {
    "home": PUBLIC,
    "core:accessibility": PUBLIC,
    "healthz": PUBLIC,
    "oidc_start": dict.fromkeys(ACTORS, 404),  # no identity provider configured here (tested in accounts)
    "oidc_callback": dict.fromkeys(ACTORS, 404),
    "accounts:login": PUBLIC,
    "accounts:logout": {**dict.fromkeys(ACTORS, 405)},  # POST only
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,  # shows "the link is not valid" for a made-up token
    "accounts:password_reset_complete": PUBLIC,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "accounts:workspace": SIGNED_IN,
    "accounts:two_factor_setup": SIGNED_IN,
    "accounts:two_factor_verify": dict.fromkeys(ACTORS, 302),  # to the login page, or onwards: nothing to verify
    "accounts:switch_organisation": {**dict.fromkeys(ACTORS, 405)},  # POST only
    "accounts:organisation_list": SIGNED_IN,
    "accounts:organisation_detail": READ_INTERNAL,
    "accounts:organisation_edit": ORG_ADMIN,
    "accounts:member_add": ORG_ADMIN,
    "accounts:member_edit": ORG_ADMIN,
    "accounts:audit_log": ORG_ADMIN,
    "directory:my_services": dict.fromkeys(ACTORS, 302),  # to the login page, or to one's organisation
    "directory:service_list": READ_INTERNAL,
    "directory:send_verification": POST_ONLY,
    "directory:draft_list": READ_INTERNAL,
    "directory:draft_review": READ_INTERNAL,  # reading is for readers; approving and returning for reviewers
    "directory:edit_review_setting": POST_ONLY,
    "directory:reminder_schedule": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},  # a county board's coordinators
    "directory:verify": dict.fromkeys(ACTORS, 404),  # a made-up link: for everyone the same plain 404
    "directory:service_create": EDIT,
    "directory:review_list": READ_INTERNAL,
    "directory:duplicate_list": READ_INTERNAL,
    "directory:duplicate_action": POST_ONLY,
    "directory:import_upload": EDIT,
    "directory:import_preview": EDIT,
    "directory:template": READ_INTERNAL,
    "directory:export": READ_INTERNAL,
    "directory:service_detail": READ_INTERNAL,
    "directory:service_edit": EDIT,
    "directory:service_action": POST_ONLY,
    "directory:service_history": READ_INTERNAL,
    "finder:results": PUBLIC,
    "finder:service": PUBLIC,
    "finder:service_calendar": PUBLIC,
    "finder:about_social_services": PUBLIC,
    "finder:worried_now": PUBLIC,
    "finder:feedback": POST_ONLY,
    "finder:information_edit": EDIT,
    "finder:contacts": EDIT,
    "finder:contact_delete": POST_ONLY,
    "hsds_pages:profile": PUBLIC,
    "hsds_pages:tokens": ORG_ADMIN,
    "hsds_pages:token_revoke": POST_ONLY,
    "plans:my_plans": dict.fromkeys(ACTORS, 302),  # to the login page, or to one's organisation's plans
    "plans:plan_list": READ_INTERNAL,
    "plans:plan_create": EDIT,
    "plans:import_upload": EDIT,
    "plans:import_preview": EDIT,
    # Only for a county board's or a national agency's own members; the matrix names a municipality.
    "plans:county_follow_up": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "plans:plan_detail": READ_INTERNAL,
    "plans:plan_print": READ_INTERNAL,
    "plans:plan_export": READ_INTERNAL,
    "plans:plan_history": READ_INTERNAL,
    "plans:item_create": POST_ONLY,
    "plans:round_create": COORDINATE,
    "plans:rounds_for_all": POST_ONLY,
    "plans:schedule_save": POST_ONLY,
    "plans:item_edit": POST_ONLY,
    "plans:item_action": POST_ONLY,
    "plans:activity_edit": POST_ONLY,
    "plans:activity_action": POST_ONLY,
    "plans:comment_create": POST_ONLY,
    "plans:round": READ_INTERNAL,
    "plans:round_pdf": READ_INTERNAL,
    "plans:round_docx": READ_INTERNAL,
    "plans:indicator_list": SIGNED_IN,
    "plans:indicator_detail": SIGNED_IN,
    "plans:indicator_create": EDIT,
    "plans:indicator_add_kolada": POST_ONLY,
    "surveys:respond": PUBLIC,
    "surveys:thanks": PUBLIC,
    "surveys:my_surveys": dict.fromkeys(ACTORS, 302),
    "surveys:survey_list": READ_INTERNAL,
    "surveys:questionnaire_create": EDIT,
    "surveys:xlsform_import": EDIT,
    "surveys:questionnaire": READ_INTERNAL,
    "surveys:questionnaire_texts": POST_ONLY,
    "surveys:questionnaire_xlsform": POST_ONLY,
    "surveys:question_create": EDIT,
    "surveys:question_edit": EDIT,
    "surveys:question_action": POST_ONLY,
    "surveys:round_create": EDIT,
    "surveys:round": READ_INTERNAL,
    "surveys:round_edit": EDIT,
    "surveys:round_qr": READ_INTERNAL,
    "surveys:interview": EDIT,
    "surveys:round_collect": EDIT,
    # OpenRosa for ODK Collect: the app user's key in the address is the only credential, for everyone.
    "openrosa_form_list": dict.fromkeys(ACTORS, 403),
    "openrosa_form": dict.fromkeys(ACTORS, 403),
    "openrosa_manifest": dict.fromkeys(ACTORS, 403),
    "openrosa_media": dict.fromkeys(ACTORS, 403),
    "openrosa_submission": dict.fromkeys(ACTORS, 403),
    "surveys:analysis": READ_INTERNAL,
    "surveys:analysis_csv": READ_INTERNAL,
    "surveys:analysis_xlsx": READ_INTERNAL,
    "surveys:coding": EDIT,
    "meetings:my_meetings": dict.fromkeys(ACTORS, 302),
    "meetings:my_needs": dict.fromkeys(ACTORS, 302),
    "meetings:meeting_list": READ_INTERNAL,
    "meetings:meeting_create": EDIT,
    "meetings:meeting": READ_INTERNAL,
    "meetings:meeting_edit": EDIT,
    "meetings:meeting_calendar": READ_INTERNAL,
    "meetings:pre_meeting_answers": EDIT,  # the home organisation is invited to its own meeting here
    "meetings:meeting_need_create": EDIT,
    "meetings:need_list": READ_INTERNAL,
    "meetings:need_create": EDIT,
    "meetings:county_needs": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "meetings:need": READ_INTERNAL,
    "meetings:need_pass_on": POST_ONLY,
    "knowledge:method_list": PUBLIC,
    "knowledge:evidence": PUBLIC,
    "knowledge:method": PUBLIC,
    "knowledge:resource_list": PUBLIC,
    "knowledge:resource": PUBLIC,
    "knowledge:resource_file": PUBLIC,
    "knowledge:my_bank": dict.fromkeys(ACTORS, 302),
    "knowledge:bank": READ_INTERNAL,
    # Methods are kept by national agencies and county boards; the matrix names a municipality.
    "knowledge:method_create": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "knowledge:method_edit": EDIT,
    "knowledge:resource_create": EDIT,
    "knowledge:resource_edit": EDIT,
    "network:event_list": PUBLIC,
    "network:event": PUBLIC,
    "network:event_calendar": PUBLIC,
    "network:cancel": PUBLIC,  # the key is the secret: whoever has the e-mail's link may cancel
    "network:resend_links": PUBLIC,  # the same answer for any address
    "network:my_networks": dict.fromkeys(ACTORS, 302),
    "network:my_events": dict.fromkeys(ACTORS, 302),
    "network:network_list": READ_INTERNAL,
    "network:network_create": COORDINATE,
    "network:network": {**READ_INTERNAL, "other_org_admin": 200},  # the other organisation is a member
    "network:network_edit": EDIT,
    "network:announcement_create": EDIT,
    "network:meeting_create": EDIT,
    "network:meeting": {**READ_INTERNAL, "other_org_admin": 200},
    "network:meeting_edit": EDIT,
    "network:document": {**READ_INTERNAL, "other_org_admin": 200},
    "network:event_admin_list": READ_INTERNAL,
    "network:event_create": EDIT,
    "network:event_admin": READ_INTERNAL,
    "network:event_edit": EDIT,
    "network:attendance": POST_ONLY,
    "network:event_publish": POST_ONLY,
    "network:participant_action": POST_ONLY,
    "network:participants_csv": EDIT,
    "network:participants_xlsx": EDIT,
    "insights:my_insights": dict.fromkeys(ACTORS, 302),  # to the login page, or to one's dashboard
    "insights:area": SIGNED_IN,
    "insights:cell": SIGNED_IN,
    "insights:area_csv": SIGNED_IN,
    "insights:area_xlsx": SIGNED_IN,
    "insights:gaps_csv": SIGNED_IN,
    "insights:gaps_xlsx": SIGNED_IN,
    "insights:dashboard": READ_INTERNAL,
    # For a county board's or a national agency's own members; the matrix names a municipality.
    "insights:county": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "insights:county_csv": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "insights:county_xlsx": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "insights:report_pdf": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "insights:report_docx": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "insights:national": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "insights:national_csv": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "insights:national_xlsx": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "insights:rules": {**dict.fromkeys(ACTORS, 403), "anonymous": 302},
    "insights:rule_save": POST_ONLY,
    "insights:settings_save": POST_ONLY,
    "insights:language_save": POST_ONLY,
}

# Views that Django itself provides and guards (the admin checks is_staff on every view), and the HSDS API,
# which declares access per operation (open reads; writes need an organisation's token) and whose every
# operation is exercised for both in stodkedjan/hsds/tests.
THIRD_PARTY_NAMESPACES = {"admin", "hsds"}


def walk(resolver: URLResolver, namespace: str = "") -> list[tuple[str, Callable[..., Any], Any]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", entry.callback, entry.pattern))
    return found


ALL_URLS = walk(get_resolver())
PATTERNS = {name: str(pattern) for name, _view, pattern in ALL_URLS}
OWN_URLS = [(name, view) for name, view, _pattern in ALL_URLS if name.split(":")[0] not in THIRD_PARTY_NAMESPACES]
OBJECT_URLS = sorted(
    name
    for name in MATRIX
    if MATRIX[name] is not POST_ONLY
    and MATRIX[name] is not PUBLIC  # public pages answer 404 to everyone (tested in their apps)
    and re.search(
        r"<(slug:slug|str:area_code|int:(service|draft|plan|round|plan_import|survey_round|questionnaire|meeting|need|method|resource|network|network_meeting|document|event)_id)>",
        PATTERNS.get(name, ""),
    )
)
# The admin's own login and logout pages are open to all; every other admin page needs a staff user.
ADMIN_URLS = sorted(
    name
    for name, pattern in PATTERNS.items()
    if name.startswith("admin:")
    and "<" not in pattern
    and name not in {"admin:login", "admin:logout"}
    and not name.endswith("_simple_history")  # one object's history: needs an object
)


def url_kwargs(world: World) -> dict[str, Any]:
    """One object of each kind a URL can name, all owned by the home organisation."""
    membership = world.home.memberships.get(user=world.users[Role.VIEWER])
    service = make_service(world.home, byday=())
    draft = ServiceDraft.objects.create(service=service, data={}, author_label="editor@home.example")
    Schedule.objects.create(
        service=service, byday="TH", opens_at=time(17), closes_at=time(19), valid_from=date.today(), count=4
    )
    batch = SpreadsheetImport.objects.create(
        organisation=world.home, created_by=world.users[Role.ADMIN], filename="x.csv"
    )
    plan = ActionPlan.objects.create(organisation=world.home, title="Plan", period_start=2025, period_end=2026)
    item = services.add_item(plan, "1. Tidigt stöd")
    activity = services.add_activity(item, "Föräldraträffar")
    round_ = services.open_round(plan, "T1", 2025, date(2025, 5, 15), world.users[Role.ADMIN])
    plan_import = PlanImport.objects.create(organisation=world.home, filename="plan.docx", parsed={})
    indicator = Indicator.objects.create(code="N00945", title="Kolada", source="kolada")
    survey_round = make_round(world.home)
    meeting = DialogueMeeting.objects.create(organisation=world.home, title="Dialogmöte", starts_at=timezone.now())
    meeting.invited.add(world.home)
    need = Need.objects.create(organisation=world.home, title="Behov", theme="coordination", level="regional")
    method = Method.objects.create(
        organisation=world.home, slug="abc", name="ABC", summary_sv="Kort", description_sv="Text", is_published=True
    )
    resource = Resource.objects.create(
        organisation=world.home,
        title_sv="Stöd",
        summary_sv="Text",
        file=ContentFile(b"%PDF-1.4", "stod.pdf"),
        is_published=True,
    )
    network = Network.objects.create(organisation=world.home, name="Nätverk", purpose="Utbyte")
    network.members.add(world.other)
    network_meeting = NetworkMeeting.objects.create(network=network, title="Träff", starts_at=timezone.now())
    document = NetworkDocument.objects.create(
        meeting=network_meeting, title="Minnes", file=ContentFile(b"%PDF-1.4", "minnes.pdf")
    )
    starts = timezone.now() + timedelta(days=7)
    event = Event.objects.create(
        organisation=world.home,
        title="Utbildning",
        description="Text",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        is_published=True,
    )
    registration = Registration.objects.create(event=event, name="Ada", email="ada@example.se", status="confirmed")
    return {
        "network_id": network.pk,
        "network_meeting_id": network_meeting.pk,
        "document_id": document.pk,
        "event_id": event.pk,
        "key": registration.key,
        "registration_id": registration.pk,
        "area_code": world.home.area.code,
        "plan_id": plan.pk,
        "item_id": item.pk,
        "activity_id": activity.pk,
        "round_id": round_.pk,
        "plan_import_id": plan_import.pk,
        "code": indicator.code,
        "slug": world.home.slug,
        "pk": membership.pk,
        "uidb64": "MQ",
        "token": "made-up-token",
        "service_id": service.pk,
        "draft_id": draft.pk,
        "service_uuid": service.uuid,
        "batch_id": batch.pk,
        "kind": "worried_now",
        "survey_round_id": survey_round.pk,
        "questionnaire_id": survey_round.version.questionnaire_id,
        "link_key": survey_round.link_key,
        "name": "support",
        "question": "why",
        "meeting_id": meeting.pk,
        "need_id": need.pk,
        "method_id": method.pk,
        "method_slug": method.slug,
        "filename": "lists.csv",
        "resource_id": resource.pk,
    }


def reverse_with(name: str, values: dict[str, Any]) -> str:
    from django.urls import reverse

    keys = re.findall(r"<(?:\w+:)?(\w+)>", PATTERNS[name])
    return reverse(name, kwargs={key: values[key] for key in keys})


@pytest.mark.parametrize(("name", "view"), OWN_URLS, ids=[n for n, _v in OWN_URLS])
def test_every_view_declares_who_may_use_it(name: str, view: Callable[..., Any]) -> None:
    assert getattr(view, "access_rule", None), f"{name} has no access rule: use @public or @rule_required"
    assert name in MATRIX, f"{name} has no row in the permission matrix"


def test_matrix_has_no_rows_for_urls_that_no_longer_exist() -> None:
    assert set(MATRIX) <= {name for name, _view in OWN_URLS}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name: str, world: World, client: Any) -> None:
    url = reverse_with(name, url_kwargs(world))
    outcomes = {}
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(world.users[actor])
        outcomes[actor] = client.get(url).status_code
    assert outcomes == MATRIX[name]


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_unknown_objects_are_404_for_members_and_hidden_from_anonymous(name: str, world: World, client: Any) -> None:
    from django.urls import reverse

    unknown = {
        **dict.fromkeys(
            [
                "pk",
                "service_id",
                "draft_id",
                "batch_id",
                "plan_id",
                "round_id",
                "plan_import_id",
                "survey_round_id",
                "questionnaire_id",
                "meeting_id",
                "need_id",
                "method_id",
                "resource_id",
                "network_id",
                "network_meeting_id",
                "document_id",
                "event_id",
            ],
            999_999,
        ),
        "name": "support",
        "question": "why",
        "slug": "no-such-organisation",
        "area_code": "no-such-area",
        "kind": "x",
    }
    url = reverse(name, kwargs={key: unknown[key] for key in re.findall(r"<(?:\w+:)?(\w+)>", PATTERNS[name])})
    assert client.get(url).status_code == 302
    client.force_login(world.users[Role.ADMIN])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_django_admin_is_only_for_superusers(name: str, world: World, client: Any, admin_user: Any) -> None:
    from django.urls import reverse

    url = reverse(name)
    for actor in ["anonymous", Role.ADMIN, "national_viewer"]:
        client.logout()
        if actor != "anonymous":
            client.force_login(world.users[actor])
        response = client.get(url)
        assert response.status_code == 302, (actor, response.status_code)
        assert "/admin/login/" in response["Location"]
    own_model = name.startswith(
        (
            "admin:accounts_",
            "admin:geo_",
            "admin:directory_",
            "admin:finder_",
            "admin:plans_",
            "admin:surveys_",
            "admin:meetings_",
            "admin:knowledge_",
            "admin:network_",
            "admin:insights_",
        )
    )
    if name == "admin:index" or (own_model and name.endswith(("_changelist", "_add"))):
        client.force_login(admin_user)
        assert client.get(url).status_code == 200
