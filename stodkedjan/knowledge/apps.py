from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "stodkedjan.knowledge"
    verbose_name = _("Method and knowledge bank")
    default_auto_field = "django.db.models.BigAutoField"
