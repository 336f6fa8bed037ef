from django.apps import AppConfig


class OffresConfig(AppConfig):
    name = "offres"
    verbose_name = "Offres de logement"

    def ready(self):
        from accounts.links import register_account_link

        register_account_link("Mes alertes", "offres:alerts")
