from django.urls import path

from stodkedjan.finder import views

app_name = "finder"

urlpatterns = [
    path("search/", views.results, name="results"),
    path("service/<uuid:service_uuid>/", views.service, name="service"),
    path("service/<uuid:service_uuid>/calendar.ics", views.service_calendar, name="service_calendar"),
    path("about-social-services/", views.about_social_services, name="about_social_services"),
    path("worried-now/", views.worried_now, name="worried_now"),
    path("feedback/", views.feedback, name="feedback"),
    path("staff/<slug:slug>/information/<slug:kind>/", views.information_edit, name="information_edit"),
    path("staff/<slug:slug>/contacts/", views.contacts, name="contacts"),
    path("staff/<slug:slug>/contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
]
