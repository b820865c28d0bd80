from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from stodkedjan.finder.models import FeedbackCount, InformationPage, LocalContact


@admin.register(InformationPage)
class InformationPageAdmin(TranslationAdmin):
    list_display = ["title", "kind", "organisation", "last_reviewed", "is_published"]
    list_filter = ["kind", "is_published"]


@admin.register(LocalContact)
class LocalContactAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "phone", "organisation"]
    list_filter = ["kind"]


@admin.register(FeedbackCount)
class FeedbackCountAdmin(admin.ModelAdmin):
    list_display = ["page", "month", "yes", "no"]
    readonly_fields = ["page", "month", "yes", "no"]
