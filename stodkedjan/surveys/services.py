"""Writes to surveys: questionnaires and their versions, rounds, anonymous responses and text coding."""

from __future__ import annotations

import copy
import hashlib
import secrets
from datetime import date
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max

from stodkedjan.accounts.models import Organisation
from stodkedjan.geo.models import Area
from stodkedjan.surveys.definition import empty_definition, validate
from stodkedjan.surveys.models import (
    ROUND_SETTINGS,
    Coding,
    Mode,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    SurveyRound,
    Theme,
)

TOKEN_SALT = "stodkedjan.surveys.response"


def create_questionnaire(
    organisation: Organisation, title: str, definition: dict[str, Any] | None = None, source: str = ""
) -> Questionnaire:
    """A new questionnaire with its first version (empty unless a definition is given, e.g. from XLSForm)."""
    definition = definition or empty_definition(["sv"], title)
    validate(definition)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(organisation=organisation, title=title)
        QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, definition=definition, source=source)
    return questionnaire


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    return questionnaire.versions.order_by("-number").first()  # type: ignore[return-value]


@transaction.atomic
def change_definition(questionnaire: Questionnaire, change: Any, source: str = "") -> QuestionnaireVersion:
    """Apply ``change`` (a function that edits a copy of the definition) to the questionnaire.

    The newest version is edited in place while no round uses it; once a round does, the change makes a
    new version, so the round keeps reading its answers against the questions it asked.
    """
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    version = current_version(questionnaire)
    definition = copy.deepcopy(version.definition)
    change(definition)
    validate(definition)
    if version.rounds.exists():
        number = (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=number, definition=definition, source=source or version.source
        )
    version.definition = definition
    if source:
        version.source = source
    version.save(update_fields=["definition", "source"])
    return version


def put_question(questionnaire: Questionnaire, question: dict[str, Any], replacing: str | None = None) -> None:
    """Add a question at the end, or replace the one named ``replacing`` where it stands."""

    def change(definition: dict[str, Any]) -> None:
        questions = definition["questions"]
        if replacing is None:
            questions.append(question)
            return
        index = next(i for i, q in enumerate(questions) if q["name"] == replacing)
        questions[index] = question
        for other in questions:
            if (condition := other.get("relevant")) and condition["question"] == replacing:
                condition["question"] = question["name"]

    change_definition(questionnaire, change)


def remove_question(questionnaire: Questionnaire, name: str) -> None:
    """Remove a question; questions that depended on it are asked always from then on."""

    def change(definition: dict[str, Any]) -> None:
        definition["questions"] = [q for q in definition["questions"] if q["name"] != name]
        for other in definition["questions"]:
            if (condition := other.get("relevant")) and condition["question"] == name:
                other["relevant"] = None

    change_definition(questionnaire, change)


def move_question(questionnaire: Questionnaire, name: str, step: int) -> None:
    """Move a question one place up (-1) or down (+1), refusing to put it before what it depends on."""

    def change(definition: dict[str, Any]) -> None:
        questions = definition["questions"]
        index = next(i for i, q in enumerate(questions) if q["name"] == name)
        other = index + step
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]

    change_definition(questionnaire, change)


def set_texts(questionnaire: Questionnaire, languages: list[str], title: dict[str, str], intro: dict[str, str]) -> None:
    """The questionnaire's languages and its title and introduction in each."""

    def change(definition: dict[str, Any]) -> None:
        definition["languages"] = languages
        definition["title"] = title
        definition["intro"] = intro

    change_definition(questionnaire, change)


def replace_from_xlsform(questionnaire: Questionnaire, definition: dict[str, Any], filename: str) -> None:
    """Take all questions from an uploaded XLSForm (a new version if the current one is in use)."""

    def change(current: dict[str, Any]) -> None:
        current.clear()
        current.update(definition)

    change_definition(questionnaire, change, source=filename)


@transaction.atomic
def create_round(questionnaire: Questionnaire, data: dict[str, Any]) -> SurveyRound:
    """A round of the questionnaire's current version, which from now on stays as it is."""
    survey_round = SurveyRound.objects.create(
        organisation=questionnaire.organisation,
        version=current_version(questionnaire),
        **{field: data[field] for field in ROUND_SETTINGS},
    )
    survey_round.areas.set(data["areas"])
    return survey_round


def update_round(survey_round: SurveyRound, data: dict[str, Any]) -> None:
    """Change a round's practicalities; its questions stay those it started with."""
    for field in ROUND_SETTINGS:
        setattr(survey_round, field, data[field])
    survey_round.save()
    survey_round.areas.set(data["areas"])


# --- responses ----------------------------------------------------------------------------------------


def new_form_token() -> str:
    """A one-time token for one response form: signed, so only forms we handed out are accepted."""
    return signing.dumps(secrets.token_urlsafe(16), salt=TOKEN_SALT)


def submission_key(token: str, max_age: int) -> str | None:
    """The key a response is stored under for this token, or None for a forged or expired token."""
    try:
        nonce = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return hashlib.sha256(str(nonce).encode()).hexdigest()


def already_submitted(survey_round: SurveyRound, key: str) -> bool:
    return Response.objects.filter(round=survey_round, submission_key=key).exists()


def store_response(
    survey_round: SurveyRound,
    key: str,
    area: Area | None,
    language: str,
    mode: Mode,
    answers: dict[str, Any],
    today: date,
) -> bool:
    """Store one response exactly once; False when this form was already stored (a double press, a retry)."""
    try:
        with transaction.atomic():
            Response.objects.create(
                round=survey_round,
                area=area,
                language=language,
                mode=mode,
                answers=answers,
                submitted_on=today,
                submission_key=key,
            )
    except IntegrityError:
        return False
    return True


# --- coding free text ---------------------------------------------------------------------------------


def add_theme(survey_round: SurveyRound, question: str, name: str) -> Theme:
    theme, _created = Theme.objects.get_or_create(round=survey_round, question=question, name=name.strip())
    return theme


@transaction.atomic
def code_answers(survey_round: SurveyRound, question: str, codes: dict[str, set[int]]) -> None:
    """Set the themes of each listed answer (response id → theme ids) for one question; others are untouched."""
    themes = set(Theme.objects.filter(round=survey_round, question=question).values_list("pk", flat=True))
    responses = {
        str(pk) for pk in Response.objects.filter(round=survey_round, pk__in=list(codes)).values_list("pk", flat=True)
    }
    for response_id, theme_ids in codes.items():
        if response_id not in responses:
            continue
        Coding.objects.filter(response_id=response_id, theme__question=question).exclude(
            theme_id__in=theme_ids & themes
        ).delete()
        for theme_id in theme_ids & themes:
            Coding.objects.get_or_create(response_id=response_id, theme_id=theme_id)
