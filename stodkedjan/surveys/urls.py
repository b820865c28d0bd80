from django.urls import path

from stodkedjan.surveys import views

app_name = "surveys"

urlpatterns = [
    path("survey/<str:link_key>/", views.respond, name="respond"),
    path("survey/<str:link_key>/thanks/", views.thanks, name="thanks"),
    path("staff/surveys/", views.my_surveys, name="my_surveys"),
    path("staff/<slug:slug>/surveys/", views.survey_list, name="survey_list"),
    path("staff/<slug:slug>/surveys/new/", views.questionnaire_create, name="questionnaire_create"),
    path("staff/<slug:slug>/surveys/import/", views.xlsform_import, name="xlsform_import"),
    path("staff/surveys/questionnaires/<int:questionnaire_id>/", views.questionnaire_detail, name="questionnaire"),
    path(
        "staff/surveys/questionnaires/<int:questionnaire_id>/texts/",
        views.questionnaire_texts,
        name="questionnaire_texts",
    ),
    path(
        "staff/surveys/questionnaires/<int:questionnaire_id>/xlsform/",
        views.questionnaire_xlsform,
        name="questionnaire_xlsform",
    ),
    path(
        "staff/surveys/questionnaires/<int:questionnaire_id>/questions/new/",
        views.question_create,
        name="question_create",
    ),
    path(
        "staff/surveys/questionnaires/<int:questionnaire_id>/questions/<str:name>/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "staff/surveys/questionnaires/<int:questionnaire_id>/questions/<str:name>/action/",
        views.question_action,
        name="question_action",
    ),
    path("staff/surveys/questionnaires/<int:questionnaire_id>/rounds/new/", views.round_create, name="round_create"),
    path("staff/surveys/rounds/<int:survey_round_id>/", views.round_detail, name="round"),
    path("staff/surveys/rounds/<int:survey_round_id>/edit/", views.round_edit, name="round_edit"),
    path("staff/surveys/rounds/<int:survey_round_id>/qr.svg", views.round_qr, name="round_qr"),
    path("staff/surveys/rounds/<int:survey_round_id>/interview/", views.interview, name="interview"),
    path("staff/surveys/rounds/<int:survey_round_id>/collect/", views.round_collect, name="round_collect"),
    path("staff/surveys/rounds/<int:survey_round_id>/analysis/", views.analysis_page, name="analysis"),
    path("staff/surveys/rounds/<int:survey_round_id>/analysis.csv", views.analysis_export, name="analysis_csv"),
    path("staff/surveys/rounds/<int:survey_round_id>/analysis.xlsx", views.analysis_export, name="analysis_xlsx"),
    path("staff/surveys/rounds/<int:survey_round_id>/coding/<str:question>/", views.coding, name="coding"),
]
