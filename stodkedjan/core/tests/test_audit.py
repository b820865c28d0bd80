"""The audit log: what is recorded, who can read it, and that nobody can change it."""

from __future__ import annotations

import pytest

from stodkedjan.accounts.models import Role
from stodkedjan.core.models import AuditEvent, AuditKind, ImmutableError
from stodkedjan.directory.tests.factories import make_service


def kinds() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_sign_ins_and_failed_sign_ins_are_recorded_with_the_address(client, world):
    admin = world.users[Role.ADMIN]
    admin.set_password("ett-langt-losenord-1")
    admin.save()
    client.post("/sv/account/login/", {"username": admin.email, "password": "fel"}, REMOTE_ADDR="10.1.2.3")
    client.post("/sv/account/login/", {"username": admin.email, "password": "ett-langt-losenord-1"})
    client.post("/sv/account/logout/")
    assert kinds() == [AuditKind.SIGN_IN_FAILED, AuditKind.SIGNED_IN, AuditKind.SIGNED_OUT]
    failed = AuditEvent.objects.get(kind=AuditKind.SIGN_IN_FAILED)
    assert (failed.actor_email, failed.client_address) == (admin.email, "10.1.2.3")


def test_role_changes_tokens_exports_and_publication_are_recorded_by_whom(client, world):
    admin = world.users[Role.ADMIN]
    client.force_login(admin)
    viewer = world.home.memberships.get(user=world.users[Role.VIEWER])
    client.post(f"/sv/staff/organisations/{world.home.slug}/members/{viewer.pk}/", {"role": "editor"})
    client.post(f"/sv/staff/organisations/{world.home.slug}/api-tokens/", {"name": "Webbplatsen"})
    client.get(f"/sv/staff/{world.home.slug}/services/export/")
    service = make_service(world.home, status="draft")
    client.post(f"/sv/staff/services/{service.pk}/action/", {"action": "publish"})
    recorded = {e.kind: e for e in AuditEvent.objects.all()}
    assert {AuditKind.ROLE_CHANGED, AuditKind.TOKEN_CREATED, AuditKind.EXPORT, AuditKind.PUBLICATION} <= set(recorded)
    assert all(e.actor_email == admin.email for e in recorded.values())
    assert "viewer → editor" in recorded[AuditKind.ROLE_CHANGED].summary
    assert recorded[AuditKind.TOKEN_CREATED].organisation_id == world.home.pk
    assert recorded[AuditKind.EXPORT].summary == f"erbjudanden-{world.home.slug}.xlsx"


def test_only_the_organisations_admins_read_its_log(client, world):
    client.force_login(world.users[Role.ADMIN])
    client.get(f"/sv/staff/{world.home.slug}/services/export/")
    page = client.get(f"/sv/staff/organisations/{world.home.slug}/audit/")
    assert page.status_code == 200
    assert f"erbjudanden-{world.home.slug}.xlsx" in page.content.decode()
    client.force_login(world.users[Role.COORDINATOR])
    assert client.get(f"/sv/staff/organisations/{world.home.slug}/audit/").status_code == 403


def test_no_one_can_change_or_delete_an_audit_event(world):
    event = AuditEvent.objects.create(kind=AuditKind.EXPORT, summary="lista.csv")
    event.summary = "ändrad"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="ändrad")
    with pytest.raises(ImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "lista.csv"


def test_the_admin_shows_the_log_read_only(client, admin_user, world):
    AuditEvent.objects.create(kind=AuditKind.EXPORT, summary="lista.csv")
    client.force_login(admin_user)
    assert client.get("/admin/core/auditevent/").status_code == 200
    assert client.get("/admin/core/auditevent/add/").status_code == 403
