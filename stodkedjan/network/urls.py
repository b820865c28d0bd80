from django.urls import path

from stodkedjan.network import views

app_name = "network"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/calendar.ics", views.event_calendar, name="event_calendar"),
    path("events/<int:event_id>/links/", views.resend_links, name="resend_links"),
    path("events/cancel/<uuid:key>/", views.cancel, name="cancel"),
    path("staff/networks/", views.my_networks, name="my_networks"),
    path("staff/events/", views.my_events, name="my_events"),
    path("staff/<slug:slug>/networks/", views.network_list, name="network_list"),
    path("staff/<slug:slug>/networks/new/", views.network_create, name="network_create"),
    path("staff/networks/<int:network_id>/", views.network_detail, name="network"),
    path("staff/networks/<int:network_id>/edit/", views.network_edit, name="network_edit"),
    path("staff/networks/<int:network_id>/announcements/new/", views.announcement_create, name="announcement_create"),
    path("staff/networks/<int:network_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("staff/network-meetings/<int:network_meeting_id>/", views.meeting_detail, name="meeting"),
    path("staff/network-meetings/<int:network_meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("staff/network-documents/<int:document_id>/", views.document_download, name="document"),
    path("staff/<slug:slug>/events/", views.event_admin_list, name="event_admin_list"),
    path("staff/<slug:slug>/events/new/", views.event_create, name="event_create"),
    path("staff/events/<int:event_id>/", views.event_admin, name="event_admin"),
    path("staff/events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("staff/events/<int:event_id>/attendance/", views.attendance, name="attendance"),
    path("staff/events/<int:event_id>/publish/", views.event_publish, name="event_publish"),
    path("staff/registrations/<int:registration_id>/", views.participant_action, name="participant_action"),
    path("staff/events/<int:event_id>/participants.csv", views.participants_csv, name="participants_csv"),
    path("staff/events/<int:event_id>/participants.xlsx", views.participants_xlsx, name="participants_xlsx"),
]
