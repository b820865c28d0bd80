"""Plan pages: the plan as its table with inline editing, import, follow-up rounds, reports, history."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from stodkedjan.accounts import queries as account_queries
from stodkedjan.accounts.models import Organisation, User
from stodkedjan.accounts.views import to_own_organisation
from stodkedjan.core.access import rule_required
from stodkedjan.core.downloads import DOCX, PDF, XLSX, attachment
from stodkedjan.plans import importer, queries, reports, services
from stodkedjan.plans.forms import (
    ActivityForm,
    CommentForm,
    FollowUpForm,
    ItemForm,
    NewRowForm,
    PlanForm,
    RoundForm,
    RoundsForAllForm,
    ScheduleForm,
    UploadForm,
)
from stodkedjan.plans.models import ActionPlan, Activity, FollowUpRound, PlanImport, PlanItem
from stodkedjan.plans.tables import PlanRejected, Problem

SCHEDULE_FIELDS = ["is_active", "opens_day", "opens_month", "deadline_day", "deadline_month", "for_previous_year"]

organisation_by_slug = account_queries.organisation_by_slug


@rule_required("accounts.use_workspace")
def my_plans(request: HttpRequest) -> HttpResponse:
    """The plans of the organisation the user is working as."""
    return to_own_organisation(request, "plans:plan_list", _("Action plans"))


@rule_required("plans.view_plans", organisation_by_slug)
def plan_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _plan_list_page(request, organisation)


def _schedule_forms(organisation: Organisation, data: Any = None) -> list[ScheduleForm]:
    return [
        ScheduleForm(data, kind=s.kind, initial={f: getattr(s, f) for f in SCHEDULE_FIELDS})
        for s in services.schedules_for(organisation)
    ]


def _plan_list_page(
    request: HttpRequest, organisation: Organisation, rounds_form: Any = None, schedule_forms: Any = None
) -> HttpResponse:
    can_open = request.user.has_perm("plans.open_round", organisation)
    schedules = services.schedules_for(organisation)
    context = {
        "schedules": [s for s in schedules if s.is_active],
        "schedule_forms": (schedule_forms or _schedule_forms(organisation)) if can_open else None,
        "organisation": organisation,
        "plans": queries.organisation_plans(organisation),
        "can_add": request.user.has_perm("plans.add_plan", organisation),
        "can_see_county": request.user.has_perm("plans.view_county_follow_up", organisation),
        "rounds_form": (rounds_form or RoundsForAllForm()) if can_open else None,
        "openers": [] if can_open else queries.round_openers(organisation),
    }
    return render(request, "plans/plan_list.html", context, status=400 if rounds_form or schedule_forms else 200)


@require_POST
@rule_required("plans.open_round", organisation_by_slug)
def schedule_save(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's T1, T2 and VB schedules, saved together (or none, with every error shown)."""
    forms = _schedule_forms(organisation, request.POST)
    if not all(form.is_valid() for form in forms):
        return _plan_list_page(request, organisation, schedule_forms=forms)
    for form in forms:
        services.save_schedule(organisation, form.kind, {f: form.cleaned_data[f] for f in SCHEDULE_FIELDS})
    opened = services.open_scheduled_rounds()
    messages.success(request, _("The follow-up schedule was saved."))
    if opened:
        messages.info(
            request,
            ngettext(
                "%(n)s round that should already be open was opened now.",
                "%(n)s rounds that should already be open were opened now.",
                opened,
            )
            % {"n": opened},
        )
    return redirect(reverse("plans:plan_list", kwargs={"slug": organisation.slug}) + "#schedule")


