"""Coverage and gaps (the support chain), dashboards per level, exports and the county's report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stodkedjan.accounts import queries as account_queries
from stodkedjan.accounts.models import Organisation, OrganisationKind
from stodkedjan.core.access import rule_required
from stodkedjan.core.downloads import CSV, DOCX, PDF, XLSX, attachment, rows_to_csv, tables_to_xlsx
from stodkedjan.core.vocabulary import language_name
from stodkedjan.directory import freshness, verification
from stodkedjan.directory.models import Arena
from stodkedjan.geo.models import Area, AreaKind
from stodkedjan.insights import charts, gaps, queries, report, services, tables
from stodkedjan.insights.coverage import CHAIN_BANDS, LEVELS
from stodkedjan.insights.forms import CellForm, ExpectedLanguageForm, GapRuleForm, SettingsForm
from stodkedjan.insights.gaps import GAP_AREA_KINDS, GapFilter
from stodkedjan.insights.models import AgeBand, CountySettings, ExpectedLanguage, GapRule

organisation_by_slug = account_queries.organisation_by_slug


@rule_required("accounts.use_workspace")
def my_insights(request: HttpRequest) -> HttpResponse:
    """To the dashboard of the organisation one works as: national, county or local."""
    membership = account_queries.current_membership(request)
    if membership is None:
        return render(request, "accounts/no_organisation.html", {"title": _("Insights")})
    organisation = membership.organisation
    target = {
        OrganisationKind.NATIONAL_AGENCY: "insights:national",
        OrganisationKind.COUNTY_BOARD: "insights:county",
    }.get(organisation.kind, "insights:dashboard")  # type: ignore[call-overload]
    return redirect(target, slug=organisation.slug)


def _chain(page: queries.AreaPage) -> list[dict[str, Any]]:
    """The support chain as rows of cells, each knowing whether a rule calls it a gap."""
    gap_cells = {(g.band, g.level) for g in page.gaps if g.area.pk == page.area.pk and g.band}
    languages = page.engine.languages_by_cell(page.area)
    return [
        {
            "band": band,
            "label": AgeBand(band).label,
            "cells": [
                {
                    "level": level,
                    "cell": page.coverage.cells[(band, level)],
                    "gap": (band, level) in gap_cells,
                    "languages": [language_name(code) for code in languages[(band, level)]],
                }
                for level in LEVELS
            ],
        }
        for band in CHAIN_BANDS
    ]


def _area_context(page: queries.AreaPage, query: Any = None) -> dict[str, Any]:
    chosen = GapFilter.from_query(query or {})
    return {
        "page": page,
        "gaps": chosen.apply(page.gaps),
        "area_languages": queries.languages_in_vulnerable_areas(page, chosen.band, chosen.level),
        "gap_filter": chosen,
        "gap_kinds": [(str(k), AreaKind(k).label) for k in GAP_AREA_KINDS],
        "gap_bands": list(AgeBand.choices),
        "gap_levels": [(lv, tables.level_label(lv)) for lv in LEVELS],
        "area": page.area,
        "chain": _chain(page),
        "levels": [(lv, tables.level_label(lv)) for lv in LEVELS],
        "today": timezone.localdate(),
        "language_names": {code: language_name(code) for code in page.coverage.languages},
        "arena_names": dict(Arena.choices),
        "part_rows": [(part, len(page.gaps_in(part.area))) for part in page.parts],
        "parts_chart": charts.coverage_chart(page.parts, _("Verified offerings"), "parts") if page.parts else "",
        "trend_chart": charts.trend_chart(
            [(s.month.strftime("%Y-%m"), s.verified) for s in page.trend], _("Verified offerings per month"), "trend"
        )
        if page.trend
        else "",
    }


@rule_required("insights.view_coverage")
def area(request: HttpRequest, area_code: str) -> HttpResponse:
    page = queries.area_page(queries.area_by_code(area_code))
    context = _area_context(page, request.GET)
    if page.area.shape:
        near = charts.places_near(page.area.shape, queries.places_serving(page))
        title = _("Map of %(area)s and the places of the offerings that serve it") % {"area": page.area.name}
        context |= {"near": near, "map": charts.area_map(page.area.shape, _vulnerable_in(page), near, title)}
    return render(request, "insights/area.html", context)


def _vulnerable_in(page: queries.AreaPage) -> list[tuple[str, str, dict[str, Any]]]:
    """The current vulnerable areas inside a municipality or county, or (for a vulnerable area) those of its
    county beside it, with their shapes (one query; the map keeps what falls in its frame)."""
    within = page.area
    if page.area.kind == AreaKind.VULNERABLE_AREA and page.area.county is not None:
        within = page.area.county
    inside = [a.pk for a in page.engine.children_of(within, (AreaKind.VULNERABLE_AREA,)) if a.pk != page.area.pk]
    found = Area.objects.filter(pk__in=inside).exclude(shape=None).order_by("name")
    return [(name, code, shape) for name, code, shape in found.values_list("name", "code", "shape") if shape]


@rule_required("insights.view_coverage")
def cell(request: HttpRequest, area_code: str) -> HttpResponse:
    """The offerings behind one cell of the support chain (or a whole age band or level)."""
    the_area = queries.area_by_code(area_code)
    form = CellForm(request.GET)
    form.is_valid()
    band, level = form.cleaned_data.get("band") or None, form.cleaned_data.get("level") or None
    verified, not_verified = queries.services_behind(the_area, band, level)
    context = {
        "area": the_area,
        "band": AgeBand(band).label if band else "",
        "level": tables.level_label(level) if level else "",
        "verified": verified,
        "not_verified": not_verified,
    }
    return render(request, "insights/cell.html", context)


@rule_required("insights.view_coverage")
def area_export(request: HttpRequest, area_code: str, fmt: str) -> HttpResponse:
    page = queries.area_page(queries.area_by_code(area_code))
    sheets = tables.area_tables(page)
    return _download(sheets, f"tackning-{page.area.code}", fmt)


@rule_required("insights.view_coverage")
def gaps_export(request: HttpRequest, area_code: str, fmt: str) -> HttpResponse:
    """The gaps table as the page shows it (the same filters), as CSV or XLSX."""
    page = queries.area_page(queries.area_by_code(area_code))
    rows = [[_("Area"), _("Kind of area"), _("Age band"), _("Level"), _("Gap"), _("Not verified that may cover it")]]
    chosen = GapFilter.from_query(request.GET)
    for gap in chosen.apply(page.gaps):
        rows.append(
            [
                gap.area.name,
                str(gap.area.get_kind_display()),
                str(AgeBand(gap.band).label) if gap.band else "",
                tables.level_label(gap.level) if gap.level else "",
                gap.what,
                str(gap.not_verified),
            ]
        )
    return _download(
        [(_("Gaps"), rows), (_("Languages"), tables.vulnerable_area_language_rows(page, chosen.band, chosen.level))],
        f"luckor-{page.area.code}",
        fmt,
    )


def _download(sheets: list[tuple[str, list[list[str]]]], name: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        rows: list[list[str]] = []
        for title, table in sheets:
            rows += [[title], *table, []]
        return attachment(rows_to_csv(rows), f"{name}.csv", CSV)
    return attachment(tables_to_xlsx(sheets), f"{name}.xlsx", XLSX)


@rule_required("insights.view_dashboard", organisation_by_slug)
def dashboard(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    board = queries.local_dashboard(organisation)
    context = {"organisation": organisation, "board": board, "needs_chart": tables.needs_chart(board.needs)}
    context |= _area_context(board.page, request.GET)
    return render(request, "insights/dashboard.html", context)


@rule_required("insights.view_county", organisation_by_slug)
def county(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    if organisation.kind != OrganisationKind.COUNTY_BOARD:
        return redirect("insights:national", slug=organisation.slug)
    board = queries.county_dashboard(organisation)
    context = {
        "organisation": organisation,
        "board": board,
        "map": queries.overview_map(
            board.rows,
            organisation.area.county_id or organisation.area_id,
            _("Map of the municipalities and the vulnerable areas"),
        ),
        "needs_chart": tables.needs_chart(board.needs),
        "freshness": freshness.by_municipality(organisation.area),
        "flagged": verification.flagged_in_county(organisation.area_id),
        "schedule": verification.schedule_of(organisation),
        "can_set_reminders": request.user.has_perm("directory.set_reminder_schedule", organisation),
        **_area_context(board.page, request.GET),
    }
    return render(request, "insights/county.html", context)


@rule_required("insights.view_national", organisation_by_slug)
def national(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    board = queries.national_dashboard(organisation)
    context = {
        "organisation": organisation,
        "board": board,
        "needs_chart": tables.needs_chart(board.needs),
        "map": queries.overview_map(board.rows, None, _("Map of the counties and the vulnerable areas")),
    }
    context |= _area_context(board.page)
    return render(request, "insights/national.html", context)


def _county_tables(organisation: Organisation, fmt: str) -> HttpResponse:
    board = queries.county_dashboard(organisation)
    return _download(tables.county_tables(board), f"lansoversikt-{organisation.slug}", fmt)


@rule_required("insights.view_county", organisation_by_slug)
def county_csv(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _county_tables(organisation, "csv")


@rule_required("insights.view_county", organisation_by_slug)
def county_xlsx(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _county_tables(organisation, "xlsx")


def _national_tables(organisation: Organisation, fmt: str) -> HttpResponse:
    board = queries.national_dashboard(organisation)
    return _download(tables.national_tables(board), "nationell-oversikt", fmt)


@rule_required("insights.view_national", organisation_by_slug)
def national_csv(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _national_tables(organisation, "csv")


@rule_required("insights.view_national", organisation_by_slug)
def national_xlsx(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _national_tables(organisation, "xlsx")


def _report(request: HttpRequest, organisation: Organisation, fmt: str) -> HttpResponse:
    if organisation.kind != OrganisationKind.COUNTY_BOARD:
        return render(request, "insights/no_report.html", {"organisation": organisation}, status=404)
    name = f"lagesrapport-{organisation.slug}-{timezone.localdate().year}"
    if fmt == "pdf":
        return attachment(report.to_pdf(organisation), f"{name}.pdf", PDF)
    return attachment(report.to_docx(organisation), f"{name}.docx", DOCX)


@rule_required("insights.view_county", organisation_by_slug)
def report_pdf(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _report(request, organisation, "pdf")


@rule_required("insights.view_county", organisation_by_slug)
def report_docx(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _report(request, organisation, "docx")


# --- the county board's rules ------------------------------------------------------------------------------
def _rules_context(organisation: Organisation, can_change: bool, **forms: Any) -> dict[str, Any]:
    settings_row = CountySettings.objects.filter(organisation=organisation).first()
    return {
        "organisation": organisation,
        "rules": list(GapRule.objects.filter(organisation=organisation)),
        "defaults": gaps.DEFAULT_RULES,
        "stale_after_months": settings_row.stale_after_months if settings_row else 12,
        "languages": queries.expected_languages(organisation),
        "can_change": can_change,
        "rule_form": GapRuleForm(county_board=organisation),
        "language_form": ExpectedLanguageForm(county=organisation.area),
        "settings_form": SettingsForm(instance=settings_row),
        **forms,
    }


@rule_required("insights.view_county", organisation_by_slug)
def rules(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    if organisation.kind != OrganisationKind.COUNTY_BOARD:
        return redirect("insights:national", slug=organisation.slug)
    context = _rules_context(organisation, request.user.has_perm("insights.change_rules", organisation))
    return render(request, "insights/rules.html", context)


@require_POST
@rule_required("insights.change_rules", organisation_by_slug)
def rule_save(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    rule = None
    if request.POST.get("rule"):
        rule = get_object_or_404(GapRule, organisation=organisation, pk=_number(request.POST["rule"]))
    if request.POST.get("action") == "delete" and rule is not None:
        rule.delete()
        messages.success(request, _("The rule was removed."))
        return redirect("insights:rules", slug=organisation.slug)
    if request.POST.get("action") == "adopt_defaults":
        services.adopt_default_rules(organisation)
        return redirect("insights:rules", slug=organisation.slug)
    form = GapRuleForm(request.POST, instance=rule, county_board=organisation)
    if form.is_valid():
        services.save_rule(organisation, form.cleaned_data, rule)
        messages.success(request, _("Saved."))
        return redirect("insights:rules", slug=organisation.slug)
    return _invalid(request, organisation, rule_form=form)


@require_POST
@rule_required("insights.change_rules", organisation_by_slug)
def settings_save(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = SettingsForm(request.POST)
    if form.is_valid():
        services.save_settings(organisation, form.cleaned_data["stale_after_months"])
        messages.success(request, _("Saved."))
        return redirect("insights:rules", slug=organisation.slug)
    return _invalid(request, organisation, settings_form=form)


@require_POST
@rule_required("insights.change_rules", organisation_by_slug)
def language_save(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    if request.POST.get("action") == "delete":
        ExpectedLanguage.objects.filter(organisation=organisation, pk=_number(request.POST.get("expected"))).delete()
        return redirect("insights:rules", slug=organisation.slug)
    form = ExpectedLanguageForm(request.POST, county=organisation.area)
    if form.is_valid():
        data = form.cleaned_data
        services.add_expected_language(organisation, data["area"], data["language"], data["source"])
        messages.success(request, _("Saved."))
        return redirect("insights:rules", slug=organisation.slug)
    return _invalid(request, organisation, language_form=form)


def _number(value: str | None) -> int:
    """A posted id, or 0 (which matches nothing) when it is not a number."""
    return int(value) if value and value.isdigit() else 0


def _invalid(request: HttpRequest, organisation: Organisation, **forms: Any) -> HttpResponse:
    """The rules page again, with the form that failed keeping what was typed."""
    return render(request, "insights/rules.html", _rules_context(organisation, True, **forms), status=400)
