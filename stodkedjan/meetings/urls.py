from django.urls import path

from stodkedjan.meetings import views

app_name = "meetings"

urlpatterns = [
    path("staff/meetings/", views.my_meetings, name="my_meetings"),
    path("staff/needs/", views.my_needs, name="my_needs"),
    path("staff/<slug:slug>/meetings/", views.meeting_list, name="meeting_list"),
    path("staff/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("staff/meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("staff/meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("staff/meetings/<int:meeting_id>/meeting.ics", views.meeting_calendar, name="meeting_calendar"),
    path("staff/meetings/<int:meeting_id>/answers/<slug:slug>/", views.pre_meeting_answers, name="pre_meeting_answers"),
    path("staff/meetings/<int:meeting_id>/needs/new/", views.meeting_need_create, name="meeting_need_create"),
    path("staff/<slug:slug>/needs/", views.need_list, name="need_list"),
    path("staff/<slug:slug>/needs/new/", views.need_create, name="need_create"),
    path("staff/<slug:slug>/needs/county/", views.county_needs, name="county_needs"),
    path("staff/needs/<int:need_id>/", views.need_detail, name="need"),
    path("staff/needs/<int:need_id>/pass-on/", views.need_pass_on, name="need_pass_on"),
]
