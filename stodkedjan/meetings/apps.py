from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "stodkedjan.meetings"
    verbose_name = _("Dialogue meetings and needs")
    default_auto_field = "django.db.models.BigAutoField"
