from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "stodkedjan.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from stodkedjan.core import audit  # noqa: F401 - connects the sign-in receivers