@require_POST
@rule_required("plans.open_round", organisation_by_slug)
def rounds_for_all(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """T1, T2 or VB opened for every plan of the organisation at once."""
    form = RoundsForAllForm(request.POST)
    if not form.is_valid():
        return _plan_list_page(request, organisation, rounds_form=form)
    data = form.cleaned_data
    opened, already = services.open_rounds_for_all(
        organisation, data["kind"], data["year"], data["deadline"], request.user
    )
    label = f"{data['kind']} {data['year']}"
    if opened:
        messages.success(
            request,
            ngettext("%(round)s is open for %(n)s plan.", "%(round)s is open for %(n)s plans.", len(opened))
            % {"round": label, "n": len(opened)},
        )
    if already or not opened:
        messages.info(
            request,
            ngettext(
                "%(n)s plan already had %(round)s or does not run that year.",
                "%(n)s plans already had %(round)s or do not run that year.",
                already,
            )
            % {"round": label, "n": already},
        )
    return redirect("plans:plan_list", slug=organisation.slug)


@rule_required("plans.add_plan", organisation_by_slug)
def plan_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(organisation, form.cleaned_data)
        return redirect("plans:plan_detail", plan_id=plan.pk)
    return render(request, "plans/plan_form.html", {"organisation": organisation, "form": form})


def _plan_page(request: HttpRequest, plan: ActionPlan, editing: Any = None, status: int = 200) -> HttpResponse:
    """The plan table; ``editing`` is a bound form shown in place of its row (after errors or a conflict)."""
    can_edit = request.user.has_perm("plans.change_plan", plan)
    if editing is None and can_edit:
        editing = _edit_form_from_query(request, plan)
    context = {
        "plan": plan,
        "organisation": plan.organisation,
        "groups": queries.plan_table(plan),
        "rounds": queries.plan_rounds(plan),
        "can_edit": can_edit,
        "can_comment": request.user.has_perm("plans.comment_on_plan", plan),
        "can_open_round": request.user.has_perm("plans.open_round", plan),
        "openers": queries.round_openers(plan.organisation),
        "editing": editing,
    }
    return render(request, "plans/plan_detail.html", context, status=status)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _edit_form_from_query(request: HttpRequest, plan: ActionPlan) -> Any:
    if activity_id := _int(request.GET.get("edit")):
        activity = Activity.objects.filter(pk=activity_id, item__plan=plan).first()
        if activity:
            form = ActivityForm(activity=activity, organisation=plan.organisation)
            form.target = activity
            return form
    if item_id := _int(request.GET.get("edit_item")):
        item = PlanItem.objects.filter(pk=item_id, plan=plan).select_related("plan__strategy").first()
        if item:
            item_form = ItemForm(item=item)
            item_form.target = item
            return item_form
    return None


@rule_required("plans.view_plan", queries.plan_by_id)
def plan_detail(request: HttpRequest, plan: ActionPlan) -> HttpResponse:
    return _plan_page(request, plan)


def _back_to(obj: PlanItem | Activity) -> HttpResponse:
    plan_id = obj.plan_id if isinstance(obj, PlanItem) else obj.item.plan_id
    anchor = f"item-{obj.pk}" if isinstance(obj, PlanItem) else f"activity-{obj.pk}"
    return redirect(reverse("plans:plan_detail", kwargs={"plan_id": plan_id}) + f"#{anchor}")


def _save_row(request: HttpRequest, obj: PlanItem | Activity, form: ActivityForm | ItemForm) -> HttpResponse:
    plan = obj.plan if isinstance(obj, PlanItem) else obj.item.plan
    form.target = obj
    if form.is_valid():
        try:
            services.save_versioned(obj, form.changes(), form.cleaned_data["version"])
        except services.EditConflict as conflict:
            form.conflict = conflict.current
            return _plan_page(request, plan, editing=form, status=409)
        messages.success(request, _("The row was saved."))
        return _back_to(obj)
    return _plan_page(request, plan, editing=form, status=400)


@require_POST
@rule_required("plans.change_plan", queries.activity_by_id)
def activity_edit(request: HttpRequest, activity: Activity) -> HttpResponse:
    return _save_row(
        request, activity, ActivityForm(request.POST, activity=activity, organisation=activity.organisation)
    )


@require_POST
@rule_required("plans.change_plan", queries.item_by_id)
def item_edit(request: HttpRequest, item: PlanItem) -> HttpResponse:
    return _save_row(request, item, ItemForm(request.POST, item=item))


@require_POST
@rule_required("plans.change_plan", queries.activity_by_id)
def activity_action(request: HttpRequest, activity: Activity) -> HttpResponse:
    return _row_action(request, activity)


@require_POST
@rule_required("plans.change_plan", queries.item_by_id)
def item_action(request: HttpRequest, item: PlanItem) -> HttpResponse:
    if request.POST.get("action") == "add_activity":
        form = NewRowForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write the methods and ways of working of the new row."))
            return _back_to(item)
        activity = services.add_activity(item, form.cleaned_data["methods"])
        return redirect(
            reverse("plans:plan_detail", kwargs={"plan_id": item.plan_id})
            + f"?edit={activity.pk}#activity-{activity.pk}"
        )
    return _row_action(request, item)


def _row_action(request: HttpRequest, obj: PlanItem | Activity) -> HttpResponse:
    action = request.POST.get("action")
    if action in ("up", "down"):
        services.move(obj, -1 if action == "up" else 1)
        return _back_to(obj)
    if action == "delete":
        plan_id = obj.plan_id if isinstance(obj, PlanItem) else obj.item.plan_id
        services.delete(obj)
        messages.success(request, _("The row was removed. It is kept in the plan's history."))
        return redirect("plans:plan_detail", plan_id=plan_id)
    raise Http404


@require_POST
@rule_required("plans.change_plan", queries.plan_by_id)
def item_create(request: HttpRequest, plan: ActionPlan) -> HttpResponse:
    priority = _int(request.POST.get("priority"))
    if priority and not (plan.strategy and plan.strategy.priorities.filter(pk=priority).exists()):
        raise Http404
    item = services.add_item(plan, priority_label=request.POST.get("priority_label", "")[:500], priority_id=priority)
    services.add_activity(item, "…")
    return redirect(reverse("plans:plan_detail", kwargs={"plan_id": plan.pk}) + f"?edit_item={item.pk}#item-{item.pk}")


@require_POST
@rule_required("plans.comment_on_plan", queries.activity_by_id)
def comment_create(request: HttpRequest, activity: Activity) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        membership = account_queries.current_membership(request)
        services.add_comment(
            activity, request.user, membership.organisation if membership else None, form.cleaned_data["text"]
        )
        messages.success(request, _("The comment was added."))
    else:
        messages.error(request, _("Write a comment first."))
    return _back_to(activity)


@rule_required("plans.view_plan", queries.plan_by_id)
def plan_print(request: HttpRequest, plan: ActionPlan) -> HttpResponse:
    context = {"plan": plan, "groups": queries.plan_table(plan), "printed": timezone.localdate()}
    return render(request, "plans/plan_print.html", context)


@rule_required("plans.view_plan", queries.plan_by_id)
def plan_export(request: HttpRequest, plan: ActionPlan) -> HttpResponse:
    return attachment(reports.plan_to_xlsx(plan), f"handlingsplan-{plan.pk}.xlsx", XLSX)


@rule_required("plans.view_plan", queries.plan_by_id)
def plan_history(request: HttpRequest, plan: ActionPlan) -> HttpResponse:
    return render(request, "plans/plan_history.html", {"plan": plan, "changes": queries.history(plan)})


# --- import ------------------------------------------------------------------------------------------
@rule_required("plans.add_plan", organisation_by_slug)
def import_upload(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload, strategy = form.cleaned_data["file"], form.cleaned_data["strategy"]
        try:
            parsed = importer.parse_plan(upload.name, upload.read(), strategy)
        except PlanRejected as rejected:
            problems = rejected.problems
        else:
            batch = PlanImport.objects.create(
                organisation=organisation,
                strategy=strategy,
                created_by=cast(User, request.user),
                filename=upload.name[:200],
                parsed=parsed,
            )
            return redirect("plans:import_preview", slug=organisation.slug, plan_import_id=batch.pk)
    status = 400 if problems or form.errors else 200
    return render(
        request,
        "plans/import_upload.html",
        {"organisation": organisation, "form": form, "problems": problems},
        status=status,
    )


@rule_required("plans.add_plan", queries.pending_import)
def import_preview(request: HttpRequest, batch: PlanImport) -> HttpResponse:
    if request.method == "POST":
        plan = services.save_imported_plan(batch, request.user)
        messages.success(
            request, _("The plan was imported with %(count)d activities.") % {"count": batch.parsed["activity_count"]}
        )
        return redirect("plans:plan_detail", plan_id=plan.pk)
    return render(request, "plans/import_preview.html", {"organisation": batch.organisation, "batch": batch})


# --- follow-up ---------------------------------------------------------------------------------------
@rule_required("plans.open_round", queries.plan_by_id)
def round_create(request: HttpRequest, plan: ActionPlan) -> HttpResponse:
    form = RoundForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round_ = services.open_round(plan, data["kind"], data["year"], data["deadline"], request.user)
        messages.success(request, _("The follow-up round %(round)s is open.") % {"round": round_})
        return redirect("plans:round", round_id=round_.pk)
    return render(request, "plans/round_form.html", {"plan": plan, "organisation": plan.organisation, "form": form})


@rule_required("plans.view_plan", queries.round_by_id)
def round_detail(request: HttpRequest, round_: FollowUpRound) -> HttpResponse:
    can_report = request.user.has_perm("plans.report_follow_up", round_) and round_.submitted_at is None
    groups = queries.plan_table(round_.plan, round_)
    forms = {}
    conflicts = []
    if can_report:
        for group in groups:
            for rows in group.items:
                for activity in rows.activities:
                    if activity.follow_up_row is not None:
                        forms[activity.pk] = FollowUpForm(request.POST or None, follow_up=activity.follow_up_row)
        if request.method == "POST" and all(f.is_valid() for f in forms.values()):
            conflicts = _save_follow_ups(request, forms)
            if not conflicts:
                if request.POST.get("submit") == "1":
                    services.submit_round(round_)
                    messages.success(request, _("The report was submitted."))
                else:
                    messages.success(request, _("Saved. You can go on later."))
                return redirect("plans:round", round_id=round_.pk)
    elif request.method == "POST" and request.POST.get("reopen") and request.user.has_perm("plans.open_round", round_):
        services.reopen_round(round_)
        return redirect("plans:round", round_id=round_.pk)
    for activity in (a for g in groups for i in g.items for a in i.activities):
        activity.form = forms.get(activity.pk)  # type: ignore[attr-defined]
    context = {
        "round": round_,
        "plan": round_.plan,
        "organisation": round_.plan.organisation,
        "groups": groups,
        "counts": (counts := queries.status_counts(round_)),
        "followed": sum(count for _value, _label, count in counts),
        "activity_total": Activity.objects.filter(item__plan=round_.plan).count(),
        "today": timezone.localdate(),
        "can_report": can_report,
        "can_reopen": round_.submitted_at is not None and request.user.has_perm("plans.open_round", round_),
        "conflicts": conflicts,
        "has_errors": any(f.errors for f in forms.values()),
    }
    status = 409 if conflicts else 400 if context["has_errors"] else 200
    return render(request, "plans/round_detail.html", context, status=status)


def _save_follow_ups(request: HttpRequest, forms: dict[int, FollowUpForm]) -> list[FollowUpForm]:
    conflicts = []
    for form in forms.values():
        if not form.has_changed():
            continue
        try:
            data = form.changed_values() | {"updated_by": request.user}
            services.save_versioned(form.follow_up, data, form.cleaned_data["version"])
        except services.EditConflict as conflict:
            form.conflict = conflict.current
            conflicts.append(form)
    return conflicts


@rule_required("plans.view_plan", queries.round_by_id)
def round_report(request: HttpRequest, round_: FollowUpRound) -> HttpResponse:
    """The round's report as PDF or, at the .docx address, as an editable Word document."""
    name = f"{round_.kind}-{round_.year}-{round_.plan.organisation.slug}"
    if request.resolver_match and request.resolver_match.url_name == "round_docx":
        return attachment(reports.to_docx(round_), f"{name}.docx", DOCX)
    return attachment(reports.to_pdf(round_), f"{name}.pdf", PDF)


@rule_required("plans.view_county_follow_up", organisation_by_slug)
def county_follow_up(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    year = _int(request.GET.get("year")) or timezone.localdate().year
    context = {
        "organisation": organisation,
        "year": year,
        "years": range(year - 3, year + 2),
        "rows": (rows := queries.county_follow_up(organisation, year)),
        "kinds": ["T1", "T2", "VB"],
        "today": timezone.localdate(),
        "totals": queries.round_totals(rows, ["T1", "T2", "VB"], timezone.localdate()),
    }
    return render(request, "plans/county_follow_up.html", context)
