"""Survey pages: the parent's anonymous form (public), and the staff pages to build, run and analyse."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from stodkedjan.accounts import queries as account_queries
from stodkedjan.accounts.models import Organisation
from stodkedjan.accounts.views import to_own_organisation
from stodkedjan.core.access import public, rule_required
from stodkedjan.core.addresses import public_url
from stodkedjan.core.cache import browser_cache
from stodkedjan.core.charts import bar_chart
from stodkedjan.core.downloads import CSV, XLSX, attachment, rows_to_csv, tables_to_xlsx
from stodkedjan.surveys import analysis, openrosa, queries, services, xlsform
from stodkedjan.surveys.definition import CHOICE_KINDS, SILENT_KINDS, DefinitionError, empty_definition
from stodkedjan.surveys.forms import (
    AppUserForm,
    QuestionForm,
    QuestionnaireForm,
    RoundForm,
    TextsForm,
    ThemeForm,
    XLSFormUploadForm,
)
from stodkedjan.surveys.models import Layout, Mode, Questionnaire, SurveyRound
from stodkedjan.surveys.respond import handle
from stodkedjan.surveys.throttle import allow_submission

organisation_by_slug = account_queries.organisation_by_slug


# --- the public form ----------------------------------------------------------------------------------


@public
@csrf_exempt  # anonymous and cookie-free: the signed one-time token in the form does CSRF's work
@never_cache  # every form carries its own token, so no copy may be shared by a cache
def respond(request: HttpRequest, link_key: str) -> HttpResponse:
    survey_round = queries.round_by_link(link_key)
    language = get_language()
    today = timezone.localdate()
    if not survey_round.is_open(today):
        return render(
            request,
            "surveys/closed.html",
            {"round": survey_round, "today": today},
            status=410 if survey_round.closes_on < today else 200,
        )
    # A questionnaire may be in a language the site is not shown in: its questions then come in that
    # language (``?lang=``) inside a page in the site's language.
    asked_in = request.GET.get("lang", "")
    if asked_in not in survey_round.languages:
        asked_in = language if language in survey_round.languages else ""
    if not asked_in:
        others = [code for code in survey_round.languages if code not in dict(settings.LANGUAGES)]
        return render(request, "surveys/choose_language.html", {"round": survey_round, "others": others})
    outcome = handle(request, survey_round, asked_in, Mode.SELF, survey_round.layout, throttle=allow_submission)
    if outcome.stored:
        return redirect("surveys:thanks", link_key=link_key)
    context = {**outcome.context, "asked_in": asked_in if asked_in != language else ""}
    return render(request, "surveys/respond.html", context, status=outcome.status)


@public
@require_safe
@browser_cache()
def thanks(request: HttpRequest, link_key: str) -> HttpResponse:
    survey_round = queries.round_by_link(link_key)
    return render(request, "surveys/thanks.html", {"round": survey_round})


# --- questionnaires -----------------------------------------------------------------------------------


@rule_required("accounts.use_workspace")
def my_surveys(request: HttpRequest) -> HttpResponse:
    return to_own_organisation(request, "surveys:survey_list", _("Surveys"))


@rule_required("surveys.view_surveys", organisation_by_slug)
def survey_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    questionnaires, rounds = queries.organisation_surveys(organisation)
    context = {
        "organisation": organisation,
        "questionnaires": questionnaires,
        "rounds": rounds,
        "can_add": request.user.has_perm("surveys.add_questionnaire", organisation),
    }
    return render(request, "surveys/survey_list.html", context)


PREVIEW_SALT = "surveys.xlsform-preview"
PREVIEW_MAX_AGE = 3600


@rule_required("surveys.add_questionnaire", organisation_by_slug)
def questionnaire_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = QuestionnaireForm(request.POST or None, initial={"language": "sv"})
    if request.method == "POST" and form.is_valid():
        title, language = form.cleaned_data["title"], form.cleaned_data["language"]
        questionnaire = services.create_questionnaire(organisation, title, empty_definition([language], title))
        return redirect("surveys:questionnaire", questionnaire_id=questionnaire.pk)
    return render(request, "surveys/questionnaire_form.html", {"organisation": organisation, "form": form})


@rule_required("surveys.add_questionnaire", organisation_by_slug)
def xlsform_import(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Two steps: the file is read and shown — per question what will be asked, and what is left out and
    why — and only "Import" saves it (the preview's reading travels signed, so the file is read once)."""
    problems: list[str] = []
    if request.method == "POST" and "preview" in request.POST:
        try:
            read = signing.loads(request.POST["preview"], salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
        except signing.BadSignature:
            problems = [_("The preview was open too long or was changed. Choose the file again.")]
        else:
            questionnaire = services.create_questionnaire(
                organisation, read["title"], read["definition"], source=read["source"]
            )
            messages.success(request, _("The questionnaire was read from %(file)s.") % {"file": read["source"]})
            return redirect("surveys:questionnaire", questionnaire_id=questionnaire.pk)
    form = XLSFormUploadForm(None if problems else request.POST or None, request.FILES or None)
    if request.method == "POST" and not problems and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            definition = xlsform.read(upload.read(), upload.name, form.cleaned_data["lists"])
        except xlsform.XLSFormRejected as rejected:
            problems = rejected.problems
        else:
            title = form.cleaned_data["title"] or next(iter(definition["title"].values()), "") or upload.name
            read = {"definition": definition, "title": title, "source": upload.name}
            context = {
                "organisation": organisation,
                "definition": definition,
                "title": title,
                "source": upload.name,
                "asked": [q for q in definition["questions"] if q["kind"] not in SILENT_KINDS],
                "preview": signing.dumps(read, salt=PREVIEW_SALT, compress=True),
            }
            return render(request, "surveys/xlsform_preview.html", context)
    status = 400 if problems or form.errors else 200
    context = {"organisation": organisation, "form": form, "problems": problems}
    return render(request, "surveys/xlsform_import.html", context, status=status)


def _questionnaire_page(request: HttpRequest, questionnaire: Questionnaire, **extra: Any) -> HttpResponse:
    version = services.current_version(questionnaire)
    status = extra.pop("status", 200)
    context = {
        "questionnaire": questionnaire,
        "organisation": questionnaire.organisation,
        "version": version,
        "versions": questionnaire.versions.prefetch_related("rounds"),
        "frozen": version.rounds.exists(),
        "can_edit": request.user.has_perm("surveys.change_questionnaire", questionnaire),
        "texts_form": extra.pop("texts_form", None) or TextsForm(definition=version.definition),
        "upload_form": extra.pop("upload_form", None) or XLSFormUploadForm(),
        **extra,
    }
    return render(request, "surveys/questionnaire_detail.html", context, status=status)


@rule_required("surveys.view_questionnaire", queries.questionnaire_by_id)
def questionnaire_detail(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    return _questionnaire_page(request, questionnaire)


@require_POST
@rule_required("surveys.change_questionnaire", queries.questionnaire_by_id)
def questionnaire_texts(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    form = TextsForm(request.POST, definition=services.current_version(questionnaire).definition)
    if form.is_valid():
        services.set_texts(questionnaire, form.cleaned_data["languages"], form.texts("title"), form.texts("intro"))
        messages.success(request, _("Saved."))
        return redirect("surveys:questionnaire", questionnaire_id=questionnaire.pk)
    return _questionnaire_page(request, questionnaire, texts_form=form, status=400)


@require_POST
@rule_required("surveys.change_questionnaire", queries.questionnaire_by_id)
def questionnaire_xlsform(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    form = XLSFormUploadForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            definition = xlsform.read(upload.read(), upload.name, form.cleaned_data["lists"])
            services.replace_from_xlsform(questionnaire, definition, upload.name)
        except xlsform.XLSFormRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(request, _("The questions were replaced by those in %(file)s.") % {"file": upload.name})
            return redirect("surveys:questionnaire", questionnaire_id=questionnaire.pk)
    return _questionnaire_page(request, questionnaire, upload_form=form, problems=problems, status=400)


@rule_required("surveys.change_questionnaire", queries.questionnaire_by_id)
def question_create(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    return _question_form(request, questionnaire, None)


def _questionnaire_and_question(questionnaire_id: int, name: str) -> Questionnaire:
    questionnaire = queries.questionnaire_by_id(questionnaire_id)
    if not any(q["name"] == name for q in services.current_version(questionnaire).questions):
        raise Http404
    questionnaire.question_name = name  # type: ignore[attr-defined]
    return questionnaire


@rule_required("surveys.change_questionnaire", _questionnaire_and_question)
def question_edit(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    return _question_form(request, questionnaire, questionnaire.question_name)  # type: ignore[attr-defined]


def _question_form(request: HttpRequest, questionnaire: Questionnaire, name: str | None) -> HttpResponse:
    definition = services.current_version(questionnaire).definition
    original = next((q for q in definition["questions"] if q["name"] == name), None)
    form = QuestionForm(request.POST or None, definition=definition, question=original)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.put_question(questionnaire, form.question(), replacing=name)
        except DefinitionError as problem:
            error = str(problem)
        else:
            return redirect(reverse("surveys:questionnaire", args=[questionnaire.pk]) + f"#q-{form.question()['name']}")
    context = {
        "questionnaire": questionnaire,
        "organisation": questionnaire.organisation,
        "form": form,
        "editing": name,
        "error": error,
    }
    return render(request, "surveys/question_form.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@rule_required("surveys.change_questionnaire", _questionnaire_and_question)
def question_action(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    name = questionnaire.question_name  # type: ignore[attr-defined]
    action = request.POST.get("action")
    try:
        if action == "delete":
            services.remove_question(questionnaire, name)
        elif action in ("up", "down"):
            services.move_question(questionnaire, name, -1 if action == "up" else 1)
    except DefinitionError as problem:
        messages.error(request, str(problem))
    return redirect(reverse("surveys:questionnaire", args=[questionnaire.pk]) + f"#q-{name}")


# --- rounds -------------------------------------------------------------------------------------------


def _county_of(organisation: Organisation) -> Any:
    return organisation.area.county if organisation.area.county_id else None


@rule_required("surveys.change_questionnaire", queries.questionnaire_by_id)
def round_create(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    definition = services.current_version(questionnaire).definition
    form = RoundForm(request.POST or None, definition=definition, county=_county_of(questionnaire.organisation))
    if not definition["questions"]:
        messages.error(request, _("Add questions before starting a round."))
        return redirect("surveys:questionnaire", questionnaire_id=questionnaire.pk)
    if request.method == "POST" and form.is_valid():
        survey_round = services.create_round(questionnaire, form.cleaned_data)
        return redirect("surveys:round", survey_round_id=survey_round.pk)
    context = {"questionnaire": questionnaire, "organisation": questionnaire.organisation, "form": form}
    return render(request, "surveys/round_form.html", context, status=400 if form.errors else 200)


@rule_required("surveys.change_round", queries.round_by_id)
def round_edit(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    form = RoundForm(
        request.POST or None,
        instance=survey_round,
        definition=survey_round.version.definition,
        county=_county_of(survey_round.organisation),
    )
    if request.method == "POST" and form.is_valid():
        services.update_round(survey_round, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("surveys:round", survey_round_id=survey_round.pk)
    context = {
        "round": survey_round,
        "organisation": survey_round.organisation,
        "form": form,
        "questionnaire": survey_round.version.questionnaire,
    }
    return render(request, "surveys/round_form.html", context, status=400 if form.errors else 200)


def _public_link(request: HttpRequest, survey_round: SurveyRound, language: str) -> str:
    with override(language):
        return public_url(reverse("surveys:respond", kwargs={"link_key": survey_round.link_key}), request)


@rule_required("surveys.view_round", queries.round_by_id)
def round_detail(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    data = analysis.load(survey_round, get_language())
    language = survey_round.languages[0] if survey_round.languages else "sv"
    context = {
        "round": survey_round,
        "organisation": survey_round.organisation,
        "link": _public_link(request, survey_round, language),
        "respondents": analysis.respondents(data),
        "by_area": analysis.count_by_group(data, "area"),
        "by_language": analysis.count_by_group(data, "language"),
        "today": timezone.localdate(),
        "can_edit": request.user.has_perm("surveys.change_round", survey_round),
        "can_interview": request.user.has_perm("surveys.interview", survey_round) and survey_round.interviews,
    }
    return render(request, "surveys/round_detail.html", context)


@rule_required("surveys.view_round", queries.round_by_id)
def round_qr(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    """The public link as a QR code (SVG) to print on posters and leaflets."""
    language = request.GET.get("language", "")
    if language not in survey_round.languages:
        language = survey_round.languages[0] if survey_round.languages else "sv"
    buffer = io.BytesIO()
    segno.make(_public_link(request, survey_round, language), error="m").save(buffer, kind="svg", scale=8, xmldecl=True)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="enkat-{survey_round.pk}-{language}.svg"'
    return response


@rule_required("surveys.interview", queries.round_by_id)
def interview(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    """An interviewer enters one parent's answers. Nothing links the response to the interviewer."""
    if not survey_round.interviews:
        raise Http404
    language = request.GET.get("language") or request.POST.get("language") or ""
    if language not in survey_round.languages:
        language = survey_round.languages[0]
    if not survey_round.is_open(timezone.localdate()):
        messages.error(request, _("The round is not open."))
        return redirect("surveys:round", survey_round_id=survey_round.pk)
    outcome = handle(request, survey_round, language, Mode.INTERVIEWER, Layout.SINGLE)
    if outcome.stored:
        messages.success(request, _("The answers were saved. The form is empty for the next interview."))
        return redirect(reverse("surveys:interview", args=[survey_round.pk]) + f"?language={language}")
    context = {**outcome.context, "organisation": survey_round.organisation, "answer_language": language}
    return render(request, "surveys/interview.html", context, status=outcome.status)


# --- analysis -----------------------------------------------------------------------------------------


def _analysis(request: HttpRequest, survey_round: SurveyRound) -> dict[str, Any]:
    by = request.GET.get("by")
    by = by if by in analysis.GROUPINGS else None
    data = analysis.load(survey_round, get_language())
    tables = [
        {"frequencies": analysis.frequencies(data, question, by), "question": question}
        for question in survey_round.version.questions
        if question["kind"] not in SILENT_KINDS
    ]
    choice_questions = [q for q in survey_round.version.questions if q["kind"] in CHOICE_KINDS and q["kind"] != "rank"]
    row = analysis.question_by_name(survey_round, request.GET.get("row"))
    column = analysis.question_by_name(survey_round, request.GET.get("column"))
    crosstab = None
    if row and column and row in choice_questions and column in choice_questions and row is not column:
        crosstab = analysis.crosstab(data, row, column)
    return {
        "round": survey_round,
        "organisation": survey_round.organisation,
        "by": by or "",
        "data": data,
        "respondents": analysis.respondents(data),
        "tables": tables,
        "choice_questions": [(q["name"], data.label(q["label"])) for q in choice_questions],
        "row": row["name"] if row else "",
        "column": column["name"] if column else "",
        "crosstab": crosstab,
        "can_code": request.user.has_perm("surveys.code_answers", survey_round),
    }


@rule_required("surveys.view_round", queries.round_by_id)
def analysis_page(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    context = _analysis(request, survey_round)
    for index, table in enumerate(context["tables"]):
        frequencies = table["frequencies"]
        if frequencies.options:  # charts are for the page only; exports carry the tables
            table["chart"] = bar_chart(
                frequencies.overall,
                frequencies.label,
                _("Number of respondents per answer; the same figures are in the table below."),
                f"chart-{index}",
            )
    return render(request, "surveys/analysis.html", context)


@rule_required("surveys.view_round", queries.round_by_id)
def analysis_export(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    """Every table of the analysis page (as filtered), suppressed the same way, as CSV or XLSX."""
    context = _analysis(request, survey_round)
    sheets = [(t["question"]["name"], analysis.table_rows(t["frequencies"])) for t in context["tables"]]
    if context["crosstab"]:
        sheets.append((f"{context['row']} x {context['column']}", analysis.table_rows(context["crosstab"])))
    name = f"enkat-{survey_round.pk}" + (f"-{context['by']}" if context["by"] else "")
    if request.resolver_match and request.resolver_match.url_name == "analysis_csv":
        rows: list[list[str]] = []
        for title, table in sheets:
            rows.extend([[title], *table, []])
        return attachment(rows_to_csv(rows), f"{name}.csv", CSV)
    return attachment(tables_to_xlsx(sheets), f"{name}.xlsx", XLSX)


def _round_and_text_question(survey_round_id: int, question: str) -> SurveyRound:
    survey_round = queries.round_by_id(survey_round_id)
    found = analysis.question_by_name(survey_round, question)
    if found is None or found["kind"] != "text":
        raise Http404
    survey_round.text_question = found  # type: ignore[attr-defined]
    return survey_round


@rule_required("surveys.code_answers", _round_and_text_question)
def coding(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    """Free-text answers to one question, each placed in themes by staff."""
    question = survey_round.text_question  # type: ignore[attr-defined]
    theme_form = ThemeForm(request.POST if request.POST.get("action") == "theme" else None)
    if request.method == "POST":
        if request.POST.get("action") == "theme" and theme_form.is_valid():
            services.add_theme(survey_round, question["name"], theme_form.cleaned_data["name"])
            return redirect(request.path)
        if request.POST.get("action") == "code":
            codes = {
                response_id: {int(t) for t in request.POST.getlist(f"themes-{response_id}") if t.isdigit()}
                for response_id in request.POST.getlist("response")
            }
            services.code_answers(survey_round, question["name"], codes)
            messages.success(request, _("Saved."))
            return redirect(request.path)
    data = analysis.load(survey_round, get_language())
    context = {
        "round": survey_round,
        "organisation": survey_round.organisation,
        "question": question,
        "label": data.label(question["label"]),
        "answers": analysis.text_answers(data, question["name"]),
        "themes": survey_round.themes.filter(question=question["name"]),
        "theme_form": theme_form,
        "frequencies": analysis.frequencies(data, question),
    }
    return render(request, "surveys/coding.html", context, status=400 if theme_form.errors else 200)


# --- ODK Collect ----------------------------------------------------------------------------------------


@rule_required("surveys.change_round", queries.round_by_id)
def round_collect(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    """App users for ODK Collect: a new one's server address and set-up QR code are shown once; each can be
    revoked."""
    form = AppUserForm(request.POST or None)
    created = None
    if request.method == "POST" and "revoke" in request.POST:
        revoked = survey_round.app_users.filter(pk=request.POST["revoke"], revoked_at__isnull=True)
        if revoked.update(revoked_at=timezone.now()):
            messages.success(request, _("Revoked: the device can no longer fetch or send forms."))
        return redirect("surveys:round_collect", survey_round_id=survey_round.pk)
    if request.method == "POST" and form.is_valid():
        app_user, key = openrosa.create_app_user(survey_round, form.cleaned_data["name"])
        code = segno.make(openrosa.collect_settings_code(survey_round, key), error="l")
        created = {"app_user": app_user, "url": openrosa.server_url(key), "qr": code.svg_inline(scale=4, omitsize=True)}
        form = AppUserForm()
    context = {
        "round": survey_round,
        "organisation": survey_round.organisation,
        "form": form,
        "created": created,
        "app_users": survey_round.app_users.all(),
        "offered": bool(survey_round.version.definition.get("odk")) and survey_round.interviews,
    }
    return render(request, "surveys/collect.html", context, status=400 if form.errors else 200)
