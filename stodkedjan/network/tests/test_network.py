"""Networks: members-only pages, documents, announcements and the digest task; the evaluation mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from stodkedjan.accounts.models import Role
from stodkedjan.accounts.tests.factories import MembershipFactory
from stodkedjan.network import services, tasks
from stodkedjan.network.models import Announcement, Event, Network, Registration
from stodkedjan.surveys.tests.factories import make_round


@pytest.fixture
def network(world):
    network = Network.objects.create(organisation=world.county_board, name="Länsnätverket", purpose="Utbyte")
    network.members.add(world.home)
    return network


def test_only_member_organisations_see_the_network(client, world, network):
    client.force_login(world.users[Role.VIEWER])  # the home municipality is a member
    assert client.get(f"/sv/staff/networks/{network.pk}/").status_code == 200
    client.force_login(world.users["other_org_admin"])  # Malmö, in another county, is not
    assert client.get(f"/sv/staff/networks/{network.pk}/").status_code == 403


def test_the_convenor_uploads_meeting_documents_for_members(client, world, network):
    editor = MembershipFactory(organisation=world.county_board, role=Role.EDITOR).user
    client.force_login(editor)
    response = client.post(
        f"/sv/staff/networks/{network.pk}/meetings/new/",
        {"title": "Vårträff", "starts_at": "2027-03-02T13:00", "agenda": "- Läget"},
    )
    meeting = network.meetings.get()
    assert response["Location"].endswith(f"/staff/network-meetings/{meeting.pk}/")
    wrong = client.post(
        f"/sv/staff/network-meetings/{meeting.pk}/",
        {"title": "Program", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert wrong.status_code == 400
    upload = SimpleUploadedFile("minnes.pdf", b"%PDF-1.4 minnes")
    client.post(f"/sv/staff/network-meetings/{meeting.pk}/", {"title": "Minnesanteckningar", "file": upload})
    document = meeting.documents.get()
    client.force_login(world.users[Role.VIEWER])
    download = client.get(f"/sv/staff/network-documents/{document.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minnes"
    assert client.post(f"/sv/staff/network-meetings/{meeting.pk}/", {"title": "x"}).status_code == 200  # no upload
    assert meeting.documents.count() == 1


def test_the_digest_goes_to_each_member_once(world, network):
    outsider = world.users["other_org_admin"]
    services.post_announcement(network, world.users[Role.ADMIN], "Utbildningsdag", "Anmäl er senast 1 mars.")
    services.post_announcement(network, world.users[Role.ADMIN], "Nytt material", "Läs på kunskapsbanken.")
    result = tasks.send_announcement_digest.enqueue()
    members = {m.user_id for org in (world.home, world.county_board) for m in org.memberships.all()}
    assert result.return_value == len(members)
    recipients = {address for message in mail.outbox for address in message.to}
    assert world.users[Role.VIEWER].email in recipients
    assert outsider.email not in recipients
    first = next(m for m in mail.outbox if m.to == [world.users[Role.VIEWER].email])
    assert "Utbildningsdag" in first.body
    assert "Nytt material" in first.body
    assert "2 nya meddelanden" in first.subject
    sent = len(mail.outbox)
    assert tasks.send_announcement_digest.enqueue().return_value == 0  # run twice: nothing more is sent
    assert len(mail.outbox) == sent
    assert not Announcement.objects.filter(digest_sent_at__isnull=True).exists()


def test_a_failing_mail_server_leaves_the_announcements_for_the_retry(world, network, settings):
    services.post_announcement(network, world.users[Role.ADMIN], "Meddelande", "Text")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    with pytest.raises(ConnectionRefusedError):
        services.send_digests()
    assert Announcement.objects.filter(digest_sent_at__isnull=True).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_digests() > 0


@pytest.mark.django_db(transaction=True)
def test_the_database_task_queue_runs_the_daily_tasks_in_the_worker(world, network):
    services.post_announcement(network, world.users[Role.ADMIN], "Kö", "Via arbetaren")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        call_command("network_tasks")
        assert mail.outbox == []  # queued, not yet run
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert any("Kö" in m.body for m in mail.outbox)


def test_the_evaluation_goes_once_to_those_who_came(world):
    survey_round = make_round(world.county_board)
    ended = timezone.now() - timedelta(hours=2)
    event = Event.objects.create(
        organisation=world.county_board,
        title="Kursdag",
        description="x",
        starts_at=ended - timedelta(hours=4),
        ends_at=ended,
        evaluation=survey_round,
        is_published=True,
    )
    Registration.objects.create(event=event, name="Ada", email="ada@example.se", status="confirmed", attended=True)
    Registration.objects.create(event=event, name="Bo", email="bo@example.se", status="confirmed", attended=False)
    Registration.objects.create(event=event, name="Cy", email="cy@example.se", status="cancelled")
    assert services.send_evaluations() == 1
    assert mail.outbox[0].to == ["ada@example.se"]
    assert f"/survey/{survey_round.link_key}/" in mail.outbox[0].body
    assert services.send_evaluations() == 0
