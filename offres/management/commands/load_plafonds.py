"""Load the resource ceilings from the versioned data file (offres/data/plafonds.json).

Rows already present are kept as they are, so that figures corrected by advisors in
the admin survive a reload; a new year's file adds its rows.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from offres.models import ResourceCeiling

DATA = Path(__file__).resolve().parents[2] / "data" / "plafonds.json"


class Command(BaseCommand):
    help = "Charge les plafonds de ressources (fichier de données versionné)."

    def handle(self, *args, **options):
        data = json.loads(DATA.read_text(encoding="utf-8"))
        rows = [ResourceCeiling(**row) for row in data["ceilings"]]
        before = ResourceCeiling.objects.count()
        ResourceCeiling.objects.bulk_create(rows, ignore_conflicts=True)
        added = ResourceCeiling.objects.count() - before
        self.stdout.write(
            f"Plafonds {data['version']} : {added} ajouté(s), {len(rows) - added} déjà présent(s)."
        )
