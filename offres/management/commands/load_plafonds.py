"""Load the resource ceilings from the versioned data file (offres/data/plafonds.json).

Rows already present are kept as they are, so that figures corrected by advisors in
the admin survive a reload; a new year's file adds its rows. A row of the file may
carry ``replaces`` (the figures a previous version of the file held): a stored row still
holding exactly those figures was never corrected by hand and takes the new ones.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from offres.models import ResourceCeiling

DATA = Path(__file__).resolve().parents[2] / "data" / "plafonds.json"
KEY = ("year", "financing", "zone", "category")


class Command(BaseCommand):
    help = "Charge les plafonds de ressources (fichier de données versionné)."

    @transaction.atomic
    def handle(self, *args, **options):
        data = json.loads(DATA.read_text(encoding="utf-8"))
        rows, corrected = [], 0
        for entry in data["ceilings"]:
            entry = dict(entry)
            replaces = entry.pop("replaces", None)
            rows.append(ResourceCeiling(**entry))
            if replaces:
                corrected += (
                    ResourceCeiling.objects.filter(**{k: entry[k] for k in KEY}, **replaces)
                    .exclude(amount=entry["amount"], extra_person=entry["extra_person"])
                    .update(
                        amount=entry["amount"],
                        extra_person=entry["extra_person"],
                        source=entry["source"],
                    )
                )
        before = ResourceCeiling.objects.count()
        ResourceCeiling.objects.bulk_create(rows, ignore_conflicts=True)
        added = ResourceCeiling.objects.count() - before
        self.stdout.write(
            f"Plafonds {data['version']} : {added} ajouté(s), {corrected} corrigé(s), "
            f"{len(rows) - added - corrected} déjà présent(s)."
        )
