from django.contrib import admin

from stodkedjan.surveys.models import Questionnaire, SurveyRound


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "created_at"]
    search_fields = ["title"]


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    """Rounds only: responses are never listed one by one, not even to administrators."""

    list_display = ["title", "organisation", "opens_on", "closes_on", "min_cell_size"]
    exclude = ["areas"]
    readonly_fields = ["version"]
