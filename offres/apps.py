from django.apps import AppConfig


class OffresConfig(AppConfig):
    name = "offres"
    verbose_name = "Offres de logement"

    def ready(self):
        from accounts.links import register_account_link

        from . import checks, freshness  # noqa: F401  (checks: the reference-data check)

        freshness.connect_signals()

        register_account_link("Mes alertes", "offres:alerts")
