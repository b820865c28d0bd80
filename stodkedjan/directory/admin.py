from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from stodkedjan.directory.models import Location, Schedule, Service, SpreadsheetImport, TaxonomyTerm


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "organisation", "status", "level", "minimum_age", "maximum_age", "assured_date"]
    list_filter = ["status", "level", "organisation"]
    search_fields = ["name", "organisation__name", "method_name"]
    filter_horizontal = ["terms"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    inlines = [ScheduleInline]


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "organisation", "city", "municipality"]
    search_fields = ["name", "address", "city"]
    list_filter = ["organisation"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["taxonomy", "code", "__str__"]
    list_filter = ["taxonomy"]


@admin.register(SpreadsheetImport)
class SpreadsheetImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "organisation", "created_by", "created_at", "imported_at"]
    readonly_fields = ["rows"]
