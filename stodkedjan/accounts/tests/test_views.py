import pytest
from django.core import mail
from django.urls import reverse

from stodkedjan.accounts.models import Membership, Role, User
from stodkedjan.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory

LOGIN = "/sv/account/login/"


def test_a_wrong_password_gives_a_clear_message_and_keeps_the_email(world, client):
    response = client.post(LOGIN, {"username": "editor@home.example", "password": "wrong"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Det finns ett problem" in text
    assert "korrekt" in text.lower()  # Django's own Swedish message: "Ange korrekt E-postadress och lösenord..."
    assert 'value="editor@home.example"' in text


def test_a_malformed_email_is_named_in_the_error_summary(db, client):
    response = client.post(LOGIN, {"username": "inte-en-adress", "password": "x"})
    assert response.status_code == 200
    assert 'href="#id_username"' in response.content.decode()


def test_signing_in_leads_to_the_workspace(world, client):
    response = client.post(LOGIN, {"username": "EDITOR@home.example", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/sv/staff/"
    assert "Botkyrka kommun" in response.content.decode()


def test_repeated_failures_are_throttled(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, {"username": "editor@home.example", "password": "wrong"}).status_code == 200
    locked = client.post(LOGIN, {"username": "editor@home.example", "password": "wrong"})
    assert locked.status_code == 429
    assert "För många misslyckade inloggningsförsök" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert client.post(LOGIN, {"username": "editor@home.example", "password": PASSWORD}).status_code == 429


def test_a_user_in_two_organisations_can_switch_between_them(world, client):
    user = world.users[Role.EDITOR]
    MembershipFactory(user=user, organisation=world.other, role=Role.VIEWER)
    client.force_login(user)
    page = client.get("/sv/staff/").content.decode()
    assert 'id="switch-organisation"' in page
    response = client.post(
        reverse("accounts:switch_organisation"), {"organisation": world.other.pk, "next": "/sv/staff/organisations/"}
    )
    assert response["Location"] == "/sv/staff/organisations/"
    assert "som läsare i Malmö stad" in client.get("/sv/staff/").content.decode()


def test_switching_to_an_organisation_you_are_not_in_is_refused(world, client):
    client.force_login(world.users[Role.EDITOR])
    client.post(
        reverse("accounts:switch_organisation"), {"organisation": world.other.pk, "next": "https://evil.example/"}
    )
    page = client.get("/sv/staff/").content.decode()
    assert "i Botkyrka kommun" in page


def test_switcher_never_redirects_off_site(world, client):
    user = world.users[Role.EDITOR]
    MembershipFactory(user=user, organisation=world.other)
    client.force_login(user)
    response = client.post(
        reverse("accounts:switch_organisation"), {"organisation": world.other.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/sv/staff/"


def test_an_admin_adds_a_new_person_who_gets_an_invitation(world, client):
    client.force_login(world.users[Role.ADMIN])
    url = reverse("accounts:member_add", kwargs={"slug": world.home.slug})
    response = client.post(url, {"email": "Ny.Person@home.example", "full_name": "Ny Person", "role": Role.EDITOR})
    assert response.status_code == 302
    user = User.objects.get(email="ny.person@home.example")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, organisation=world.home).role == Role.EDITOR
    assert len(mail.outbox) == 1
    assert "/account/password-reset/" in mail.outbox[0].body


def test_adding_someone_twice_keeps_the_form_and_says_why(world, client):
    client.force_login(world.users[Role.ADMIN])
    url = reverse("accounts:member_add", kwargs={"slug": world.home.slug})
    response = client.post(url, {"email": "viewer@home.example", "full_name": "Namn kvar", "role": Role.EDITOR})
    text = response.content.decode()
    assert response.status_code == 200
    assert "redan medlem" in text
    assert 'value="Namn kvar"' in text


def test_the_last_admin_cannot_be_removed_or_demoted(world, client):
    admin = world.users[Role.ADMIN]
    client.force_login(admin)
    membership = Membership.objects.get(user=admin, organisation=world.home)
    url = reverse("accounts:member_edit", kwargs={"slug": world.home.slug, "pk": membership.pk})
    assert "minst en administratör" in client.post(url, {"role": Role.VIEWER}).content.decode()
    assert "minst en administratör" in client.post(url, {"role": Role.ADMIN, "remove": "1"}).content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_an_admin_changes_a_role(world, client):
    client.force_login(world.users[Role.ADMIN])
    membership = Membership.objects.get(user=world.users[Role.VIEWER], organisation=world.home)
    url = reverse("accounts:member_edit", kwargs={"slug": world.home.slug, "pk": membership.pk})
    assert client.post(url, {"role": Role.EDITOR}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR


def test_a_membership_cannot_be_reached_through_another_organisations_address(world, client):
    other_membership = world.other.memberships.first()
    client.force_login(world.users[Role.ADMIN])
    url = reverse("accounts:member_edit", kwargs={"slug": world.home.slug, "pk": other_membership.pk})
    assert client.get(url).status_code == 404


def test_county_board_sees_the_organisations_in_its_county(world, client):
    client.force_login(world.users["county_board_viewer"])
    page = client.get(reverse("accounts:organisation_list")).content.decode()
    assert "Botkyrka kommun" in page
    assert "Malmö stad" not in page


@pytest.mark.parametrize("actor", [Role.VIEWER, "national_viewer"])
def test_workspace_pages_use_a_bounded_number_of_queries(world, client, django_assert_max_num_queries, actor):
    client.force_login(world.users[actor])
    budgets = {"/sv/staff/": 32, "/sv/staff/organisations/": 8, f"/sv/staff/organisations/{world.home.slug}/": 8}
    for url, budget in budgets.items():  # the home: a few counts per section and one coverage engine, whatever the data
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_users_sign_in_with_email_only(db):
    user = UserFactory(email="a@b.example")
    assert User.USERNAME_FIELD == "email"
    assert str(user) == user.full_name
