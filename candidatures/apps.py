from django.apps import AppConfig


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = "Candidatures"

    def ready(self):
        from accounts import personal_data
        from accounts.links import register_account_link
        from demandes.signals import demande_deleting, demande_expired
        from offres import extensions

        from . import hooks, widening

        extensions.register_offer_action(hooks.apply_action)
        extensions.register_candidature_counter(hooks.count_candidatures)
        extensions.register_widening(widening.widening_gains)
        demande_deleting.connect(hooks.cancel_on_demande_deleted, dispatch_uid="cand-cancel")
        demande_expired.connect(hooks.end_on_demande_expired, dispatch_uid="cand-expired")
        personal_data.register_exporter("candidatures", hooks.export)
        register_account_link("Mes candidatures", "candidatures:list")
        register_account_link("Mes notifications", "candidatures:notifications")
