from django.urls import path

from stodkedjan.insights import views

app_name = "insights"

urlpatterns = [
    path("staff/insights/", views.my_insights, name="my_insights"),
    path("staff/insights/areas/<str:area_code>/", views.area, name="area"),
    path("staff/insights/areas/<str:area_code>/offerings/", views.cell, name="cell"),
    path("staff/insights/areas/<str:area_code>/coverage.csv", views.area_export, {"fmt": "csv"}, name="area_csv"),
    path("staff/insights/areas/<str:area_code>/coverage.xlsx", views.area_export, {"fmt": "xlsx"}, name="area_xlsx"),
    path("staff/insights/areas/<str:area_code>/gaps.csv", views.gaps_export, {"fmt": "csv"}, name="gaps_csv"),
    path("staff/insights/areas/<str:area_code>/gaps.xlsx", views.gaps_export, {"fmt": "xlsx"}, name="gaps_xlsx"),
    path("staff/<slug:slug>/insights/", views.dashboard, name="dashboard"),
    path("staff/<slug:slug>/insights/county/", views.county, name="county"),
    path("staff/<slug:slug>/insights/county/overview.csv", views.county_csv, name="county_csv"),
    path("staff/<slug:slug>/insights/county/overview.xlsx", views.county_xlsx, name="county_xlsx"),
    path("staff/<slug:slug>/insights/county/report.pdf", views.report_pdf, name="report_pdf"),
    path("staff/<slug:slug>/insights/county/report.docx", views.report_docx, name="report_docx"),
    path("staff/<slug:slug>/insights/national/", views.national, name="national"),
    path("staff/<slug:slug>/insights/national/overview.csv", views.national_csv, name="national_csv"),
    path("staff/<slug:slug>/insights/national/overview.xlsx", views.national_xlsx, name="national_xlsx"),
    path("staff/<slug:slug>/insights/rules/", views.rules, name="rules"),
    path("staff/<slug:slug>/insights/rules/rule/", views.rule_save, name="rule_save"),
    path("staff/<slug:slug>/insights/rules/settings/", views.settings_save, name="settings_save"),
    path("staff/<slug:slug>/insights/rules/language/", views.language_save, name="language_save"),
]
