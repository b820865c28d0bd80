"""The permission rules of DESIGN §4, checked against objects owned by organisations."""

from dataclasses import dataclass

import pytest

from stodkedjan.accounts.models import Organisation, Role


@dataclass
class Owned:
    """Stands for any object that belongs to an organisation (a service, a plan, ...)."""

    organisation: Organisation


@pytest.mark.parametrize(
    ("actor", "can_read", "can_edit"),
    [
        (Role.VIEWER, True, False),
        (Role.EDITOR, True, True),
        (Role.COORDINATOR, True, True),
        (Role.ADMIN, True, True),
        ("other_org_admin", False, False),
        ("county_board_viewer", True, False),
        ("national_viewer", True, False),
    ],
)
def test_read_and_edit_follow_role_and_reach(world, actor, can_read, can_edit):
    from stodkedjan.accounts.rules import can_edit as edit_rule
    from stodkedjan.accounts.rules import can_read_internal

    user = world.users[actor]
    thing = Owned(world.home)
    assert can_read_internal.test(user, thing) is can_read
    assert edit_rule.test(user, thing) is can_edit


def test_county_board_reads_only_inside_its_own_county(world):
    board_member = world.users["county_board_viewer"]
    assert board_member.has_perm("accounts.view_organisation", world.home)
    assert not board_member.has_perm("accounts.view_organisation", world.other)


def test_national_members_read_every_county(world):
    national = world.users["national_viewer"]
    assert national.has_perm("accounts.view_organisation", world.other)
    assert not national.has_perm("accounts.change_organisation", world.other)


def test_only_admins_manage_their_own_organisation(world):
    assert world.users[Role.ADMIN].has_perm("accounts.manage_memberships", world.home)
    assert not world.users[Role.COORDINATOR].has_perm("accounts.manage_memberships", world.home)
    assert not world.users["other_org_admin"].has_perm("accounts.manage_memberships", world.home)


def test_anonymous_users_have_no_internal_access(world):
    from django.contrib.auth.models import AnonymousUser

    assert not AnonymousUser().has_perm("accounts.view_organisation", world.home)


def test_membership_facts_are_read_once_per_user_object(world, django_assert_num_queries):
    user = world.users[Role.EDITOR]
    with django_assert_num_queries(1):
        for _ in range(5):
            user.has_perm("accounts.view_organisation", world.home)
