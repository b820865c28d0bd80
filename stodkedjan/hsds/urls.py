from django.urls import path

from stodkedjan.hsds import views

app_name = "hsds_pages"

urlpatterns = [
    path("open-data/", views.profile, name="profile"),
    path("staff/organisations/<slug:slug>/api-tokens/", views.tokens, name="tokens"),
    path("staff/organisations/<slug:slug>/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
