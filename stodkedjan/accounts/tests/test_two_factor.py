"""The optional second factor: turned on with one confirmed code, then asked for after the password before
any staff page or the admin, and turned off again."""

from __future__ import annotations

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from stodkedjan.accounts.models import Role
from stodkedjan.core.models import AuditEvent, AuditKind

PASSWORD = "ett-langt-losenord-1"


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.drift = drift
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user) -> None:
    client.logout()
    assert client.post("/sv/account/login/", {"username": user.email, "password": PASSWORD}).status_code == 302


def test_an_admin_turns_on_two_step_sign_in_and_then_needs_the_code(client, world):
    admin = world.users[Role.ADMIN]
    admin.set_password(PASSWORD)
    admin.save()
    sign_in(client, admin)
    page = client.get("/sv/account/two-step/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    wrong = client.post("/sv/account/two-step/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "Koden stämmer inte" in wrong.content.decode()
    assert client.post("/sv/account/two-step/", {"code": code_for(device)}).status_code == 400  # throttled
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/sv/account/two-step/", {"code": code_for(device)}).status_code == 302
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert AuditEvent.objects.filter(kind=AuditKind.SECOND_FACTOR_ON, actor_email=admin.email).exists()

    sign_in(client, admin)
    blocked = client.get(f"/sv/staff/organisations/{world.home.slug}/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/sv/account/two-step/code/?next=")
    assert client.get("/admin/")["Location"].startswith("/sv/account/two-step/code/")
    device.refresh_from_db()
    verify = blocked["Location"]
    assert client.post(verify, {"code": "12"}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(verify, {"code": code_for(device, drift=1)})
    assert done.status_code == 302
    assert done["Location"] == f"/sv/staff/organisations/{world.home.slug}/"
    assert client.get(done["Location"]).status_code == 200


def test_people_without_a_second_factor_are_not_asked_and_it_can_be_turned_off(client, world):
    editor = world.users[Role.EDITOR]
    client.force_login(editor)
    assert client.get("/sv/staff/").status_code == 200
    assert client.get("/sv/account/two-step/code/")["Location"] == "/sv/staff/"
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=False)
    client.get("/sv/account/two-step/")
    client.post("/sv/account/two-step/", {"code": code_for(device)})
    client.post("/sv/account/two-step/", {"action": "off"})
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert AuditEvent.objects.filter(kind=AuditKind.SECOND_FACTOR_OFF).exists()


def test_the_code_page_does_not_send_people_elsewhere(client, world):
    admin = world.users[Role.ADMIN]
    TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client.force_login(admin)
    page = client.get("/sv/account/two-step/code/?next=https://evil.example/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=admin)
    done = client.post("/sv/account/two-step/code/?next=https://evil.example/", {"code": code_for(device)})
    assert done["Location"] == "/sv/staff/"
