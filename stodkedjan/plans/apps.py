from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "stodkedjan.plans"
    verbose_name = _("Action plans")
    default_auto_field = "django.db.models.BigAutoField"
