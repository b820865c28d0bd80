"""Answering a survey, for a parent (public, no cookies) and for an interviewer (staff).

Two layouts: every question on one page, or one question per screen. The per-screen layout keeps no
state on the server: the answers given so far travel in the form as hidden fields, so going back and
forth needs no session and no JavaScript, and nothing is stored until the last screen is sent.

Each form carries a signed one-time token. The response is stored under a hash of it, once: a second
press of "Send", or a browser retrying after a dropped connection, finds it stored and is shown the same
thank-you page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from stodkedjan.surveys import services
from stodkedjan.surveys.definition import text_in
from stodkedjan.surveys.forms import ResponseForm, layout_of
from stodkedjan.surveys.models import Layout, Mode, SurveyRound

START = "start"

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What the view should do: ``stored`` → the thank-you page; otherwise render ``context`` with ``status``."""

    stored: bool = False
    context: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def _screen_groups(form: ResponseForm) -> list[list[dict[str, Any]]]:
    """The questions asked, one per screen, except that a group with the ``field-list`` appearance is one
    screen (as in ODK Collect)."""
    screens: list[list[dict[str, Any]]] = []
    previous = None
    for question in form.asked():
        group = question.get("group") or {}
        together = "field-list" in str(group.get("appearance", "")) and group.get("name")
        if together and screens and previous == group.get("name"):
            screens[-1].append(question)
        else:
            screens.append([question])
        previous = group.get("name") if together else None
    return screens


def _screens(form: ResponseForm) -> list[str]:
    """Each screen by the name of its first question, after the first screen (the area)."""
    return [START] + [group[0]["name"] for group in _screen_groups(form)]


def _screen_questions(form: ResponseForm, screen: str) -> list[dict[str, Any]]:
    return next((group for group in _screen_groups(form) if group[0]["name"] == screen), [])


def _screen_fields(form: ResponseForm, screen: str) -> list[str]:
    """The form fields a screen asks: the area on the first, else its questions'."""
    return ["area"] if screen == START else [n for q in _screen_questions(form, screen) for n in form.field_names(q)]


def _hidden(data: QueryDict | None, form: ResponseForm, current: str, layout: str) -> list[tuple[str, str]]:
    """Answers given on other screens, carried as hidden fields (only in the per-screen layout)."""
    if data is None or layout != Layout.PAGED:
        return []
    shown = (
        {"area"}
        if current == START
        else {n for q in _screen_questions(form, current) for n in form.posted_names(q["name"])}
    )
    names = ["area", *form.posted_names()]
    return [(name, value) for name in names if name not in shown for value in data.getlist(name)]


def handle(
    request: HttpRequest, survey_round: SurveyRound, language: str, mode: Mode, layout: str, throttle: Any = None
) -> Outcome:
    """Read the posted form (or start a new one) and either store the response or say what to show next."""
    data = request.POST if request.method == "POST" else None
    form = ResponseForm(data, survey_round=survey_round, language=language, describe_conditions=layout != Layout.PAGED)
    token = data.get("token", "") if data is not None else services.new_form_token()
    screen = (data.get("screen") if data is not None else START) or START
    notice, status = "", 200
    if data is not None:
        key = services.submission_key(token, settings.SURVEY_FORM_MAX_AGE)
        if key is None:
            token, status = services.new_form_token(), 400
            notice = _("This page was open for a long time. Check your answers and send again.")
        else:
            try:
                outcome = _advance(request, form, survey_round, language, mode, layout, key, screen, throttle)
            except DatabaseError:
                outcome = _not_stored(screen)
            if outcome.stored:
                return outcome
            screen, notice = outcome.context.get("screen", screen), outcome.context.get("notice", "")
            status = outcome.status
    return _page(form, data, survey_round, layout, token, screen, notice, status, language)


def _not_stored(screen: str) -> Outcome:
    """The database is restarting or locked by another writer: nothing is stored, the token stays unused and
    the page comes back with every answer, so "Send" again stores it once."""
    logger.warning("Survey response not stored: the database did not accept it", exc_info=True)
    notice = _("Your answers could not be saved just now. They are all still here: press Send again in a moment.")
    return Outcome(context={"screen": screen, "notice": notice}, status=503)


