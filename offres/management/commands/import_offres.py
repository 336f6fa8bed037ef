"""Load offers from a JSON file (documented in docs/offres.md): validated, idempotent
(landlord SIREN + reference), bad records reported with the reason."""

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.fr import siren as stdnum_siren

from offres.models import Landlord, Offer
from territoires.models import Commune

REQUIRED = (
    "siren_bailleur",
    "reference",
    "titre",
    "typologie",
    "surface",
    "loyer",
    "charges",
    "financement",
    "adresse",
    "commune_insee",
    "disponible_le",
    "date_limite",
)
KINDS = {k.value for k in Offer.Kind}
FINANCINGS = {f.value for f in Offer.Financing}
CLASSES = set("ABCDEFG")
STATUSES = {"brouillon": Offer.Status.DRAFT, "publiee": Offer.Status.PUBLISHED}


def check(raw, communes, landlords):
    problems = []
    if not isinstance(raw, dict):
        return ["objet JSON attendu"], None
    missing = [k for k in REQUIRED if raw.get(k) in (None, "")]
    if missing:
        problems.append("champs manquants : " + ", ".join(missing))
    siren = str(raw.get("siren_bailleur", ""))
    if siren and not stdnum_siren.is_valid(siren):
        problems.append(f"SIREN invalide ({siren})")
    elif siren and siren not in landlords:
        problems.append(f"bailleur inconnu (SIREN {siren})")
    if raw.get("commune_insee") and str(raw["commune_insee"]) not in communes:
        problems.append(f"commune inconnue ({raw['commune_insee']})")
    typology = raw.get("typologie")
    if typology is not None and typology not in (1, 2, 3, 4, 5, 6):
        problems.append(f"typologie invalide ({typology!r}, 1 à 6)")
    values = {}
    for key in ("surface", "loyer", "charges"):
        try:
            values[key] = Decimal(str(raw.get(key)))
            if values[key] < 0 or values[key] > 100000:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            problems.append(f"{key} invalide ({raw.get(key)!r})")
    if values.get("surface") == 0:
        problems.append("surface nulle")
    if raw.get("financement") and raw["financement"] not in FINANCINGS:
        problems.append(f"financement inconnu ({raw['financement']})")
    if raw.get("type", "appartement") not in KINDS:
        problems.append(f"type inconnu ({raw.get('type')})")
    for key in ("dpe", "ges"):
        if raw.get(key) and raw[key] not in CLASSES:
            problems.append(f"{key.upper()} invalide ({raw[key]})")
    if raw.get("statut", "publiee") not in STATUSES:
        problems.append(f"statut inconnu ({raw.get('statut')})")
    dates = {}
    for key in ("disponible_le", "date_limite"):
        try:
            dates[key] = date.fromisoformat(str(raw.get(key)))
        except ValueError:
            problems.append(f"{key} invalide ({raw.get(key)!r}, AAAA-MM-JJ)")
    return problems, {**values, **dates}


class Command(BaseCommand):
    help = "Importe des offres de logement depuis un fichier JSON (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                records = json.load(fh)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Fichier illisible ({file}) : {exc}") from exc
        if not isinstance(records, list):
            raise CommandError("Le fichier doit contenir une liste d'offres JSON.")
        communes = set(Commune.objects.values_list("insee_code", flat=True))
        landlords = dict(Landlord.objects.values_list("siren", "pk"))
        created = updated = bad = 0
        seen = set()
        for index, raw in enumerate(records, 1):
            problems, values = check(raw, communes, landlords)
            key = (
                (str(raw.get("siren_bailleur")), str(raw.get("reference")))
                if isinstance(raw, dict)
                else None
            )
            if not problems and key in seen:
                problems = ["référence en double dans le fichier"]
            if problems:
                bad += 1
                self.stderr.write(
                    f"Offre {index} ({key[1] if key else '?'}) : " + " ; ".join(problems)
                )
                continue
            seen.add(key)
            status = STATUSES[raw.get("statut", "publiee")]
            with transaction.atomic():
                _, was_created = Offer.objects.update_or_create(
                    landlord_id=landlords[key[0]],
                    reference=key[1],
                    defaults={
                        "title": raw["titre"][:200],
                        "description": raw.get("description", ""),
                        "kind": raw.get("type", "appartement"),
                        "typology": raw["typologie"],
                        "surface": values["surface"],
                        "floor": int(raw.get("etage", 0)),
                        "has_lift": bool(raw.get("ascenseur")),
                        "reduced_mobility": bool(raw.get("pmr")),
                        "rent": values["loyer"],
                        "charges": values["charges"],
                        "financing": raw["financement"],
                        "energy_class": raw.get("dpe", ""),
                        "climate_class": raw.get("ges", ""),
                        "address": raw["adresse"][:255],
                        "commune_id": str(raw["commune_insee"]),
                        "available_from": values["disponible_le"],
                        "deadline": values["date_limite"],
                        "status": status,
                        "published_at": timezone.now()
                        if status == Offer.Status.PUBLISHED
                        else None,
                    },
                )
            created += was_created
            updated += not was_created
        self.stdout.write(
            f"{len(records)} offre(s) lue(s) : {created} créée(s), {updated} mise(s) à jour, "
            f"{bad} refusée(s)."
        )
