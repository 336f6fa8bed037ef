"""Fill PostgreSQL with national-scale, reproducible data for the benchmark, with COPY.

    python manage.py seed_volume --offers 100000 --requests 300000 --candidatures 500000

Offers and requests are spread over real communes weighted by population; each request
wishes communes of its own department. ``bench-<n>@alin.example`` (password Bench2026!)
are applicants with a confirmed request and no active candidature, for the load tests.
Lives here, in the rightmost app, because it writes every app's tables.
"""

import json
import random
import time
from datetime import UTC as TZ
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from territoires.models import Commune

TABLES = [
    "candidatures_notification",
    "candidatures_candidatureevent",
    "candidatures_historicalcandidature",
    "candidatures_candidature",
    "demandes_datasharingchange",
    "demandes_accesscode",
    "demandes_demande_desired_communes",
    "demandes_demande_desired_departments",
    "demandes_historicaldemande",
    "demandes_demande",
    "offres_alertdelivery",
    "offres_searchalert",
    "offres_offerphoto",
    "offres_historicaloffer",
    "offres_offer",
    "offres_residence",
    "offres_landlordmembership",
    "offres_landlord",
    "account_emailaddress",
    "core_outgoingemail",
    "django_session",
    "django_admin_log",
    "accounts_user",
]
RATE = {"paris": 11.5, "idf": 8.5, "autres": 6.5}
ACTIVE = ["deposee", "deposee", "deposee", "validee", "validee", "transmise", "visite"]
PAST = ["annulee", "annulee", "invalidee", "non_retenue", "non_attribuee"]
FORWARDED = {"transmise", "visite", "non_attribuee"}
BENCH_PASSWORD = "Bench2026!"  # noqa: S105 — benchmark accounts on a benchmark database


