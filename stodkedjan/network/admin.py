from django.contrib import admin

from stodkedjan.network.models import Announcement, Event, Network, NetworkMeeting


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(NetworkMeeting)
class NetworkMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "starts_at"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "created_at", "digest_sent_at"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    # Registrations (names and e-mail addresses) are shown only to the organiser, in the staff pages.
    list_display = ["title", "organisation", "starts_at", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title"]
