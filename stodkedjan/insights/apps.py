from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "stodkedjan.insights"
    verbose_name = _("Coverage, gaps and dashboards")
    default_auto_field = "django.db.models.BigAutoField"
