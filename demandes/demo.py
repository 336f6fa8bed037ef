"""Demo registry (``data/registre_demo.json``, 43 requests) and one imported request.

The registry file holds 40 generated requests (``manage.py generate_registre``, seed
2026) and the guide's two example numbers. ``demandeur@alin.example`` has no request:
it imports ``GUIDE_NUMBER`` end to end, reading the access code in the console email.
"""

from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, _user
from accounts.models import User

from .models import Demande, RegistryRecord
from .services import _create_demande

DEMO_FILE = Path(__file__).resolve().parent / "data" / "registre_demo.json"
GUIDE_NUMBER = "1110520020171G1175"  # Jean DUPONT, single, Seine-Saint-Denis
FAMILY_NUMBER = "0080321000486G1U21"  # a couple with a child, Lyon
CANDIDATE_NUMBER = "0930321000486G1U21"  # imported for candidat@alin.example


def load(stdout):
    call_command("import_registre", str(DEMO_FILE), stdout=stdout)
    candidate = _user(
        "candidat@alin.example",
        role=User.Role.APPLICANT,
        first_name="Alexandre",
        last_name="DI BIASE",
        civility=User.Civility.MONSIEUR,
        mobile_phone="+33698765432",
        data_consent_at=timezone.now(),
        data_consent_version="2026-11",
    )
    if not Demande.objects.filter(user=candidate).exists():
        demande = _create_demande(
            candidate, RegistryRecord.objects.get(number=CANDIDATE_NUMBER).data
        )
        demande.civility, demande.usage_name = "m", "DI BIASE"
        demande.information_confirmed_at = demande.documents_confirmed_at = timezone.now()
        demande.save()
    imported = Demande.objects.filter(user__email="demandeur@alin.example").first()
    free = [n for n in (GUIDE_NUMBER, FAMILY_NUMBER) if not Demande.objects.filter(number=n)]
    if imported is not None:
        stdout.write(
            f"demandeur@alin.example a déjà importé la demande {imported.number} "
            "(« Supprimer ma demande » pour refaire l'import)."
        )
    elif free:
        stdout.write(
            "Demande de démonstration à importer avec demandeur@alin.example (Ma situation "
            f"> Oui) : Numéro Unique {free[0]} — le code d'accès s'affiche dans la console "
            "(email à *****@yopmail.com)."
        )
    return [("Demandeur avec demande importée", "candidat@alin.example", DEMO_PASSWORD)]
