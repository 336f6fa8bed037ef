from django.apps import AppConfig


class DemandesConfig(AppConfig):
    name = "demandes"
    verbose_name = "Demandes de logement"

    def ready(self):
        from accounts import personal_data

        from . import privacy

        personal_data.register_exporter("demande_de_logement", privacy.export)
        personal_data.register_eraser(privacy.erase)
