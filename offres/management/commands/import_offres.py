"""Load offers from a JSON file (documented in docs/offres.md): validated, idempotent
(landlord SIREN + reference), bad records reported with the reason."""

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from stdnum.fr import siren as stdnum_siren

from offres import services
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
# The file's keys, for the messages of the services' validation.
FRENCH_KEYS = {
    "title": "titre",
    "typology": "typologie",
    "rent": "loyer",
    "financing": "financement",
    "address": "adresse",
    "commune": "commune_insee",
    "available_from": "disponible_le",
    "deadline": "date_limite",
    "floor": "etage",
    "kind": "type",
    "energy_class": "dpe",
    "climate_class": "ges",
    "has_lift": "ascenseur",
    "reduced_mobility": "pmr",
}
# The file's words (an external format) and what they mean here; absent: to publish.
STATUSES = {"brouillon": Offer.Status.DRAFT, "publiee": Offer.Status.PUBLISHED}
DEFAULT_STATUS = "publiee"


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
    for key, limit in (("reference", 50), ("titre", 200), ("adresse", 255)):
        if raw.get(key) not in (None, "") and not isinstance(raw[key], str | int):
            problems.append(f"{key} : texte attendu")
        elif len(str(raw.get(key) or "")) > limit:
            problems.append(f"{key} trop long ({limit} caractères au plus)")
    if raw.get("description") is not None and not isinstance(raw["description"], str):
        problems.append("description : texte attendu")
    floor = raw.get("etage", 0)
    if isinstance(floor, bool) or not isinstance(floor, int) or not -5 <= floor <= 60:
        problems.append(f"etage invalide ({floor!r}, nombre entier de -5 à 60)")
    for key in ("ascenseur", "pmr"):
        if key in raw and not isinstance(raw[key], bool):
            problems.append(f"{key} invalide ({raw[key]!r}, true ou false)")
    typology = raw.get("typologie")
    if typology is not None and typology not in (1, 2, 3, 4, 5, 6):
        problems.append(f"typologie invalide ({typology!r}, 1 à 6)")
    values = {}
    for key, highest in (("surface", 1000), ("loyer", 100000), ("charges", 100000)):
        try:
            if isinstance(raw.get(key), bool):
                raise InvalidOperation
            values[key] = Decimal(str(raw.get(key)))
            if not values[key].is_finite() or not 0 <= values[key] <= highest:
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
    status = STATUSES.get(raw.get("statut", DEFAULT_STATUS))
    if status is None:
        problems.append(f"statut inconnu ({raw.get('statut')})")
    dates = {}
    for key in ("disponible_le", "date_limite"):
        try:
            dates[key] = date.fromisoformat(str(raw.get(key)))
        except ValueError:
            problems.append(f"{key} invalide ({raw.get(key)!r}, AAAA-MM-JJ)")
    if (
        status == Offer.Status.PUBLISHED
        and dates.get("date_limite")
        and dates["date_limite"] < timezone.localdate()
    ):
        problems.append("date_limite passée pour une offre à publier")
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
        landlords = {landlord.siren: landlord for landlord in Landlord.objects.all()}
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
            data = {
                "title": str(raw["titre"]),
                "description": raw.get("description") or "",
                "kind": raw.get("type", Offer.Kind.APARTMENT),
                "typology": raw["typologie"],
                "surface": values["surface"],
                "floor": raw.get("etage", 0),
                "has_lift": raw.get("ascenseur", False),
                "reduced_mobility": raw.get("pmr", False),
                "rent": values["loyer"],
                "charges": values["charges"],
                "financing": raw["financement"],
                "energy_class": raw.get("dpe") or "",
                "climate_class": raw.get("ges") or "",
                "address": str(raw["adresse"]),
                "commune": str(raw["commune_insee"]),
                "available_from": values["disponible_le"],
                "deadline": values["date_limite"],
            }
            try:
                # The same services (and validation) as the web form and the API.
                _, was_created = services.import_offer(
                    landlord=landlords[key[0]],
                    reference=key[1],
                    publish_it=STATUSES[raw.get("statut", DEFAULT_STATUS)]
                    == Offer.Status.PUBLISHED,
                    **data,
                )
            except services.OfferInvalid as exc:
                bad += 1
                problems = [
                    f"{FRENCH_KEYS.get(k, k)} : {m}" for k, ms in exc.errors.items() for m in ms
                ]
                self.stderr.write(f"Offre {index} ({key[1]}) : " + " ; ".join(problems))
                continue
            except services.OfferError as exc:
                bad += 1
                self.stderr.write(f"Offre {index} ({key[1]}) : {exc}")
                continue
            created += was_created
            updated += not was_created
        self.stdout.write(
            f"{len(records)} offre(s) lue(s) : {created} créée(s), {updated} mise(s) à jour, "
            f"{bad} refusée(s)."
        )
