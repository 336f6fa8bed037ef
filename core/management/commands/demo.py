"""Load the demo data of every app (idempotent: running it twice changes nothing).

Each app may have a ``demo.py`` module with a ``load(stdout)`` function; they are
called in INSTALLED_APPS order, so an app's demo data can rely on the apps before it.
"""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les identifiants."

    def handle(self, *args, **options):
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
