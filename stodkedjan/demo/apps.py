from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo world. Sits above every other app: it may use each app's services."""

    name = "stodkedjan.demo"
    verbose_name = "Demo"
