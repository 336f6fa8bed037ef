from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from .roles import sync_advisor_group

        # After every migrate (all apps' permissions exist by then): the advisors' group.
        post_migrate.connect(sync_advisor_group, dispatch_uid="accounts-advisor-group")
