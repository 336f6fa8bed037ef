"""Load the demo data of every app (idempotent: running it twice changes nothing).

Each app may have a ``demo.py`` module with a ``load(stdout)`` function; they are
called in INSTALLED_APPS order, so an app's demo data can rely on the apps before it.
"""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les identifiants."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Charger la démo même en production (DEBUG=false) : mots de passe publiés.",
        )

    def handle(self, *args, force=False, **options):
        # The demo creates accounts with a published password, a superuser among them.
        # DEVELOPMENT is DEBUG as the environment set it (the test runner turns DEBUG off).
        if not settings.DEVELOPMENT and not force:
            raise CommandError(
                "Refusé : DEBUG=false (production). La démo crée des comptes dont le mot de "
                "passe est publié, dont un superutilisateur. Pour une base de production : "
                "`python manage.py bootstrap`. Pour forcer la démo quand même : `demo --force`."
            )
        logins = []
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                logins.extend(module.load(self.stdout) or [])
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        if logins:
            self.stdout.write("\nComptes de démonstration :")
            for role, email, password in logins:
                self.stdout.write(f"  {role:<28} {email:<36} mot de passe : {password}")
