from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "stodkedjan.directory"
    verbose_name = _("Directory of offerings")

    def ready(self) -> None:
        from stodkedjan.directory import signals  # noqa: F401 - connects the receivers
