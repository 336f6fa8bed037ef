from django.apps import AppConfig


class OffresConfig(AppConfig):
    name = "offres"
    verbose_name = "Offres de logement"

    def ready(self):
        from accounts.links import register_account_link

        from . import checks  # noqa: F401  (registers the reference-data check)

        register_account_link("Mes alertes", "offres:alerts")
