from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinderConfig(AppConfig):
    name = "stodkedjan.finder"
    verbose_name = _("Finder for parents")
