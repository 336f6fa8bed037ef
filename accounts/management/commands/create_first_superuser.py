"""The first superuser, from DJANGO_SUPERUSER_EMAIL and DJANGO_SUPERUSER_PASSWORD
(the names Django's own `createsuperuser --noinput` reads). Idempotent: an existing
account is left untouched."""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import ensure_first_superuser


class Command(BaseCommand):
    help = "Crée le premier superutilisateur depuis l'environnement (idempotent)."

    def handle(self, *args, **options):
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "").strip()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        if not email:
            self.stdout.write(
                "DJANGO_SUPERUSER_EMAIL non défini : aucun superutilisateur créé "
                "(`python manage.py createsuperuser` le fait de façon interactive)."
            )
            return
        if not password:
            raise CommandError(
                "DJANGO_SUPERUSER_PASSWORD est vide : donnez le mot de passe du premier "
                "superutilisateur dans l'environnement."
            )
        try:
            user, created = ensure_first_superuser(email=email, password=password)
        except ValidationError as exc:
            raise CommandError(
                "Mot de passe du premier superutilisateur refusé : " + " ".join(exc.messages)
            ) from exc
        if created:
            self.stdout.write(f"Superutilisateur {user.email} créé.")
        else:
            self.stdout.write(f"Le compte {user.email} existe déjà : laissé tel quel.")
