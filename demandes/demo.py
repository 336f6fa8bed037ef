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


def keep_current(number):
    """Keep a demo login's request valid whatever the day the demo is loaded: renewed
    two months ago in the registry's copy and in the imported request. (The registry
    file's fixed dates would strike the requests off one after another: the guide's
    number on 02/05/2027, for instance.)"""
    from .validity import add_months

    renewed = add_months(timezone.localdate(), -2)
    record = RegistryRecord.objects.filter(number=number).first()
    if record is not None and record.data.get("date_renouvellement") != renewed.isoformat():
        record.data = {**record.data, "date_renouvellement": renewed.isoformat()}
        record.save(update_fields=["data", "updated_at"])
    Demande.objects.filter(number=number).update(renewed_on=renewed)


def load(stdout):
    call_command("import_registre", str(DEMO_FILE), stdout=stdout)
    for number in (GUIDE_NUMBER, FAMILY_NUMBER, CANDIDATE_NUMBER):
        keep_current(number)
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
    return [
        ("Demandeur avec demande importée", "candidat@alin.example", DEMO_PASSWORD),
        *_lifecycle_demos(stdout),
    ]


# The request's life (issue 13): dates relative to today, so that "to renew within the
# month" and "expired" stay true whenever the demo is loaded (refreshed at each run).
COUPLE_NUMBER = "0930325000101G1U21"
RENEW_NUMBER = "0930325000102G1U21"
EXPIRED_NUMBER = "0930325000103G1U21"
LEGACY_NUMBER = "0930620000104G1U21"


def _person(civility, birth_name, first_name, born, **extra):
    return {
        "civilite": civility,
        "nom_naissance": birth_name,
        "nom_usage": "",
        "prenom": first_name,
        "date_naissance": born.isoformat(),
        "handicap": False,
        **extra,
    }


def _record(number, email, applicant, renewed_on, filed_on, **extra):
    return {
        "numero": number,
        "email": email,
        "demandeur": applicant,
        "codemandeur": None,
        "personnes_a_charge": [],
        "revenu_fiscal_reference": 21000,
        "ressources_mensuelles": 2400,
        "aide_logement": 0,
        "situation_professionnelle": "cdi",
        "siret_employeur": "73282932000074",
        "entreprise_10_salaries_et_plus": True,
        "designation_entreprise": False,
        "communes_souhaitees": [],
        "departements_souhaites": ["93"],
        "typologies_souhaitees": ["T1", "T2", "T3"],
        "logement_actuel": "Locataire du parc privé",
        "mobilite_reduite": False,
        "public_prioritaire": False,
        "date_depot": filed_on.isoformat(),
        "date_renouvellement": renewed_on.isoformat() if renewed_on else None,
        "pieces_deposees": ["identite", "avis_imposition_n2", "bulletins_salaire"],
        **extra,
    }


def _lifecycle_demos(stdout):
    from datetime import date, timedelta

    from .services import attach_legacy_demande
    from .validity import add_months

    today = timezone.localdate()
    young = date(today.year - 26, 6, 10)
    stories = [
        (
            "Couple avec co-demandeur",
            "demandeur.couple@alin.example",
            ("Paul", "NGUYEN", User.Civility.MONSIEUR),
            _record(
                COUPLE_NUMBER,
                "famille.nguyen@yopmail.com",
                _person("M", "NGUYEN", "Paul", young, telephone_portable="0612345678"),
                add_months(today, -3),
                date(2025, 3, 1),
                codemandeur=_person(
                    "MME",
                    "TRAN",
                    "Marie",
                    young + timedelta(days=300),
                    nom_usage="NGUYEN",
                    lien="conjointe",
                    email="marie.nguyen@yopmail.com",
                    situation_professionnelle="cdi",
                    siret_employeur="73282932000074",
                    entreprise_10_salaries_et_plus=True,
                ),
                situation_professionnelle="chomage",
                siret_employeur="",
                entreprise_10_salaries_et_plus=False,
                revenu_fiscal_reference=23000,
                ressources_mensuelles=3000,
            ),
        ),
        (
            "Demande à renouveler ce mois-ci",
            "demandeur.arenouveler@alin.example",
            ("Sofia", "MARTIN", User.Civility.MADAME),
            _record(
                RENEW_NUMBER,
                "sofia.martin@yopmail.com",
                _person("MME", "MARTIN", "Sofia", date(1985, 9, 1)),
                add_months(today, -12) + timedelta(days=20),
                date(2023, 3, 1),
            ),
        ),
        (
            "Demande expirée (non renouvelée)",
            "demandeur.expiree@alin.example",
            ("Karim", "BENALI", User.Civility.MONSIEUR),
            _record(
                EXPIRED_NUMBER,
                "karim.benali@yopmail.com",
                _person("M", "BENALI", "Karim", date(1979, 1, 15)),
                add_months(today, -14),
                date(2023, 3, 1),
            ),
        ),
    ]
    logins = []
    for label, email, (first, last, civility), record in stories:
        RegistryRecord.objects.update_or_create(
            number=record["numero"],
            defaults={
                "email": record["email"],
                "birth_name": record["demandeur"]["nom_naissance"],
                "first_name": record["demandeur"]["prenom"],
                "birth_date": date.fromisoformat(record["demandeur"]["date_naissance"]),
                "data": record,
            },
        )
        user = _user(
            email,
            role=User.Role.APPLICANT,
            first_name=first,
            last_name=last,
            civility=civility,
            data_consent_at=timezone.now(),
            data_consent_version="2026-11",
        )
        demande = Demande.objects.filter(user=user).first()
        if demande is None:
            demande = _create_demande(user, record)
            demande.information_confirmed_at = demande.documents_confirmed_at = timezone.now()
            demande.save()
        else:  # keep the story true on the day the demo is loaded again
            Demande.objects.filter(pk=demande.pk).update(
                renewed_on=date.fromisoformat(record["date_renouvellement"])
            )
        logins.append((label, email, DEMO_PASSWORD))

    legacy = _record(
        LEGACY_NUMBER,
        "lucie.bernard@yopmail.com",
        _person("MME", "BERNARD", "Lucie", date(1990, 4, 4)),
        add_months(today, -2),
        date(2020, 6, 6),
    )
    RegistryRecord.objects.update_or_create(
        number=LEGACY_NUMBER,
        defaults={
            "email": legacy["email"],
            "birth_name": "BERNARD",
            "first_name": "Lucie",
            "birth_date": date(1990, 4, 4),
            "data": legacy,
        },
    )
    user = _user(
        "demandeur.historique@alin.example",
        role=User.Role.APPLICANT,
        first_name="Lucie",
        last_name="BERNARD",
        civility=User.Civility.MADAME,
        data_consent_at=timezone.now(),
        data_consent_version="2026-11",
    )
    if not Demande.objects.filter(user=user).exists():
        demande = attach_legacy_demande(
            user=user, number=LEGACY_NUMBER, created_on=date(2020, 6, 6)
        )
        demande.information_confirmed_at = demande.documents_confirmed_at = timezone.now()
        demande.save()
    logins.append(
        (
            "Demande d'avant le 20/04/21 à valider",
            "demandeur.historique@alin.example",
            DEMO_PASSWORD,
        )
    )
    stdout.write(
        "Cycle de vie des demandes : demandeur.couple@ (co-demandeur, ménage), "
        "demandeur.arenouveler@ (à renouveler ce mois-ci), demandeur.expiree@ (expirée : "
        "ne peut plus postuler), demandeur.historique@ (créée avant le 20/04/21 : « Mettre à "
        "jour ma demande » demande un code, affiché dans la console)."
    )
    return logins
