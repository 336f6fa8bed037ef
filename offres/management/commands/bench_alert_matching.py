"""Benchmark: one publication matched against N saved alerts (PostgreSQL time).

    python manage.py bench_alert_matching --alerts 100000

Creates N immediate alerts (replacing the ones it created before) on the applicants of
the database — those of ``seed_volume`` have requests, so the eligibility half of the
query works as in production — with searches spread like real ones (a department, a
commune, or anywhere; some typologies; some rent bounds), then runs
``alerts.alerts_matching(offer)`` for a published offer of the busiest commune under
``EXPLAIN ANALYZE`` and prints the database time (median of the runs) as JSON.
"""

import json
import random
import re
import statistics

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count

from offres.alerts import alerts_matching, without_jit
from offres.models import Offer, SearchAlert

MARK = "bench-alerte"


class Command(BaseCommand):
    help = "Mesure la recherche des alertes d'une offre publiée parmi N alertes."

    def add_arguments(self, parser):
        parser.add_argument("--alerts", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, alerts, runs, seed, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("PostgreSQL requis (EXPLAIN ANALYZE).")
            return
        rng = random.Random(seed)
        busiest = (
            Offer.objects.published()
            .values("commune_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        if busiest is None:
            self.stderr.write("Aucune offre publiée : lancez d'abord seed_volume.")
            return
        offer = (
            Offer.objects.published()
            .select_related("commune")
            .filter(commune_id=busiest["commune_id"])
            .first()
        )
        self._create_alerts(alerts, rng, offer)
        timings, matched = [], 0
        for _ in range(runs):
            # As match_new_offer runs it: in a transaction, without JIT.
            with transaction.atomic():
                without_jit()
                plan = alerts_matching(offer).values_list("pk").explain(analyze=True)
            timings.append(float(re.search(r"Execution Time: ([\d.]+) ms", plan)[1]))
            matched = alerts_matching(offer).count()
        result = {
            "alerts": SearchAlert.objects.filter(label__startswith=MARK).count(),
            "offer": offer.pk,
            "commune": str(offer.commune),
            "matched": matched,
            "db_ms_median": statistics.median(timings),
            "db_ms_max": max(timings),
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    @transaction.atomic
    def _create_alerts(self, count, rng, offer):
        SearchAlert.objects.filter(label__startswith=MARK).delete()
        User = get_user_model()
        users = list(
            User.objects.filter(demande__isnull=False)
            .exclude(search_alerts__label__startswith=MARK)
            .values_list("pk", flat=True)[:count]
        )
        missing = count - len(users)
        if missing > 0:
            created = User.objects.bulk_create(
                [User(email=f"{MARK}-{i}@alin.example", is_active=True) for i in range(missing)],
                batch_size=5000,
                ignore_conflicts=True,
            )
            users += list(
                User.objects.filter(email__startswith=f"{MARK}-").values_list("pk", flat=True)
            )[: len(created)]
        departments = list(
            Offer.objects.published().values_list("commune__department_id", flat=True).distinct()
        )
        communes = list(
            Offer.objects.published().values_list("commune_id", flat=True).distinct()[:5000]
        )
        rows, places = [], []
        for index, user_id in enumerate(users[:count]):
            draw = rng.random()
            typologies = rng.sample(range(1, 7), rng.choice([0, 1, 2]))
            rent_max = rng.choice([None, None, 600, 800, 1200])
            if draw < 0.05:  # some alerts sit exactly where the offer is
                place = ("commune", offer.commune_id)
            elif draw < 0.6:
                place = ("department", rng.choice(departments))
            elif draw < 0.9:
                place = ("commune", rng.choice(communes))
            else:
                place = None
            query = "&".join(
                [f"typologie={t}" for t in typologies]
                + ([f"loyer_max={rent_max}"] if rent_max else [])
                + ([f"lieu={place[1]}"] if place else [])
            )
            rows.append(
                SearchAlert(
                    user_id=user_id,
                    query=query,
                    label=f"{MARK} {index}",
                    typology_mask=sum(1 << t for t in typologies),
                    rent_max=rent_max,
                    place_anywhere=place is None,
                )
            )
            places.append(place)
        created = SearchAlert.objects.bulk_create(rows, batch_size=5000)
        by_commune = SearchAlert.place_communes.through
        by_department = SearchAlert.place_departments.through
        by_commune.objects.bulk_create(
            [
                by_commune(searchalert_id=alert.pk, commune_id=place[1])
                for alert, place in zip(created, places, strict=True)
                if place and place[0] == "commune"
            ],
            batch_size=10000,
        )
        by_department.objects.bulk_create(
            [
                by_department(searchalert_id=alert.pk, department_id=place[1])
                for alert, place in zip(created, places, strict=True)
                if place and place[0] == "department"
            ],
            batch_size=10000,
        )
        with connection.cursor() as cursor:
            for table in (
                "accounts_user",
                "demandes_demande",
                "offres_searchalert",
                by_commune._meta.db_table,
                by_department._meta.db_table,
            ):
                cursor.execute(f"ANALYZE {table}")
