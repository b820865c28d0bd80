"""Staff workspace: overview, organisation switcher, organisations and their members."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stodkedjan.accounts import queries, services
from stodkedjan.accounts.forms import MemberAddForm, MembershipForm, OrganisationForm, SwitchOrganisationForm
from stodkedjan.accounts.models import Membership, Organisation, User
from stodkedjan.core.access import rule_required


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
    return render(request, "accounts/workspace.html")


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
