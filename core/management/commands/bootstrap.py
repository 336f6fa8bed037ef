"""Prepare a production database, without demo data (idempotent: re-run after upgrades).

migrate → the advisors' group (kept in step by migrate itself) → communes → resource
ceilings → the first superuser from the environment → the reference-data checks. The
commands of the other apps are called by name: core imports no app to its right.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prépare une base de production (migrations, communes, plafonds, groupes, "
        "premier superutilisateur) ; sans données de démonstration, idempotent."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        steps = [
            ("Migrations", "migrate", {"interactive": False}),
            ("Communes", "load_communes", {}),
            ("Plafonds de ressources", "load_plafonds", {}),
            ("Premier superutilisateur", "create_first_superuser", {}),
        ]
        for label, command, kwargs in steps:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{label} ({command})"))
            call_command(command, stdout=self.stdout, verbosity=verbosity, **kwargs)
        self.stdout.write(self.style.MIGRATE_HEADING("Vérification des données de référence"))
        # Fails (non-zero exit) on an error; warnings are printed.
        call_command("check", databases=["default"], stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Base prête (sans données de démonstration)."))
