from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from stodkedjan.meetings.models import DialogueMeeting, Need


@admin.register(DialogueMeeting)
class DialogueMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "starts_at"]
    search_fields = ["title"]


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "theme", "level", "status"]
    list_filter = ["theme", "level", "status"]
    search_fields = ["title", "description"]
