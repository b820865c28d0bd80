"""Writes for accounts: the organisation switcher and membership management."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from stodkedjan.accounts.models import Membership, Organisation, Role, User
from stodkedjan.accounts.queries import SESSION_KEY
from stodkedjan.core import audit
from stodkedjan.core.models import AuditKind


class MembershipError(Exception):
    """A membership change that would break a rule; the message is shown to the user."""


def switch_organisation(request: HttpRequest, user: User, organisation_id: int) -> bool:
    """Act through another of the user's organisations. False when the user is not a member of it."""
    if not Membership.objects.filter(user=user, organisation_id=organisation_id).exists():
        return False
    request.session[SESSION_KEY] = organisation_id
    return True


@transaction.atomic
def add_member(
    request: HttpRequest, organisation: Organisation, email: str, role: str, full_name: str = ""
) -> Membership:
    """Give ``email`` a role in ``organisation``; create and invite the user when they are new."""
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
        _send_invitation(request, user, organisation)
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise MembershipError(
            _("%(email)s is already a member of %(organisation)s.") % {"email": email, "organisation": organisation}
        )
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit.record(AuditKind.MEMBER_ADDED, organisation=organisation, summary=f"{email}: {role}")
    return membership


def _send_invitation(request: HttpRequest, user: User, organisation: Organisation) -> None:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    body = render_to_string(
        "accounts/email/invitation.txt",
        {"organisation": organisation, "link": request.build_absolute_uri(path), "inviter": request.user},
    )
    send_mail(_("You have been invited to Stödkedjan"), body, None, [user.email])


def _admins_left_after(membership: Membership, new_role: str | None) -> int:
    others = Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    return others.count() + (1 if new_role == Role.ADMIN else 0)


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    """Change a member's role; an organisation always keeps at least one administrator."""
    if membership.role == Role.ADMIN and _admins_left_after(membership, role) == 0:
        raise MembershipError(_("An organisation must have at least one administrator."))
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        AuditKind.ROLE_CHANGED,
        organisation=membership.organisation,
        summary=f"{membership.user.email}: {before} → {role}",
    )
    return membership


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Remove a member; the last administrator cannot be removed."""
    if membership.role == Role.ADMIN and _admins_left_after(membership, None) == 0:
        raise MembershipError(_("An organisation must have at least one administrator."))
    membership.delete()
    audit.record(AuditKind.MEMBER_REMOVED, organisation=membership.organisation, summary=membership.user.email)
