from django.urls import path

from stodkedjan.plans import indicator_views, views

app_name = "plans"

urlpatterns = [
    path("staff/plans/", views.my_plans, name="my_plans"),
    path("staff/<slug:slug>/plans/", views.plan_list, name="plan_list"),
    path("staff/<slug:slug>/plans/new/", views.plan_create, name="plan_create"),
    path("staff/<slug:slug>/plans/rounds/", views.rounds_for_all, name="rounds_for_all"),
    path("staff/<slug:slug>/plans/schedule/", views.schedule_save, name="schedule_save"),
    path("staff/<slug:slug>/plans/import/", views.import_upload, name="import_upload"),
    path("staff/<slug:slug>/plans/import/<int:plan_import_id>/", views.import_preview, name="import_preview"),
    path("staff/<slug:slug>/plans/follow-up/", views.county_follow_up, name="county_follow_up"),
    path("staff/plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("staff/plans/<int:plan_id>/print/", views.plan_print, name="plan_print"),
    path("staff/plans/<int:plan_id>/export/", views.plan_export, name="plan_export"),
    path("staff/plans/<int:plan_id>/history/", views.plan_history, name="plan_history"),
    path("staff/plans/<int:plan_id>/items/new/", views.item_create, name="item_create"),
    path("staff/plans/<int:plan_id>/rounds/new/", views.round_create, name="round_create"),
    path("staff/plans/items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("staff/plans/items/<int:item_id>/action/", views.item_action, name="item_action"),
    path("staff/plans/activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("staff/plans/activities/<int:activity_id>/action/", views.activity_action, name="activity_action"),
    path("staff/plans/activities/<int:activity_id>/comments/", views.comment_create, name="comment_create"),
    path("staff/plans/rounds/<int:round_id>/", views.round_detail, name="round"),
    path("staff/plans/rounds/<int:round_id>/report.pdf", views.round_report, name="round_pdf"),
    path("staff/plans/rounds/<int:round_id>/report.docx", views.round_report, name="round_docx"),
    path("staff/indicators/", indicator_views.indicator_list, name="indicator_list"),
    path("staff/indicators/<str:code>/", indicator_views.indicator_detail, name="indicator_detail"),
    path("staff/<slug:slug>/indicators/new/", indicator_views.indicator_create, name="indicator_create"),
    path("staff/<slug:slug>/indicators/kolada/", indicator_views.indicator_add_kolada, name="indicator_add_kolada"),
]
