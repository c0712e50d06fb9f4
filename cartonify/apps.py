from django.apps import AppConfig


class CartonifyConfig(AppConfig):
    name = "cartonify"

    def ready(self):
        from . import checks  # noqa: F401 (registers the project's system checks)
