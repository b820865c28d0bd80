from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "stodkedjan.network"
    verbose_name = _("Networks, working groups and events")
    default_auto_field = "django.db.models.BigAutoField"
