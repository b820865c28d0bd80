"""Staff workspace: overview, organisation switcher, organisations and their members."""

from __future__ import annotations

from base64 import b32encode
from typing import cast

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from stodkedjan.accounts import home, queries, services, two_factor
from stodkedjan.accounts.forms import (
    MemberAddForm,
    MembershipForm,
    OneTimeCodeForm,
    OrganisationForm,
    SwitchOrganisationForm,
)
from stodkedjan.accounts.models import Membership, Organisation, User
from stodkedjan.core import audit
from stodkedjan.core.access import rule_required
from stodkedjan.core.models import AuditKind


def to_own_organisation(request: HttpRequest, url_name: str, title: str) -> HttpResponse:
    """Send a member to ``url_name`` for the organisation they are working as; tell others they have none.

    For the "my offerings", "my plans" entries of the staff navigation, which name no organisation.
    """
    membership = queries.current_membership(request)
    if membership is None:
        return render(request, "accounts/no_organisation.html", {"title": title})
    return redirect(url_name, slug=membership.organisation.slug)


@rule_required("accounts.use_workspace")
def workspace(request: HttpRequest) -> HttpResponse:
    """The staff home: what the member has to do, section by section (``accounts.home``)."""
    sections = home.sections(request, queries.current_membership(request))
    return render(request, "accounts/workspace.html", {"sections": sections})


@require_POST
@rule_required("accounts.use_workspace")
def switch_organisation(request: HttpRequest) -> HttpResponse:
    form = SwitchOrganisationForm(request.POST)
    if form.is_valid() and services.switch_organisation(
        request, cast(User, request.user), form.cleaned_data["organisation"]
    ):
        messages.success(request, _("You are now working as a member of the chosen organisation."))
    else:
        messages.error(request, _("You are not a member of that organisation."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    return HttpResponseRedirect(target or reverse("accounts:workspace"))


@rule_required("accounts.use_workspace")
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = queries.visible_organisations(request.user)
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@rule_required("accounts.view_organisation", queries.organisation_by_slug)
def organisation_detail(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "members": queries.members_of(organisation),
            "can_manage": request.user.has_perm("accounts.manage_memberships", organisation),
        },
    )


@rule_required("accounts.change_organisation", queries.organisation_by_slug)
def organisation_edit(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation's details were saved."))
        return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"organisation": organisation, "form": form})


@rule_required("accounts.manage_memberships", queries.organisation_by_slug)
def member_add(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(request, organisation, **form.cleaned_data)
        except services.MembershipError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("%(email)s was added.") % {"email": form.cleaned_data["email"]})
            return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/member_add.html", {"organisation": organisation, "form": form})


def _membership(slug: str, pk: int) -> Membership:
    return queries.membership_in(slug, pk)


@rule_required("accounts.manage_memberships", _membership)
def member_edit(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = MembershipForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.remove_member(membership)
                messages.success(request, _("%(user)s was removed.") % {"user": membership.user})
                return redirect("accounts:organisation_detail", slug=membership.organisation.slug)
            if form.is_valid():
                services.change_role(membership, form.cleaned_data["role"])
                messages.success(request, _("The role was changed."))
                return redirect("accounts:organisation_detail", slug=membership.organisation.slug)
        except services.MembershipError as error:
            form.add_error("role", str(error))
    return render(request, "accounts/member_edit.html", {"membership": membership, "form": form})


@rule_required("accounts.view_audit_log", queries.organisation_by_slug)
def audit_log(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """What happened in the organisation, and its members' sign-ins: read only, newest first."""
    context = {"organisation": organisation, "events": queries.audit_events(organisation)}
    return render(request, "accounts/audit_log.html", context)


@rule_required("accounts.use_workspace")
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn the second factor on (scan the code, confirm one code) or off."""
    user = request.user
    confirmed = two_factor.confirmed_device(user)
    if request.method == "POST" and request.POST.get("action") == "off" and confirmed is not None:
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(AuditKind.SECOND_FACTOR_OFF)
        messages.success(request, _("Two-step sign-in is turned off."))
        return redirect("accounts:two_factor_setup")
    if confirmed is not None:
        return render(request, "accounts/two_factor_setup.html", {"confirmed": True})
    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "app"})
    form = OneTimeCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        audit.record(AuditKind.SECOND_FACTOR_ON)
        messages.success(request, _("Two-step sign-in is on. Next time, enter a code after your password."))
        return redirect("accounts:two_factor_setup")
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    context = {"form": form, "qr": mark_safe(svg), "secret": b32encode(device.bin_key).decode()}  # noqa: S308 - segno's own SVG
    return render(request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200)


@rule_required("accounts.use_workspace")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code after the password, for people who turned the second factor on."""
    device = two_factor.confirmed_device(request.user)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("accounts:workspace")
    if device is None or request.user.is_verified():  # type: ignore[union-attr]
        return redirect(target)
    form = OneTimeCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(target)
    return render(request, "accounts/two_factor_verify.html", {"form": form}, status=400 if form.errors else 200)
