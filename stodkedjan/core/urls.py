from django.urls import path

from stodkedjan.core import views

app_name = "core"

urlpatterns = [
    path("accessibility/", views.accessibility_statement, name="accessibility"),
]