def luhn_digit(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


class Command(BaseCommand):
    help = "Remplit PostgreSQL avec des données de volume reproductibles (COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--offers", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=300_000)
        parser.add_argument("--candidatures", type=int, default=500_000)
        parser.add_argument("--bench-users", type=int, default=1000)
        parser.add_argument("--landlords", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Vide d'abord les tables (base de mesure uniquement).",
        )

    def handle(self, *args, **o):
        if connection.vendor != "postgresql":
            raise CommandError("seed_volume écrit avec COPY : PostgreSQL uniquement.")
        if not Commune.objects.exists():
            raise CommandError("Chargez d'abord les communes (manage.py load_communes).")
        if not o["reset"]:
            raise CommandError("Ajoutez --reset : la commande vide les tables métier.")
        started = time.monotonic()
        self.rng = random.Random(o["seed"])
        self.now = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
        self.today = date(2026, 11, 20)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE")
        self.load_places()
        self.copy_landlords(o["landlords"])
        self.copy_offers(o["offers"], o["landlords"])
        self.copy_requests(o["requests"], o["bench_users"])
        self.copy_candidatures(o["candidatures"], o["requests"], o["offers"], o["bench_users"])
        with connection.cursor() as cursor:
            for table in (
                "accounts_user",
                "account_emailaddress",
                "demandes_demande",
                "offres_offer",
                "offres_landlord",
                "candidatures_candidature",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            # Set the visibility map too, as autovacuum would: index-only scans need it.
            cursor.execute("VACUUM ANALYZE offres_offer")
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"{o['offers']} offres, {o['requests']} demandes, {o['candidatures']} candidatures "
            f"en {time.monotonic() - started:.0f} s."
        )

    def load_places(self):
        rows = list(
            Commune.objects.filter(is_district=False, population__gt=5000)
            .exclude(insee_code__in=["75056", "69123", "13055"])
            .values_list("insee_code", "department_id", "zone", "population")
        )
        rows += list(
            Commune.objects.filter(is_district=True).values_list(
                "insee_code", "department_id", "zone", "population"
            )
        )
        self.communes = [r[0] for r in rows]
        self.weights = [r[3] for r in rows]
        self.zone = {r[0]: r[2] for r in rows}
        self.department = {r[0]: r[1] for r in rows}
        self.by_department = {}
        for code, dep, _, _ in sorted(rows, key=lambda r: -r[3]):
            self.by_department.setdefault(dep, []).append(code)

    def copy(self, table, columns, rows):
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def copy_landlords(self, count):
        rows = []
        for n in range(1, count + 1):
            base = f"{30000000 + n:08d}"
            rows.append(
                (
                    n,
                    f"Bailleur social {n}",
                    base + luhn_digit(base),
                    f"contact{n}@bailleur.example",
                    "",
                )
            )
        self.copy(
            "offres_landlord", ["id", "name", "siren", "contact_email", "contact_phone"], rows
        )

    def copy_offers(self, count, landlords):
        rng = self.rng
        communes = rng.choices(self.communes, weights=self.weights, k=count)

        def rows():
            for n in range(1, count + 1):
                commune = communes[n - 1]
                typology = rng.choices([1, 2, 3, 4, 5, 6], weights=[14, 30, 28, 18, 7, 3])[0]
                surface = 18 + (typology - 1) * rng.randrange(11, 16) + rng.randrange(0, 10)
                status = rng.choices(
                    ["publiee", "cloturee", "attribuee", "brouillon"], weights=[85, 8, 5, 2]
                )[0]
                deadline = self.today + timedelta(days=rng.randrange(1, 75))
                if status != "publiee":
                    deadline = self.today - timedelta(days=rng.randrange(1, 60))
                published = self.now - timedelta(hours=rng.randrange(1, 2000))
                yield (
                    n,
                    f"VOL-{n}",
                    f"T{typology} à louer",
                    "Logement social.",
                    "appartement" if rng.random() > 0.1 else "maison",
                    typology,
                    surface,
                    rng.randrange(0, 12),
                    rng.random() < 0.6,
                    rng.random() < 0.12,
                    round(surface * RATE[self.zone[commune]] * rng.uniform(0.8, 1.15), 2),
                    rng.randrange(30, 160),
                    rng.choices(["PLAI", "PLUS", "PLS", "PLI"], weights=[20, 60, 15, 5])[0],
                    rng.choice("BCDDEF"),
                    rng.choice("BCDDEF"),
                    f"{rng.randrange(1, 200)} rue",
                    deadline + timedelta(days=rng.randrange(5, 60)),
                    deadline,
                    status,
                    None if status == "brouillon" else published,
                    published,
                    published,
                    commune,
                    1 + n % landlords,
                    None,
                )

        self.copy(
            "offres_offer",
            [
                "id",
                "reference",
                "title",
                "description",
                "kind",
                "typology",
                "surface",
                "floor",
                "has_lift",
                "reduced_mobility",
                "rent",
                "charges",
                "financing",
                "energy_class",
                "climate_class",
                "address",
                "available_from",
                "deadline",
                "status",
                "published_at",
                "created_at",
                "updated_at",
                "commune_id",
                "landlord_id",
                "residence_id",
            ],
            rows(),
        )

    def copy_requests(self, count, bench_users):
        rng = self.rng
        password = make_password(BENCH_PASSWORD)
        homes = rng.choices(self.communes, weights=self.weights, k=count)
        users, emails, demandes, wished, departments = [], [], [], [], []
        for n in range(1, count + 1):
            bench = n <= bench_users
            email = f"bench-{n}@alin.example" if bench else f"demandeur-{n}@volume.example"
            users.append(
                (
                    n,
                    password,
                    None,
                    False,
                    email,
                    "mme",
                    f"NOM{n}",
                    "Prénom",
                    "",
                    "demandeur",
                    True,
                    False,
                    self.now,
                    self.now,
                    "2026-11",
                )
            )
            emails.append((n, email, True, True, n))
            size = rng.choices([1, 2, 3, 4, 5, 6], weights=[35, 25, 18, 12, 6, 4])[0]
            income = int(rng.uniform(9000, 32000) * (1 + 0.35 * (size - 1)))
            resources = round(income / 12 * rng.uniform(1.0, 1.3), 2)
            home = homes[n - 1]
            dep = self.department[home]
            choices = self.by_department[dep][:12]
            typologies = {1: [1, 2], 2: [2, 3], 3: [3, 4], 4: [4, 5]}.get(size, [5, 6])
            demandes.append(
                (
                    n,
                    f"{int(dep) if dep.isdigit() else 20:03d}{rng.randrange(1, 13):02d}"
                    f"{rng.randrange(18, 26)}{n:06d}V{n % 10}L01",
                    f"NOM{n}",
                    f"NOM{n}",
                    "Prénom",
                    date(1960 + n % 40, 1 + n % 12, 1 + n % 27),
                    email,
                    None,
                    "[]",
                    size,
                    min(size, 6),
                    0,
                    income,
                    resources,
                    rng.choice([0, 0, 120, 250]),
                    json.dumps(typologies),
                    False,
                    "",
                    rng.random() < 0.1,
                    rng.random() < 0.8,
                    rng.random() < 0.15,
                    self.today - timedelta(days=rng.randrange(30, 2000)),
                    None,
                    "cdi",
                    "",
                    "",
                    1,
                    '["identite"]',
                    self.now if bench or rng.random() < 0.8 else None,
                    self.now,
                    self.now,
                    n,
                    "mme",
                    self.now,
                    "",
                    "",
                )
            )
            if bench or rng.random() < 0.25:
                departments.append((n, dep))
            else:
                for code in rng.sample(choices, k=min(len(choices), rng.randrange(1, 4))):
                    wished.append((n, code))
        self.copy(
            "accounts_user",
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "email",
                "civility",
                "last_name",
                "first_name",
                "mobile_phone",
                "role",
                "is_active",
                "is_staff",
                "date_joined",
                "data_consent_at",
                "data_consent_version",
            ],
            users,
        )
        self.copy(
            "account_emailaddress", ["id", "email", "verified", '"primary"', "user_id"], emails
        )
        self.copy(
            "demandes_demande",
            [
                "id",
                "number",
                "birth_name",
                "usage_name",
                "first_name",
                "birth_date",
                "email",
                "co_applicant",
                "household_members",
                "household_size",
                "household_category",
                "extra_persons",
                "fiscal_income",
                "monthly_resources",
                "housing_allowance",
                "desired_typologies",
                "reduced_mobility",
                "current_housing",
                "legal_priority",
                "company_priority",
                "company_designation",
                "first_filed_on",
                "renewed_on",
                "professional_situation",
                "siret",
                "company_code",
                "data_sharing",
                "documents",
                "documents_confirmed_at",
                "imported_at",
                "refreshed_at",
                "user_id",
                "civility",
                "information_confirmed_at",
                "landline_phone",
                "mobile_phone",
            ],
            demandes,
        )
        self.copy("demandes_demande_desired_communes", ["demande_id", "commune_id"], wished)
        self.copy(
            "demandes_demande_desired_departments", ["demande_id", "department_id"], departments
        )
        self.demandes = {d[0]: d for d in demandes}

    def copy_candidatures(self, count, requests, offers, bench_users):
        rng = self.rng
        active_count = min(count * 2 // 5, requests - bench_users)
        active_applicants = rng.sample(range(bench_users + 1, requests + 1), k=active_count)

        def rows():
            for n in range(1, count + 1):
                if n <= active_count:
                    applicant, status = active_applicants[n - 1], rng.choice(ACTIVE)
                else:
                    applicant, status = rng.randrange(1, requests + 1), rng.choice(PAST)
                demande = self.demandes[applicant]
                applied = self.now - timedelta(hours=rng.randrange(1, 4000))
                yield (
                    n,
                    status,
                    demande[1],
                    demande[18],
                    demande[19],
                    demande[20],
                    demande[21],
                    applied,
                    applied,
                    None,
                    None,
                    None,
                    "",
                    None,
                    applied + timedelta(days=3) if status in FORWARDED else None,
                    applicant,
                    applicant,
                    rng.randrange(1, offers + 1),
                )

        self.copy(
            "candidatures_candidature",
            [
                "id",
                "status",
                "number",
                "legal_priority",
                "company_priority",
                "company_designation",
                "first_filed_on",
                "applied_at",
                "updated_at",
                "visit_at",
                "committee_on",
                "committee_rank",
                "decision_reason",
                "lease_signed_on",
                "forwarded_at",
                "applicant_id",
                "demande_id",
                "offer_id",
            ],
            rows(),
        )
