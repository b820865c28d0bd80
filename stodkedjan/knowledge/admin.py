from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from stodkedjan.knowledge.models import Method, Resource


@admin.register(Method)
class MethodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "evidence_rating", "is_published"]
    list_filter = ["evidence_rating", "level", "is_published"]
    search_fields = ["name", "also_known_as"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title"]
