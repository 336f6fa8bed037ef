from django.apps import AppConfig


class EntreprisesConfig(AppConfig):
    name = "entreprises"
    verbose_name = "Entreprises"

    def ready(self):
        from accounts import personal_data
        from accounts.links import register_account_link
        from demandes import extensions as demandes_extensions

        from . import hooks

        demandes_extensions.register_company_code_checker(hooks.check_company_code)
        personal_data.register_exporter("consultations_entreprise", hooks.export)
        personal_data.register_eraser(hooks.erase)
        register_account_link("Qui a consulté ma demande", "company_accesses")
        hooks.connect_signals()
