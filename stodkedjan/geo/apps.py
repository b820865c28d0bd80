from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "stodkedjan.geo"
    verbose_name = _("Geography")

    def ready(self) -> None:
        from stodkedjan.geo.models import Area
        from stodkedjan.geo.versions import areas_changed

        post_save.connect(areas_changed, sender=Area, dispatch_uid="geo_areas_changed_on_save")
        post_delete.connect(areas_changed, sender=Area, dispatch_uid="geo_areas_changed_on_delete")
