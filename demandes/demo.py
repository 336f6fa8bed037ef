"""Demo registry (40 generated requests + the guide's example) and one imported request."""

import json
import random
import tempfile
from datetime import date

from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, _user
from accounts.models import User

from .management.commands.generate_registre import record
from .models import Demande
from .services import _create_demande

GUIDE_NUMBER = "1110520020171G1175"
CANDIDATE_NUMBER = "0930321000486G1U21"
NO_OFFER_NUMBER = "0080321000486G1U21"


def _guide_record(number, email, first, last, communes):
    return {
        "numero": number,
        "email": email,
        "demandeur": {
            "civilite": "M",
            "nom_naissance": last,
            "nom_usage": "",
            "prenom": first,
            "date_naissance": "1990-05-17",
            "handicap": False,
        },
        "codemandeur": None,
        "personnes_a_charge": [],
        "revenu_fiscal_reference": 21000,
        "ressources_mensuelles": 2100,
        "aide_logement": 0,
        "situation_professionnelle": "cdi",
        "siret_employeur": "73282932000074",
        "entreprise_10_salaries_et_plus": True,
        "designation_entreprise": False,
        "communes_souhaitees": communes,
        "departements_souhaites": [],
        "typologies_souhaitees": ["T1", "T2"],
        "logement_actuel": "Hébergé chez des tiers",
        "mobilite_reduite": False,
        "public_prioritaire": False,
        "date_depot": "2023-05-02",
        "date_renouvellement": "2026-05-02",
        "pieces_deposees": [
            "identite",
            "avis_imposition_n2",
            "avis_imposition_n1",
            "bulletins_salaire",
            "contrat_travail",
            "logement_actuel",
        ],
    }


def load(stdout):
    rng = random.Random(2026)
    records = [record(rng, n, date(2026, 11, 1)) for n in range(1, 41)]
    records.append(
        _guide_record(
            GUIDE_NUMBER, "jean.dupont@yopmail.com", "Jean", "DUPONT", ["93070", "93001", "93029"]
        )
    )
    records.append(
        _guide_record(
            CANDIDATE_NUMBER,
            "alex.dib@yopmail.com",
            "Alexandre",
            "DI BIASE",
            ["93070", "93001", "75111"],
        )
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as fh:
        json.dump(records, fh, ensure_ascii=False)
        fh.flush()
        call_command("import_registre", fh.name, stdout=stdout)

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
        from .models import RegistryRecord

        demande = _create_demande(
            candidate, RegistryRecord.objects.get(number=CANDIDATE_NUMBER).data
        )
        demande.civility, demande.usage_name = "m", "DI BIASE"
        demande.information_confirmed_at = demande.documents_confirmed_at = timezone.now()
        demande.save()
    stdout.write(
        f"Demande de démonstration à importer par demandeur@alin.example : {GUIDE_NUMBER} "
        f"(le code d'accès s'affiche dans la console) ; {NO_OFFER_NUMBER} n'a aucune offre "
        "adaptée (Ardennes)."
    )
    return [("Demandeur avec demande importée", "candidat@alin.example", DEMO_PASSWORD)]
