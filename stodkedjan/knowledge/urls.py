from django.urls import path

from stodkedjan.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("methods/", views.method_list, name="method_list"),
    path("methods/evidence-ratings/", views.evidence_ratings, name="evidence"),
    path("methods/<slug:method_slug>/", views.method_detail, name="method"),
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/<int:resource_id>/", views.resource_detail, name="resource"),
    path("resources/<int:resource_id>/file", views.resource_file, name="resource_file"),
    path("staff/knowledge/", views.my_bank, name="my_bank"),
    path("staff/<slug:slug>/knowledge/", views.bank, name="bank"),
    path("staff/<slug:slug>/knowledge/methods/new/", views.method_create, name="method_create"),
    path("staff/knowledge/methods/<int:method_id>/edit/", views.method_edit, name="method_edit"),
    path("staff/<slug:slug>/knowledge/resources/new/", views.resource_create, name="resource_create"),
    path("staff/knowledge/resources/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
]