def _advance(
    request: HttpRequest,
    form: ResponseForm,
    survey_round: SurveyRound,
    language: str,
    mode: Mode,
    layout: str,
    key: str,
    screen: str,
    throttle: Any,
) -> Outcome:
    """The posted screen, or the stored response (at once if this form was stored already)."""
    if services.already_submitted(survey_round, key):
        return Outcome(stored=True)
    if request.POST.get("add"):  # "add another": the same screen again with one more instance, nothing checked
        form.is_valid()
        form.errors.clear()
        return Outcome(context={"screen": screen})
    valid = form.is_valid()
    if layout == Layout.PAGED:
        screens = _screens(form)
        if screen not in screens:
            screen = START
        index = screens.index(screen)
        if request.POST.get("go") == "back":
            form.errors.clear()
            return Outcome(context={"screen": screens[max(index - 1, 0)]})
        if any(name in form.errors for name in _screen_fields(form, screen)):
            return Outcome(context={"screen": screen}, status=400)
        if index + 1 < len(screens):
            form.errors.clear()
            return Outcome(context={"screen": screens[index + 1]})
    if not valid:
        return Outcome(context={"screen": _first_error_screen(form, screen)}, status=400)
    if throttle is not None and not throttle(request, survey_round):
        return Outcome(
            context={
                "screen": screen,
                "notice": _("Many answers have just been sent from your network. Wait a few minutes and send again."),
            },
            status=429,
        )
    services.store_response(survey_round, key, form.chosen_area(), language, mode, form.answers(), timezone.localdate())
    return Outcome(stored=True)


def _first_error_screen(form: ResponseForm, screen: str) -> str:
    if "area" in form.errors:
        return START
    for group in _screen_groups(form):
        if any(name in form.errors for question in group for name in form.field_names(question)):
            return group[0]["name"]
    return screen


def _by_instance(form: ResponseForm, shown: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Any]]:
    """Each question's fields, a repeat's instance by instance (child 1's questions, then child 2's)."""
    out: list[tuple[dict[str, Any], Any]] = []
    index = 0
    while index < len(shown):
        repeat = shown[index].get("repeat")
        run = [shown[index]]
        while repeat and index + len(run) < len(shown) and shown[index + len(run)].get("repeat") == repeat:
            run.append(shown[index + len(run)])
        fields = [form.question_fields(q) for q in run]
        for instance in range(max(len(f) for f in fields)):
            out += [(q, f[instance]) for q, f in zip(run, fields, strict=True) if instance < len(f)]
        index += len(run)
    return out


def _page(
    form: ResponseForm,
    data: QueryDict | None,
    survey_round: SurveyRound,
    layout: str,
    token: str,
    screen: str,
    notice: str,
    status: int,
    language: str,
) -> Outcome:
    definition = survey_round.version.definition
    if layout == Layout.PAGED:
        screens = _screens(form)  # before anything is answered: the questions asked without a condition
        if screen not in screens:
            screen = START
        shown = [] if screen == START else _screen_questions(form, screen)
        position = screens.index(screen)
        last = position == len(screens) - 1
    else:
        # One page shows every question (a calculation asks nothing); the answers sent decide what is kept.
        shown, position, last, screens = [q for q in form.questions if q["kind"] != "calculate"], 0, True, []
    context = {
        "form": form,
        "round": survey_round,
        "title": text_in(definition.get("title"), language, form.fallback),
        "intro": text_in(definition.get("intro"), language, form.fallback),
        "questions": [
            {"field": field, "kind": q["kind"], "required": q.get("required"), "layout": layout_of(q)}
            for q, field in _by_instance(form, shown)
        ],
        "show_area": layout != Layout.PAGED or screen == START,
        "addable": [r for r in form.addable() if any(q.get("repeat") == r["name"] for q in shown)],
        "hidden": _hidden(data, form, screen, layout),
        "token": token,
        "screen": screen,
        "paged": layout == Layout.PAGED,
        "position": position,
        "count": len(screens) - 1,
        "last": last,
        "notice": notice,
        "errors": form.is_bound and bool(form.errors),
    }
    return Outcome(context=context, status=status)
