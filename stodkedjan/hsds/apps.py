from django.apps import AppConfig


class HsdsConfig(AppConfig):
    name = "stodkedjan.hsds"
    verbose_name = "HSDS"
