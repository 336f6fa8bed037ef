"""Attach the requests created on AL'in before 20/04/2021 to their accounts.

Such a request was never validated with a security code: its first "Mettre à jour"
asks for one (``demandes.services.validate_with_code``). Format in docs/demandes.md.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demandes.management.commands.import_registre import read_records
from demandes.numbers import validate_number
from demandes.services import DemandeError, attach_legacy_demande


def _check(raw):
    """(user, number, created_on, problems) of one record."""
    problems = []
    if not isinstance(raw, dict):
        return None, "", None, ["enregistrement : objet JSON attendu"]
    email = str(raw.get("email_compte") or "").strip().lower()
    user = User.objects.filter(email=email).first() if email else None
    if user is None:
        problems.append(f"aucun compte AL'in pour l'email {email or '(vide)'}")
    elif not user.is_applicant:
        problems.append(f"le compte {email} n'est pas un compte demandeur")
    number = ""
    try:
        number = validate_number(str(raw.get("numero") or ""))
    except Exception as exc:  # noqa: BLE001 — ValidationError: its French message
        problems.append(f"numéro unique : {getattr(exc, 'messages', [exc])[0]}")
    created_on = None
    try:
        created_on = date.fromisoformat(str(raw.get("cree_le") or ""))
    except ValueError:
        problems.append(f"date de création invalide ({raw.get('cree_le')!r}, attendu AAAA-MM-JJ)")
    return user, number, created_on, problems


class Command(BaseCommand):
    help = (
        "Rattache à leurs comptes les demandes créées sur AL'in avant le 20/04/2021 "
        "(fichier JSON) : leur première mise à jour demandera un code de sécurité."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier JSON : une liste d'enregistrements.")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                records = read_records(fh.read())
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CommandError(f"Fichier illisible ({file}) : {exc}") from exc
        attached = refused = 0
        for index, (line, raw) in enumerate(records, 1):
            user, number, created_on, problems = _check(raw)
            if not problems:
                try:
                    attach_legacy_demande(user=user, number=number, created_on=created_on)
                except DemandeError as exc:
                    problems = [str(exc)]
            if problems:
                refused += 1
                self.stderr.write(
                    f"Enregistrement {index}, ligne {line} ({number or '?'}) : "
                    + " ; ".join(problems)
                )
            else:
                attached += 1
        self.stdout.write(
            f"{len(records)} enregistrement(s) lu(s) : {attached} demande(s) rattachée(s), "
            f"{refused} refusé(s)."
        )
