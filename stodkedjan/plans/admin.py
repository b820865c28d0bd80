from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from stodkedjan.plans.models import ActionPlan, Indicator, Priority, Strategy


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 1


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "period_start", "period_end"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PriorityInline]


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "period_start", "period_end"]
    list_filter = ["period_start"]
    search_fields = ["title", "organisation__name"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "source", "organisation"]
    list_filter = ["source"]
    search_fields = ["code", "title"]
