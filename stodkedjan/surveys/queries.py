"""Read models for survey pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from stodkedjan.accounts.models import Organisation
from stodkedjan.surveys.models import Questionnaire, SurveyRound


def questionnaire_by_id(questionnaire_id: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.select_related("organisation__area"), pk=questionnaire_id)


def round_by_id(survey_round_id: int) -> SurveyRound:
    return get_object_or_404(
        SurveyRound.objects.select_related("organisation__area", "version__questionnaire"), pk=survey_round_id
    )


def round_by_link(link_key: str) -> SurveyRound:
    """The round a public link or QR code points at (only rounds that take answers through a link)."""
    survey_round = (
        SurveyRound.objects.select_related("version").prefetch_related("areas").filter(link_key=link_key).first()
    )
    if survey_round is None or not survey_round.self_completion:
        raise Http404
    return survey_round


def organisation_surveys(organisation: Organisation) -> tuple[QuerySet[Questionnaire], QuerySet[SurveyRound]]:
    """An organisation's questionnaires and its rounds, each round with its number of responses."""
    questionnaires = organisation.questionnaires.annotate(version_count=Count("versions"))
    rounds = organisation.survey_rounds.select_related("version__questionnaire").annotate(
        response_count=Count("responses")
    )
    return questionnaires, rounds
