"""Write a realistic, reproducible registry export (JSON) for demos and measurements."""

import json
import random
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from stdnum import luhn
from stdnum.fr import siret as stdnum_siret

# Real INSEE codes by department, for the desired communes.
COMMUNES = {
    "75": ["75111", "75112", "75113", "75118", "75119", "75120"],
    "92": ["92012", "92050", "92024", "92040", "92025"],
    "93": ["93070", "93001", "93029", "93048", "93066", "93055"],
    "94": ["94028", "94081", "94041", "94080", "94033"],
    "69": ["69381", "69383", "69387", "69266", "69259"],
    "13": ["13201", "13205", "13208", "13001", "13005"],
    "33": ["33063", "33281", "33318", "33522"],
    "31": ["31555", "31069", "31149"],
    "44": ["44109", "44190", "44143"],
    "59": ["59350", "59512", "59599", "59009"],
}
WOMEN = ["Marie", "Nadia", "Sophie", "Inès", "Aïcha", "Camille", "Léa", "Fatou", "Chloé", "Emma"]
MEN = ["Jean", "Karim", "Lucas", "Thomas", "Julien", "Mohamed", "Hugo", "Yanis", "Mamadou"]
FIRST = WOMEN + MEN
LAST = [
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFEBVRE",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "N'DIAYE",
    "DI BIASE",
]
SITUATIONS = ["cdi"] * 6 + ["cdd", "public", "apprenti", "independant", "chomage", "retraite"]
HOUSING = [
    "Hébergé chez des tiers",
    "Locataire du parc privé",
    "Logement trop petit",
    "Logement trop cher",
    "Rapprochement du lieu de travail",
]


def siret(rng):
    """A SIRET with valid Luhn checksums (SIREN and SIRET), checked by python-stdnum."""
    base = f"{rng.randrange(10_000_000, 99_999_999):08d}"
    siren = base + luhn.calc_check_digit(base)
    nic = f"{rng.randrange(1, 9999):04d}"
    number = siren + nic + luhn.calc_check_digit(siren + nic)
    assert stdnum_siret.is_valid(number)
    return number


def record(rng, n, today):
    dep = rng.choice(list(COMMUNES))
    filed = today - timedelta(days=rng.randrange(30, 5 * 365))
    size = rng.choices([1, 2, 3, 4, 5, 6], weights=[35, 25, 18, 12, 6, 4])[0]
    couple = size >= 2 and rng.random() < 0.6
    children = size - (2 if couple else 1)
    birth = date(rng.randrange(1960, 2003), rng.randrange(1, 13), rng.randrange(1, 28))
    monthly = rng.randrange(1100, 4200) * (1.6 if couple else 1)
    territory = f"{int(dep):03d}" if dep.isdigit() else "111"
    number = f"{territory}{filed:%m%y}{n:06d}{rng.choice('ABCDEFGH')}{rng.randrange(1000, 9999)}"
    communes = rng.sample(COMMUNES[dep], k=min(len(COMMUNES[dep]), rng.randrange(1, 4)))
    civility = rng.choice(["M", "MME"])
    situation = rng.choice(SITUATIONS)
    employed = situation in {"cdi", "cdd", "public", "apprenti"}
    wanted = {1: ["T1", "T2"], 2: ["T2", "T3"], 3: ["T3", "T4"], 4: ["T4", "T5"]}.get(
        size, ["T5", "T6"]
    )
    return {
        "numero": number,
        "email": f"demandeur{n}@yopmail.com",
        "demandeur": {
            "civilite": civility,
            "nom_naissance": rng.choice(LAST),
            "nom_usage": "",
            "prenom": rng.choice(WOMEN if civility == "MME" else MEN),
            "date_naissance": birth.isoformat(),
            "handicap": rng.random() < 0.04,
        },
        "codemandeur": (
            {
                "civilite": "M" if civility == "MME" else "MME",
                "nom_naissance": rng.choice(LAST),
                "prenom": rng.choice(MEN if civility == "MME" else WOMEN),
                "date_naissance": (birth + timedelta(days=rng.randrange(-2000, 2000))).isoformat(),
                "handicap": False,
            }
            if couple
            else None
        ),
        "personnes_a_charge": [
            {
                "prenom": rng.choice(FIRST),
                "lien": "enfant",
                "handicap": False,
                "date_naissance": date(
                    rng.randrange(2008, 2025), rng.randrange(1, 13), 1
                ).isoformat(),
            }
            for _ in range(children)
        ],
        "revenu_fiscal_reference": int(monthly * 12 * rng.uniform(0.7, 0.95)),
        "ressources_mensuelles": round(monthly, 2),
        "aide_logement": rng.choice([0, 0, 0, 120, 250]),
        "situation_professionnelle": situation,
        "siret_employeur": siret(rng) if employed or situation == "independant" else "",
        "entreprise_10_salaries_et_plus": employed and rng.random() < 0.85,
        "designation_entreprise": rng.random() < 0.15,
        "communes_souhaitees": communes,
        "departements_souhaites": [dep] if rng.random() < 0.2 else [],
        "typologies_souhaitees": wanted,
        "logement_actuel": rng.choice(HOUSING),
        "mobilite_reduite": rng.random() < 0.03,
        "public_prioritaire": rng.random() < 0.1,
        "date_depot": filed.isoformat(),
        # The day of the last renewal (one a year since the filing), none in the first year.
        "date_renouvellement": (
            (filed + timedelta(days=365 * ((today - filed).days // 365))).isoformat()
            if (today - filed).days >= 365
            else None
        ),
        "pieces_deposees": ["identite", "avis_imposition_n2"]
        + rng.sample(["avis_imposition_n1", "logement_actuel", "situation_familiale"], k=2)
        + (["bulletins_salaire", "contrat_travail"] if employed else ["justificatif_ressources"]),
    }


class Command(BaseCommand):
    help = "Génère un export JSON réaliste et reproductible du registre national."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--count", type=int, default=40)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, file, count, seed, **options):
        rng = random.Random(seed)
        today = date(2026, 11, 1)
        records = [record(rng, n, today) for n in range(1, count + 1)]
        with open(file, "w", encoding="utf-8") as fh:
            json.dump(records, fh, ensure_ascii=False, indent=1)
        self.stdout.write(f"{count} enregistrement(s) écrit(s) dans {file}.")
