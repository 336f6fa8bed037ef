from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "territoires"
    verbose_name = "Territoires"

    def ready(self):
        from . import checks  # noqa: F401  (registers the reference-data check)
