"""Indicator pages: Kolada KPIs and organisations' own indicators, as a chart with its numbers."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stodkedjan.accounts import queries as account_queries
from stodkedjan.accounts.models import Organisation
from stodkedjan.core.access import rule_required
from stodkedjan.plans import kolada_starter, queries, reports
from stodkedjan.plans.forms import IndicatorForm, IndicatorValueForm
from stodkedjan.plans.models import Indicator, IndicatorSource, IndicatorValue


@rule_required("plans.view_indicators")
def indicator_list(request: HttpRequest) -> HttpResponse:
    membership = account_queries.current_membership(request)
    organisation = membership.organisation if membership else None
    query = request.GET.get("q", "").strip()[:100]
    indicators = queries.indicators_for(organisation).order_by("source", "code")
    for word in query.split():
        indicators = indicators.filter(Q(title__icontains=word) | Q(code__icontains=word))
    can_add = organisation is not None and request.user.has_perm("plans.add_indicator", organisation)
    added = set(Indicator.objects.filter(code__in=kolada_starter.BY_CODE).values_list("code", flat=True))
    context = {
        "indicators": indicators,
        "organisation": organisation,
        "query": query,
        "can_add": can_add,
        "starters": [(kpi, kpi.code in added) for kpi in kolada_starter.matching(query)] if can_add else [],
    }
    return render(request, "plans/indicator_list.html", context)


@require_POST
@rule_required("plans.add_indicator", account_queries.organisation_by_slug)
def indicator_add_kolada(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Adds one KPI of the starting set as a Kolada indicator (shared by every organisation), once."""
    kpi = kolada_starter.BY_CODE.get(request.POST.get("code", ""))
    if kpi is None:
        messages.error(request, _("That Kolada KPI is not in the starting set."))
        return redirect("plans:indicator_list")
    indicator, created = Indicator.objects.get_or_create(
        code=kpi.code,
        defaults={"title": kpi.title, "description": kpi.why, "source": IndicatorSource.KOLADA, "organisation": None},
    )
    if created:
        messages.success(
            request, _("%(code)s is now among the indicators; link it to an activity in a plan.") % {"code": kpi.code}
        )
    else:
        messages.info(request, _("%(code)s was already among the indicators.") % {"code": kpi.code})
    return redirect("plans:indicator_detail", code=indicator.code)


@rule_required("plans.view_indicators")
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = queries.indicator_by_code(code)
    membership = account_queries.current_membership(request)
    form = None
    if indicator.organisation and request.user.has_perm("plans.change_indicator", indicator.organisation):
        form = IndicatorValueForm(request.POST or None, organisation=indicator.organisation)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            IndicatorValue.objects.update_or_create(
                indicator=indicator, area=data["area"], year=data["year"], gender="T", defaults={"value": data["value"]}
            )
            messages.success(request, _("The value was saved."))
            return redirect("plans:indicator_detail", code=indicator.code)
    area_ids = None
    if membership and request.GET.get("all") != "1":
        area_ids = queries.comparison_area_ids(membership.organisation.area)
    context = {
        "indicator": indicator,
        "figure": reports.indicator_figure(indicator, area_ids),
        "form": form,
        "showing_all": area_ids is None,
        "fetch_areas": queries.kolada_areas(membership.organisation.area if membership else None),
        "starter": kolada_starter.BY_CODE.get(indicator.code),
    }
    return render(request, "plans/indicator_detail.html", context, status=400 if form and form.errors else 200)


@rule_required("plans.add_indicator", account_queries.organisation_by_slug)
def indicator_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator: Indicator = form.save(commit=False)
        indicator.organisation = organisation
        indicator.source = IndicatorSource.CUSTOM
        indicator.save()
        return redirect("plans:indicator_detail", code=indicator.code)
    return render(request, "plans/indicator_form.html", {"organisation": organisation, "form": form})
