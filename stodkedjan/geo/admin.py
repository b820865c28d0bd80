from django.contrib import admin

from stodkedjan.geo.models import Area, VulnerableAreaAssessment


class AssessmentInline(admin.TabularInline):
    model = VulnerableAreaAssessment
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "police_category", "list_year"]
    list_filter = ["kind", "police_category", "county"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent", "county"]
    inlines = [AssessmentInline]


@admin.register(VulnerableAreaAssessment)
class VulnerableAreaAssessmentAdmin(admin.ModelAdmin):
    list_display = ["area", "list_year", "category"]
    list_filter = ["list_year", "category"]
    search_fields = ["area__name"]
    raw_id_fields = ["area"]
