"""Load the French départements and communes shipped in territoires/data (idempotent)."""

import csv
import gzip
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from territoires.models import Commune, Department, normalise_name
from territoires.zones import zone_for

DATA = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Charge les départements et communes de France (Code officiel géographique)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--departments",
            nargs="*",
            default=None,
            help="Ne charger que les communes de ces départements (tests, démo).",
        )

    @transaction.atomic
    def handle(self, *args, departments=None, **options):
        with gzip.open(DATA / "departements.csv.gz", "rt", encoding="utf-8") as fh:
            deps = [
                Department(
                    code=r["code"],
                    name=r["nom"],
                    region_code=r["region_code"],
                    region_name=r["region_nom"],
                )
                for r in csv.DictReader(fh)
            ]
        Department.objects.bulk_create(
            deps,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "region_code", "region_name"],
        )
        wanted = set(departments) if departments else None
        communes = []
        with gzip.open(DATA / "communes.csv.gz", "rt", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if wanted and r["departement"] not in wanted:
                    continue
                postal_codes = r["codes_postaux"].split()
                communes.append(
                    Commune(
                        insee_code=r["code"],
                        name=r["nom"],
                        search_name=normalise_name(r["nom"]),
                        department_id=r["departement"],
                        postal_code=postal_codes[0] if postal_codes else "",
                        postal_codes=postal_codes,
                        population=int(r["population"] or 0),
                        is_district=r["type"] == "arrondissement-municipal",
                        zone=zone_for(r["code"], r["departement"]),
                        epci=r["epci"],
                    )
                )
        Commune.objects.bulk_create(
            communes,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["insee_code"],
            update_fields=[
                "name",
                "search_name",
                "department",
                "postal_code",
                "postal_codes",
                "population",
                "is_district",
                "epci",
            ],
        )
        self.stdout.write(f"{len(deps)} départements, {len(communes)} communes chargés.")
