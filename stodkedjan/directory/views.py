"""Providers' pages: their offerings, editing, publishing, checking, history, import and export."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from stodkedjan.accounts import queries as account_queries
from stodkedjan.accounts.models import Organisation, User
from stodkedjan.accounts.views import to_own_organisation
from stodkedjan.core import audit
from stodkedjan.core.access import public, rule_required
from stodkedjan.core.downloads import CSV, XLSX, attachment
from stodkedjan.core.models import AuditKind
from stodkedjan.core.vocabulary import language_name
from stodkedjan.directory import drafts, duplicates, queries, services, spreadsheet, verification
from stodkedjan.directory.forms import (
    DraftReturnForm,
    EditReviewForm,
    ReminderScheduleForm,
    ScheduleFormSet,
    ServiceForm,
    UploadForm,
    VerificationSendForm,
    schedule_initial,
)
from stodkedjan.directory.models import (
    DraftState,
    Service,
    ServiceDraft,
    SpreadsheetImport,
    Status,
    Taxonomy,
    VerificationAnswer,
)

organisation_by_slug = account_queries.organisation_by_slug


@rule_required("accounts.use_workspace")
def my_services(request: HttpRequest) -> HttpResponse:
    """The offerings of the organisation the user is working as."""
    return to_own_organisation(request, "directory:service_list", _("Offerings"))


@rule_required("directory.view_services", organisation_by_slug)
def service_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    status = request.GET.get("status", "")
    context = {
        "organisation": organisation,
        "services": queries.organisation_services(organisation, status),
        "status": status,
        "statuses": Status.choices,
        "review_count": queries.needing_review(organisation).count(),
        "duplicate_count": duplicates.count_for(organisation),
        "drafts_waiting": drafts.waiting_in(organisation).count(),
        "can_edit": request.user.has_perm("directory.add_service", organisation),
        "review_form": EditReviewForm(organisation=organisation, user=request.user)
        if request.user.has_perm("directory.set_edit_review", organisation)
        else None,
    }
    return render(request, "directory/service_list.html", context)


@require_POST
@rule_required("directory.set_edit_review", organisation_by_slug)
def edit_review_setting(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Whether editors' changes to published offerings wait for a reviewer, and whose."""
    form = EditReviewForm(request.POST, organisation=organisation, user=request.user)
    if form.is_valid():
        organisation.edit_review = form.cleaned_data["edit_review"]
        organisation.save(update_fields=["edit_review"])
        messages.success(
            request,
            _("Saved: changes to published offerings are %(how)s.") % {"how": organisation.get_edit_review_display()},
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("directory:service_list", slug=organisation.slug)


@rule_required("directory.set_reminder_schedule", organisation_by_slug)
def reminder_schedule(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """A county board sets when the verification reminders of its county's offerings go out."""
    form = ReminderScheduleForm(request.POST or None, initial=_schedule_initial(organisation))
    if request.method == "POST" and form.is_valid():
        organisation.reminder_days = form.cleaned_data["reminder_days"]
        organisation.flag_after_days = form.cleaned_data["flag_after_days"]
        organisation.save(update_fields=["reminder_days", "flag_after_days"])
        audit.record(
            AuditKind.PUBLICATION,
            organisation=organisation,
            request=request,
            summary=f"påminnelser {organisation.reminder_days}, lämnas efter {organisation.flag_after_days}",
        )
        messages.success(request, _("Saved: the reminders follow the new schedule from tomorrow's run."))
        return redirect(reverse("insights:county", kwargs={"slug": organisation.slug}) + "#freshness")
    context = {"organisation": organisation, "form": form, "schedule": verification.schedule_of(organisation)}
    return render(request, "directory/reminder_schedule.html", context, status=400 if form.errors else 200)


def _schedule_initial(organisation: Organisation) -> dict[str, Any]:
    schedule = verification.schedule_of(organisation)
    return {"reminder_days": ", ".join(str(d) for d in schedule.reminders), "flag_after_days": schedule.flag_after}


@rule_required("directory.view_services", organisation_by_slug)
def draft_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The changes that wait for review on this organisation's page (for a county board: its county's
    providers whose changes it reviews), oldest first."""
    waiting = list(drafts.waiting_in(organisation))
    context = {
        "organisation": organisation,
        "drafts": [(d, request.user.has_perm("directory.review_draft", d.service)) for d in waiting],
    }
    return render(request, "directory/draft_list.html", context)


@rule_required("directory.view_service", queries.draft_by_id)
def draft_review(request: HttpRequest, draft: ServiceDraft) -> HttpResponse:
    """A draft beside the live offering, field by field; a reviewer approves it, edits it or returns it."""
    can_review = draft.state == DraftState.WAITING and request.user.has_perm("directory.review_draft", draft.service)
    return_form = DraftReturnForm(request.POST if request.POST.get("action") == "return" else None)
    problems: list[str] = []
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "approve":
            saved, form, schedules = drafts.approve(draft, request.user)
            if saved is not None:
                messages.success(request, _("The change is approved and published."))
                return redirect("directory:service_detail", service_id=draft.service_id)
            problems = [
                f"{form.fields[name].label if name in form.fields else name}: {' '.join(str(e) for e in errors)}"
                for name, errors in form.errors.items()
            ]
            problems += [str(e) for f in schedules.forms for errors in f.errors.values() for e in errors]
        elif action == "return" and return_form.is_valid():
            drafts.give_back(draft, request.user, return_form.cleaned_data["comment"])
            messages.success(request, _("The change was returned to its author with your comment."))
            return redirect("directory:draft_list", slug=draft.service.organisation.slug)
    context = {
        "draft": draft,
        "service": draft.service,
        "organisation": draft.service.organisation,
        "differences": drafts.differences(draft),
        "can_review": can_review,
        "return_form": return_form,
        "problems": problems,
    }
    return render(request, "directory/draft_review.html", context)


@rule_required("directory.view_services", organisation_by_slug)
def duplicate_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Likely duplicates side by side, each with what can be done about it by this user."""
    pairs = duplicates.pairs_for(organisation)
    user = request.user
    context = {
        "organisation": organisation,
        "pairs": [
            (
                pair,
                user.has_perm("directory.resolve_duplicate", pair.duplicate),
                user.has_perm("directory.resolve_duplicate", pair.original),
            )
            for pair in pairs
        ],
    }
    return render(request, "directory/duplicate_list.html", context)


@require_POST
@rule_required("directory.view_service", queries.service_by_id)
def duplicate_action(request: HttpRequest, service: Service) -> HttpResponse:
    """For a likely duplicate: "merge" it into its original, "keep" it and retire the original instead, or
    say the two are "distinct". Each needs the right to change the offering it retires or shows again."""
    original = service.duplicate_of
    action = request.POST.get("action", "")
    if original is None or action not in ("merge", "keep", "distinct"):
        messages.info(request, _("This offering is no longer marked as a likely duplicate."))
    elif not request.user.has_perm("directory.resolve_duplicate", original if action == "keep" else service):
        raise PermissionDenied
    elif action == "distinct":
        duplicates.mark_distinct(service, request.user)
        messages.success(request, _("Marked as two different offerings; parents can find both."))
    elif action == "merge":
        duplicates.merge(original, service, request.user)
        messages.success(request, _("Merged: “%(name)s” is kept.") % {"name": original.name_sv})
    else:
        duplicates.merge(service, original, request.user)
        messages.success(request, _("Merged: “%(name)s” is kept.") % {"name": service.name_sv})
    slug = request.POST.get("slug", "")
    if slug and Organisation.objects.filter(slug=slug).exists():
        return redirect("directory:duplicate_list", slug=slug)
    return redirect("directory:service_detail", service_id=service.pk)


def _edit(request: HttpRequest, organisation: Organisation, service: Service | None) -> HttpResponse:
    """Create or change an offering. Where edits are reviewed, an editor's change to a published offering is
    kept as a draft (directory.drafts) and the form starts from that draft next time; a reviewer who opens a
    draft here (``?draft=``) edits it, and saving publishes it."""
    drafting = drafts.must_draft(request.user, service)
    continued = drafts.to_continue(service) if drafting and service else None
    reviewed = _reviewed_draft(request, service)
    data: Any = request.POST if request.method == "POST" else None
    if data is None and (start := continued or reviewed):
        data = drafts.as_form_data(start)
    initial = ServiceForm.initial_for(service) if service else None
    form = ServiceForm(data, organisation=organisation, initial=initial)
    schedules = ScheduleFormSet(data, prefix="schedule", initial=schedule_initial(service) if service else None)
    if request.method == "POST" and form.is_valid() and schedules.is_valid():
        if drafting and service:
            drafts.save(service, drafts.posted(request.POST), request.user, cast(User, request.user).email)
            messages.success(
                request,
                _(
                    "Your change is kept as a draft and waits for review. Parents see the offering as it was until "
                    "a reviewer approves the change."
                ),
            )
            return redirect("directory:service_detail", service_id=service.pk)
        if reviewed:
            saved, _form, _schedules = drafts.approve(reviewed, request.user, request.POST)
            messages.success(request, _("The change is approved and published."))
            return redirect("directory:service_detail", service_id=reviewed.service_id)
        data = form.service_data([s for f in schedules.forms if (s := f.schedule())])
        saved = services.save_service(organisation, data, service)
        messages.success(request, _("The offering was saved."))
        if missing := form.languages_without_text():
            messages.warning(
                request,
                _(
                    "It is given in %(languages)s: add its name and description in that language too "
                    "(Edit → Name and description in other languages), so that those parents read it in their own."
                )
                % {"languages": ", ".join(language_name(code) for code in missing)},
            )
        return redirect("directory:service_detail", service_id=saved.pk)
    context = {
        "organisation": organisation,
        "service": service,
        "form": form,
        "schedules": schedules,
        "texts_missing": form.languages_without_text() if not data or form.is_valid() else [],
        "drafting": drafting,
        "continued": continued,
        "reviewed": reviewed,
    }
    return render(request, "directory/service_form.html", context)


def _reviewed_draft(request: HttpRequest, service: Service | None) -> ServiceDraft | None:
    wanted = request.POST.get("draft") or request.GET.get("draft") or ""
    if service is None or not wanted.isdigit():
        return None
    draft = drafts.waiting(service)
    if draft is None or draft.pk != int(wanted) or not request.user.has_perm("directory.review_draft", service):
        return None
    return draft


@rule_required("directory.add_service", organisation_by_slug)
def service_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _edit(request, organisation, None)


@rule_required("directory.change_service", queries.service_by_id)
def service_edit(request: HttpRequest, service: Service) -> HttpResponse:
    return _edit(request, service.organisation, service)


@rule_required("directory.view_service", queries.service_for_page)
def service_detail(request: HttpRequest, service: Service) -> HttpResponse:
    context = {
        "service": service,
        "organisation": service.organisation,
        "given_in": [language_name(t.code) for t in service.terms.all() if t.taxonomy == Taxonomy.LANGUAGE],
        "written_in": [language_name(code) for code, _n in settings.LANGUAGES if getattr(service, f"name_{code}")],
        "can_edit": request.user.has_perm("directory.change_service", service),
        "needs_review": service.needs_review(),
        "can_send_link": service.status == Status.ACTIVE
        and request.user.has_perm("directory.send_verification", service),
        "link_form": VerificationSendForm(),
        "requests": verification.open_requests(service) if service.needs_review() else [],
        "draft": service.drafts.exclude(state=DraftState.SUPERSEDED).first(),
    }
    return render(request, "directory/service_detail.html", context)


ACTIONS = {  # the messages marked for the catalogue here, translated when shown
    "publish": (Status.ACTIVE, gettext_noop("The offering is published and parents can find it.")),
    "unpublish": (Status.INACTIVE, gettext_noop("The offering is no longer shown to the public.")),
    "archive": (Status.DEFUNCT, gettext_noop("The offering was archived.")),
}


@require_POST
@rule_required("directory.change_service", queries.service_by_id)
def service_action(request: HttpRequest, service: Service) -> HttpResponse:
    action = request.POST.get("action", "")
    if action in ACTIONS:
        status, message = ACTIONS[action]
        services.set_status(service, status, request.user)
        messages.success(request, _(message))
    elif action == "check":
        services.mark_checked([service], request.user)
        messages.success(request, _("Marked as checked and still correct today."))
        if request.POST.get("next") == "review":
            return redirect("directory:review_list", slug=service.organisation.slug)
        if request.POST.get("next") == "home":
            return redirect("accounts:workspace")
    elif action == "duplicate":
        copy = services.duplicate(service)
        messages.success(request, _("A copy was made as a draft. Change what differs and publish it."))
        return redirect("directory:service_edit", service_id=copy.pk)
    else:
        raise Http404
    return redirect("directory:service_detail", service_id=service.pk)


@rule_required("directory.view_service", queries.service_by_id)
def service_history(request: HttpRequest, service: Service) -> HttpResponse:
    return render(request, "directory/service_history.html", {"service": service, "changes": queries.history(service)})


@rule_required("directory.view_services", organisation_by_slug)
def review_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    context = {
        "organisation": organisation,
        "services": queries.needing_review(organisation),
        "can_edit": request.user.has_perm("directory.add_service", organisation),
    }
    return render(request, "directory/review_list.html", context)


@rule_required("directory.add_service", organisation_by_slug)
def import_upload(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[spreadsheet.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = spreadsheet.parse(organisation, upload.name, upload.read())
        except spreadsheet.SpreadsheetRejected as rejected:
            errors = rejected.errors
        else:
            batch = SpreadsheetImport.objects.create(
                organisation=organisation, created_by=cast(User, request.user), filename=upload.name[:200], rows=rows
            )
            return redirect("directory:import_preview", slug=organisation.slug, batch_id=batch.pk)
    context = {"organisation": organisation, "form": form, "errors": errors}
    return render(request, "directory/import_upload.html", context, status=400 if errors else 200)


@rule_required("directory.add_service", queries.pending_import)
def import_preview(request: HttpRequest, batch: SpreadsheetImport) -> HttpResponse:
    organisation = batch.organisation
    if request.method == "POST":
        saved = spreadsheet.confirm_import(batch, request.user)
        messages.success(request, _("%(count)d offerings were imported.") % {"count": len(saved)})
        return redirect("directory:service_list", slug=organisation.slug)
    return render(request, "directory/import_preview.html", {"organisation": organisation, "batch": batch})


@rule_required("directory.view_services", organisation_by_slug)
def spreadsheet_template(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    rows = spreadsheet.template_rows()
    if request.GET.get("format") == "csv":
        return attachment(spreadsheet.to_csv(rows), "stodkedjan-mall.csv", CSV)
    return attachment(spreadsheet.to_xlsx(rows, "Erbjudanden"), "stodkedjan-mall.xlsx", XLSX)


@rule_required("directory.view_services", organisation_by_slug)
def export(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    rows = spreadsheet.export_rows(organisation)
    return attachment(spreadsheet.to_xlsx(rows, "Erbjudanden"), f"erbjudanden-{organisation.slug}.xlsx", XLSX)


# --- verification links (issue 24) -------------------------------------------------------------------------


@public
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """A provider's one-click answer from an e-mailed link: the offering as parents see it and two buttons.
    Opening the link changes nothing (mail scanners open links); pressing a button answers, once. The link
    signs no one in; an unknown, altered or expired link is a plain 404."""
    found = verification.find(token)
    if found is None:
        raise Http404("unknown or expired link")
    service = found.service
    context: dict[str, Any] = {"found": found, "service": service}
    if verification.already_answered(found):
        return render(request, "directory/verify_done.html", {**context, "already": True})
    if request.method == "POST":
        choice = request.POST.get("answer", "")
        if choice not in VerificationAnswer.values:
            context["error"] = _("Choose one of the two answers.")
            return render(request, "directory/verify.html", context, status=400)
        if not verification.answer(found, choice, request.POST.get("note", "")):
            return render(request, "directory/verify_done.html", {**context, "already": True})
        found.refresh_from_db()
        service.refresh_from_db()
        return render(request, "directory/verify_done.html", {**context, "already": False})
    return render(request, "directory/verify.html", context)


@require_POST
@rule_required("directory.send_verification", queries.service_by_id)
def send_verification(request: HttpRequest, service: Service) -> HttpResponse:
    """A county board's (or the organisation's) editor sends the link for one offering to one address."""
    form = VerificationSendForm(request.POST)
    if form.is_valid():
        sender = cast(User, request.user)
        verification.send_one(service, form.cleaned_data["email"], f"{sender.full_name} ({sender.email})")
        messages.success(request, _("A link was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    else:
        messages.error(request, _("Write an e-mail address to send the link to."))
    return redirect("directory:service_detail", service_id=service.pk)
