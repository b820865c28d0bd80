from django.urls import path

from stodkedjan.directory import views

app_name = "directory"

urlpatterns = [
    path("staff/services/", views.my_services, name="my_services"),
    path("staff/<slug:slug>/services/", views.service_list, name="service_list"),
    path("staff/<slug:slug>/services/new/", views.service_create, name="service_create"),
    path("staff/<slug:slug>/services/review/", views.review_list, name="review_list"),
    path("staff/<slug:slug>/services/duplicates/", views.duplicate_list, name="duplicate_list"),
    path("staff/<slug:slug>/services/drafts/", views.draft_list, name="draft_list"),
    path("staff/<slug:slug>/services/edit-review/", views.edit_review_setting, name="edit_review_setting"),
    path("staff/<slug:slug>/services/reminders/", views.reminder_schedule, name="reminder_schedule"),
    path("staff/<slug:slug>/services/import/", views.import_upload, name="import_upload"),
    path("staff/<slug:slug>/services/import/<int:batch_id>/", views.import_preview, name="import_preview"),
    path("staff/<slug:slug>/services/template/", views.spreadsheet_template, name="template"),
    path("staff/<slug:slug>/services/export/", views.export, name="export"),
    path("staff/services/<int:service_id>/", views.service_detail, name="service_detail"),
    path("staff/services/<int:service_id>/edit/", views.service_edit, name="service_edit"),
    path("staff/services/<int:service_id>/action/", views.service_action, name="service_action"),
    path("staff/services/<int:service_id>/duplicate/", views.duplicate_action, name="duplicate_action"),
    path("staff/services/<int:service_id>/history/", views.service_history, name="service_history"),
    path("staff/services/<int:service_id>/verification/", views.send_verification, name="send_verification"),
    path("staff/services/drafts/<int:draft_id>/", views.draft_review, name="draft_review"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
