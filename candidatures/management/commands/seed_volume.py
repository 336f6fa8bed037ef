"""Fill PostgreSQL with national-scale, reproducible data for the benchmark, with COPY.

    python manage.py seed_volume --reset --offers 100000 --requests 300000 --candidatures 500000

Offers and requests are spread over real communes weighted by population; each request
wishes communes of its own department. ``bench-<n>@alin.example`` (password Bench2026!)
are applicants with a valid, confirmed request and no active candidature, for the load
tests. Lives here, in the rightmost app, because it writes every app's tables.

Rows are written with COPY, but their columns come from the models: every concrete
field of a model is written, with the value given here or the field's own default, and
a NOT NULL field that has neither stops the command naming the field. A field added to
a model therefore cannot break the benchmark silently (``tests/candidatures/
test_seed_volume.py`` seeds a tiny volume and renders the pages). Values follow the
project's own rules: requests are registry records read by ``demandes.records`` as the
import reads them, enum values come from the models' choices, a candidature's steps are
the workflow's transitions from "Je postule" to its state (events and notifications),
ranking facts come from ``ranking_facts``, published outcomes from
``outcomes.refresh``.
"""

import itertools
import json
import random
import time
from collections import deque
from datetime import timedelta
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from accounts.models import User
from candidatures import outcomes
from candidatures.models import (
    Candidature,
    CandidatureEvent,
    Notification,
    ranking_facts,
)
from candidatures.services import APPLY
from candidatures.workflow import (
    ACTIVE,
    BEFORE_DECISION,
    FORWARDED_OR_LATER,
    TRANSITIONS,
    Role,
    Status,
    applicant_words,
)
from demandes import records
from demandes.models import (
    AlsNumber,
    CoApplicant,
    DataSharingChange,
    Demande,
    RegistryRecord,
)
from demandes.validity import add_months, valid_until
from offres.eligibility import allowed_typologies
from offres.models import Landlord, Offer, Residence
from territoires.models import Commune, Zone

# The project's apps whose data the command replaces (reference data stays: communes,
# departments, resource ceilings).
PROJECT_APPS = ("core", "accounts", "demandes", "offres", "candidatures", "entreprises", "api")
KEPT = {"territoires", "offres.resourceceiling"}
# Third-party tables that hold users' data.
OTHER_TABLES = ("django_session", "django_admin_log", "account_emailaddress", "mfa_authenticator")
RATE = {Zone.PARIS: 11.5, Zone.IDF: 8.5, Zone.OTHER: 6.5}
OFFER_STATUS_WEIGHTS = {
    Offer.Status.PUBLISHED: 85,
    Offer.Status.CLOSED: 8,
    Offer.Status.ALLOCATED: 5,
    Offer.Status.DRAFT: 2,
}
FINANCING_WEIGHTS = {
    Offer.Financing.PLAI: 20,
    Offer.Financing.PLUS: 60,
    Offer.Financing.PLS: 15,
    Offer.Financing.PLI: 5,
}
Situation = Demande.ProfessionalSituation
SITUATION_WEIGHTS = {
    Situation.CDI: 50,
    Situation.PUBLIC: 12,
    Situation.CDD: 12,
    Situation.SELF_EMPLOYED: 4,
    Situation.JOB_SEEKER: 8,
    Situation.APPRENTICE: 2,
    Situation.STUDENT: 3,
    Situation.RETIRED: 6,
    Situation.OTHER: 3,
}
EMPLOYED = {Situation.CDI, Situation.PUBLIC, Situation.CDD, Situation.APPRENTICE}
SHARED = [c for c in Demande.DataSharing if c != Demande.DataSharing.ANONYMOUS]
HOUSEHOLD_SIZE_WEIGHTS = {1: 35, 2: 25, 3: 18, 4: 12, 5: 6, 6: 4}
# The registry's civilités (demandes.records reads them) and kinds of documents.
CIVILITIES = list(records.CIVILITIES)
DOCUMENTS = sorted(records.DOCUMENT_KINDS)
ENERGY_CLASSES = [
    c for c in Offer.EnergyClass if c not in (Offer.EnergyClass.A, Offer.EnergyClass.G)
]
TYPOLOGY_WEIGHTS = {1: 14, 2: 30, 3: 28, 4: 18, 5: 7, 6: 3}
ACTIVE_WEIGHTS = {Status.SUBMITTED: 3, Status.VALIDATED: 2, Status.FORWARDED: 1, Status.VISIT: 1}
PAST_WEIGHTS = {
    Status.CANCELLED: 4,
    Status.INVALIDATED: 2,
    Status.NOT_SELECTED: 4,
    Status.NOT_ATTRIBUTED: 2,
    Status.INADMISSIBLE: 1,
    Status.DECLINED: 1,
    Status.UNANSWERED: 1,
}
HOUSED_WEIGHTS = {Status.MOVED_IN: 7, Status.ACCEPTED: 3}
REASONS = [
    "Dossier incomplet : avis d'imposition manquant.",
    "Ressources au-dessus du plafond du logement.",
    "Le logement a été attribué à un autre candidat.",
    "Candidat mieux placé retenu par la commission.",
    "Délai de réponse dépassé.",
]
FIRST_NAMES = ["Claire", "Paul", "Inès", "Karim", "Léa", "Hugo", "Fatou", "Nicolas", "Emma"]
LAST_NAMES = ["MARTIN", "BERNARD", "DIALLO", "NGUYEN", "PETIT", "MOREAU", "HADDAD", "GARCIA"]
STREETS = ["rue Victor-Hugo", "avenue Jean-Jaurès", "rue de la Paix", "allée des Tilleuls"]
RESIDENCES = ["Les Tilleuls", "Le Parc", "Les Jardins", "La Source", "Les Cèdres", "Le Moulin"]
# Rows are built and copied this many at a time (memory stays flat at any volume).
CHUNK = 20_000
BENCH_PASSWORD = "Bench2026!"  # noqa: S105 — benchmark accounts on a benchmark database


def weighted(rng, weights):
    """One key of ``weights`` drawn with its weight (cumulative weights computed once)."""
    keys, cumulative = _CUMULATIVE.get(id(weights)) or _cumulative(weights)
    return rng.choices(keys, cum_weights=cumulative)[0]


_CUMULATIVE = {}


def _cumulative(weights):
    keys, total, cumulative = list(weights), 0, []
    for key in keys:
        total += weights[key]
        cumulative.append(total)
    _CUMULATIVE[id(weights)] = (keys, cumulative)
    return keys, cumulative


def with_check_digit(digits):
    """``digits`` followed by their Luhn check digit (SIREN, SIRET)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return digits + str((10 - total % 10) % 10)


def siret(n):
    """A valid SIRET (SIREN and establishment, both Luhn), distinct for each n."""
    siren = with_check_digit(f"{40000000 + n % 50_000_000:08d}")
    return with_check_digit(f"{siren}{n % 10_000:04d}")


def steps_to(target):
    """The workflow's transitions from "Je postule" to ``target`` (the shortest path,
    in the order the table declares them)."""
    paths, queue = {APPLY.target: [APPLY]}, deque([APPLY.target])
    while queue:
        state = queue.popleft()
        for spec in TRANSITIONS.values():
            if state in spec.sources and spec.target not in paths:
                paths[spec.target] = [*paths[state], spec]
                queue.append(spec.target)
    if target not in paths:
        raise CommandError(f"Aucun chemin du workflow vers l'état {target!r}.")
    return paths[target]


class Table:
    """COPY rows of a model: every concrete field, given or defaulted, else an error."""

    def __init__(self, model, given):
        self.model = model
        self.columns, self.plan = [], []
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(given) - set(fields)
        if unknown:
            raise CommandError(f"{model._meta.label} : champs inconnus {sorted(unknown)}.")
        for name, field in fields.items():
            if name in given:
                kind = "given"
            elif field.primary_key and isinstance(field, models.AutoField):
                continue  # the database's sequence numbers the rows
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                kind = "now"
            elif field.has_default():
                kind = "default" if callable(field.default) else "static"
            elif field.null:
                kind = "null"
            elif field.blank and field.empty_strings_allowed:
                kind = "empty"
            else:
                raise CommandError(
                    f"seed_volume ne donne pas de valeur à {model._meta.label}.{name} "
                    "(obligatoire, sans valeur par défaut) : complétez la commande."
                )
            self.columns.append(connection.ops.quote_name(field.column))
            self.plan.append((name, kind, field, self.converter(field)))

    @staticmethod
    def converter(field):
        if isinstance(field, models.JSONField):
            return lambda value: None if value is None else json.dumps(value, cls=field.encoder)
        if isinstance(field, PhoneNumberField):
            # Numbers given in E.164 are what the field stores (parsing each costs).
            return lambda value: (
                value if not value or str(value).startswith("+") else field.get_prep_value(value)
            )
        if type(field).__module__.startswith("django."):
            return None  # psycopg adapts str, int, Decimal, date, datetime, bool
        return field.get_prep_value

    def rows(self, rows, now):
        template, given, converted, called = [], [], [], []
        for index, (name, kind, field, convert) in enumerate(self.plan):
            template.append(
                now
                if kind == "now"
                else field.get_default()
                if kind == "static"
                else ""
                if kind == "empty"
                else None
            )
            if kind == "given":
                given.append((index, name))
            elif kind == "default":
                called.append((index, field.get_default))
            if convert:
                converted.append((index, convert))
        for row in rows:
            values = template.copy()
            for index, name in given:
                values[index] = row[name]
            for index, default in called:
                values[index] = default()
            for index, convert in converted:
                if values[index] is not None:
                    values[index] = convert(values[index])
            yield values


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
            help="Vide d'abord les tables métier (base de mesure uniquement).",
        )

    def handle(self, *args, **o):
        if connection.vendor != "postgresql":
            raise CommandError("seed_volume écrit avec COPY : PostgreSQL uniquement.")
        if not Commune.objects.filter(population__gt=0).exists():
            raise CommandError("Chargez d'abord les communes (manage.py load_communes).")
        if not o["reset"]:
            raise CommandError("Ajoutez --reset : la commande vide les tables métier.")
        if o["bench_users"] > o["requests"]:
            raise CommandError("--bench-users ne peut dépasser --requests.")
        started = time.monotonic()
        self.rng = random.Random(o["seed"])
        # Dates relative to today: the portal compares deadlines and validity with it.
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self.copied = set()
        self.truncate()
        self.load_places()
        self.copy_landlords(o["landlords"])
        self.copy_offers(o["offers"], o["landlords"])
        self.copy_requests(o["requests"], o["bench_users"])
        self.copy_candidatures(o["candidatures"], o["requests"], o["bench_users"])
        self.finish()
        published = outcomes.refresh(now=self.now)
        self.stdout.write(
            f"{o['offers']} offres, {o['requests']} demandes, {o['candidatures']} candidatures, "
            f"{published} résultats d'attribution en {time.monotonic() - started:.0f} s."
        )

    # Tables --------------------------------------------------------------------------

    def truncate(self):
        tables = [
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_label in PROJECT_APPS
            and m._meta.app_label not in KEPT
            and m._meta.label_lower not in KEPT
            and not m._meta.proxy
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE "
                + ", ".join(map(connection.ops.quote_name, [*tables, *OTHER_TABLES]))
                + " RESTART IDENTITY CASCADE"
            )

    def copy(self, model, rows):
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        table = Table(model, set(first))
        name = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {name} ({', '.join(table.columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for values in table.rows(_chain(first, rows), self.now):
                copy.write_row(values)
        if model._meta.pk.attname in first:
            self.copied.add(model)

    def finish(self):
        with connection.cursor() as cursor:
            for model in self.copied:
                table, pk = model._meta.db_table, model._meta.pk.column
                if not isinstance(model._meta.pk, models.AutoField):
                    continue
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX({pk}), 1) FROM {table}))"
                )
            # Set the visibility map too, as autovacuum would (index-only scans need it);
            # VACUUM cannot run in a transaction (tests): ANALYZE only there.
            if not connection.in_atomic_block:
                cursor.execute("VACUUM ANALYZE offres_offer")
            cursor.execute("ANALYZE")

    # Places and landlords ------------------------------------------------------------

    def load_places(self):
        rows = list(
            Commune.objects.filter(is_district=False, population__gt=5000)
            .exclude(insee_code__in=["75056", "69123", "13055"])
            .values_list("insee_code", "department_id", "zone", "population", "name")
        )
        rows += list(
            Commune.objects.filter(is_district=True).values_list(
                "insee_code", "department_id", "zone", "population", "name"
            )
        )
        if not rows:
            raise CommandError("Aucune commune de plus de 5 000 habitants.")
        self.communes = [r[0] for r in rows]
        self.weights = [r[3] for r in rows]
        self.cumulative = list(itertools.accumulate(self.weights))
        self.zone = {r[0]: r[2] for r in rows}
        self.department = {r[0]: r[1] for r in rows}
        self.commune_name = {r[0]: r[4] for r in rows}
        self.by_department = {}
        for code, dep, *_ in sorted(rows, key=lambda r: -r[3]):
            self.by_department.setdefault(dep, []).append(code)

    def copy_landlords(self, count):
        words = ["Habitat", "Logement", "Foyer", "Cité", "Toit"]
        self.copy(
            Landlord,
            (
                {
                    "id": n,
                    "name": f"{words[n % len(words)]} social {n}",
                    "siren": with_check_digit(f"{30000000 + n:08d}"),
                    "contact_email": f"contact{n}@bailleur{n}.example",
                    "contact_phone": f"01 {40 + n % 60:02d} 00 {n % 100:02d} 00",
                }
                for n in range(1, count + 1)
            ),
        )

    def copy_offers(self, count, landlords):
        rng = self.rng
        communes = rng.choices(self.communes, cum_weights=self.cumulative, k=count)
        residences, new_residences, offers = {}, [], []
        # Per offer: (status, published_at, deadline), read by the candidatures.
        self.offers = [None]
        for n in range(1, count + 1):
            commune = communes[n - 1]
            landlord = 1 + n % landlords
            typology = weighted(rng, TYPOLOGY_WEIGHTS)
            surface = 18 + (typology - 1) * rng.randrange(11, 16) + rng.randrange(0, 10)
            status = weighted(rng, OFFER_STATUS_WEIGHTS)
            deadline = self.today + timedelta(days=rng.randrange(1, 75))
            if status != Offer.Status.PUBLISHED:
                deadline = self.today - timedelta(days=rng.randrange(1, 60))
            published = self.now - timedelta(hours=rng.randrange(1, 2000))
            residence = None
            if rng.random() < 0.6:  # most social housing is in named residences
                key = (landlord, commune, rng.randrange(3))
                if key not in residences:
                    residences[key] = {
                        "id": len(residences) + 1,
                        "landlord_id": landlord,
                        "name": f"Résidence {rng.choice(RESIDENCES)}",
                        "address": f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
                        "commune_id": commune,
                    }
                    new_residences.append(residences[key])
                residence = residences[key]
            kind = Offer.Kind.APARTMENT if rng.random() > 0.1 else Offer.Kind.HOUSE
            draft = status == Offer.Status.DRAFT
            offers.append(
                {
                    "id": n,
                    "landlord_id": landlord,
                    "residence_id": residence["id"] if residence else None,
                    "reference": f"VOL-{n}",
                    "title": f"{kind.label} {Offer.Typology(typology).label} de {surface} m² "
                    f"à {self.commune_name[commune]}",
                    "description": "Logement social, proche des transports et des écoles.",
                    "kind": kind,
                    "typology": typology,
                    "surface": surface,
                    "floor": rng.randrange(0, 12),
                    "has_lift": rng.random() < 0.6,
                    "reduced_mobility": rng.random() < 0.12,
                    "rent": round(surface * RATE[self.zone[commune]] * rng.uniform(0.8, 1.15), 2),
                    "charges": rng.randrange(30, 160),
                    "financing": weighted(rng, FINANCING_WEIGHTS),
                    "energy_class": rng.choice(ENERGY_CLASSES),
                    "climate_class": rng.choice(ENERGY_CLASSES),
                    "address": residence["address"]
                    if residence
                    else f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
                    "commune_id": commune,
                    "available_from": deadline + timedelta(days=rng.randrange(5, 60)),
                    "deadline": deadline,
                    "status": status,
                    "published_at": None if draft else published,
                    # The saved searches were matched when it was published.
                    "alerts_matched_at": None if draft else published,
                    "created_at": published - timedelta(days=2),
                    "updated_at": published,
                }
            )
            self.offers.append((status, published, deadline))
            if len(offers) == CHUNK or n == count:
                self.copy(Residence, new_residences)
                self.copy(Offer, offers)
                new_residences, offers = [], []

    # Requests ------------------------------------------------------------------------

    def registry_record(self, n, bench):
        """The registry's record of request ``n`` (the export's format, docs/demandes.md)."""
        rng = self.rng
        home = rng.choices(self.communes, cum_weights=self.cumulative)[0]
        dep = self.department[home]
        size = weighted(rng, HOUSEHOLD_SIZE_WEIGHTS)
        couple = size >= 2 and rng.random() < 0.6
        age = rng.randrange(20, 68)
        situation = Situation.CDI if bench else weighted(rng, SITUATION_WEIGHTS)
        employed = situation in EMPLOYED

        def person(index, age_years, **extra):
            born = self.today - timedelta(days=365 * age_years + rng.randrange(0, 365))
            return {
                "civilite": CIVILITIES[index % 2],
                "nom_naissance": LAST_NAMES[(n + index) % len(LAST_NAMES)] + str(n),
                "nom_usage": "",
                "prenom": FIRST_NAMES[(n + 3 * index) % len(FIRST_NAMES)],
                "date_naissance": born.isoformat(),
                "handicap": rng.random() < 0.03,
                **extra,
            }

        applicant = person(n, age, telephone_portable=f"+336{n % 100_000_000:08d}")
        co = None
        if couple:
            co = person(
                n + 1,
                max(18, age + rng.randrange(-5, 6)),
                lien="conjoint",
                email=f"codemandeur-{n}@volume.example",
                situation_professionnelle=Situation.CDI,
                siret_employeur=siret(n + 7_000_000),
                entreprise_10_salaries_et_plus=rng.random() < 0.5,
            )
        dependants = [
            {
                "nom_naissance": applicant["nom_naissance"],
                "prenom": FIRST_NAMES[(n + i) % len(FIRST_NAMES)],
                "date_naissance": (
                    self.today - timedelta(days=rng.randrange(30, 365 * 19))
                ).isoformat(),
                "lien": "enfant",
                "handicap": rng.random() < 0.02,
            }
            for i in range(size - (2 if couple else 1))
        ]
        income = int(rng.uniform(9000, 32000) * (1 + 0.35 * (size - 1)))
        # Filed long ago, renewed each year on the anniversary (the last one within the
        # year): valid; a few were not renewed last year (expired), never the bench's.
        filed = self.today - timedelta(days=rng.randrange(30, 3000))
        years = (self.today - filed).days // 366
        if bench:  # valid for more than a month still
            filed = self.today - timedelta(days=366 * years + rng.randrange(30, 300))
        elif years and rng.random() < 0.03:
            years -= 1
        renewed = add_months(filed, 12 * years) if years else None
        wished_communes, wished_departments = [], []
        # A quarter of the requests wish a whole department, the others a few of its
        # largest communes; the bench applicants: odd ones a department (offers to apply
        # to at any volume), even ones its three largest communes (« Élargir mes
        # souhaits » has communes around them to suggest).
        if (bench and n % 2) or (not bench and rng.random() < 0.25):
            wished_departments = [dep]
        else:
            choices = self.by_department[dep][:12]
            k = 3 if bench else rng.randrange(1, 4)
            wished_communes = choices[:k] if bench else rng.sample(choices, k=min(len(choices), k))
        return {
            "numero": f"{int(dep) if dep.isdigit() else 20:03d}{rng.randrange(1, 13):02d}"
            f"{rng.randrange(18, 26)}{n:06d}V{n % 10}L01",
            "email": f"bench-{n}@alin.example" if bench else f"demandeur-{n}@volume.example",
            "demandeur": applicant,
            "codemandeur": co,
            "personnes_a_charge": dependants,
            "revenu_fiscal_reference": income,
            "ressources_mensuelles": round(income / 12 * rng.uniform(1.0, 1.3), 2),
            "aide_logement": rng.choice([0, 0, 120, 250]),
            "situation_professionnelle": situation,
            "siret_employeur": siret(n) if employed else "",
            "entreprise_10_salaries_et_plus": employed and rng.random() < 0.8,
            "designation_entreprise": employed and rng.random() < 0.15,
            "communes_souhaitees": wished_communes,
            "departements_souhaites": wished_departments,
            "typologies_souhaitees": [f"T{t}" for t in allowed_typologies(size)],
            "logement_actuel": rng.choice(
                ["Locataire du parc privé", "Hébergé chez des tiers", "Chez ses parents"]
            ),
            "mobilite_reduite": rng.random() < 0.05,
            "public_prioritaire": rng.random() < 0.1,
            "date_depot": filed.isoformat(),
            "date_renouvellement": renewed.isoformat() if renewed else None,
            "pieces_deposees": DOCUMENTS[: rng.randrange(2, len(DOCUMENTS))],
        }

    def copy_requests(self, count, bench_users):
        password = make_password(BENCH_PASSWORD)
        self.facts = [None]
        for start in range(1, count + 1, CHUNK):
            self.copy_requests_chunk(
                range(start, min(start + CHUNK, count + 1)), bench_users, password
            )

    def copy_requests_chunk(self, numbers, bench_users, password):
        rng = self.rng
        users, emails, registry, demandes, coapplicants = [], [], [], [], []
        als, sharing, wished, departments = [], [], [], []
        for n in numbers:
            bench = n <= bench_users
            raw = self.registry_record(n, bench)
            view = records.RecordView(raw)
            fields = view.demande_fields(self.today)
            joined = self.now - timedelta(days=rng.randrange(1, 900))
            users.append(
                {
                    "id": n,
                    "password": password,
                    "last_login": joined,
                    "is_superuser": False,
                    "email": raw["email"],
                    "civility": fields["civility"],
                    "last_name": fields["birth_name"],
                    "first_name": fields["first_name"],
                    "mobile_phone": fields["mobile_phone"],
                    "role": User.Role.APPLICANT,
                    "is_active": True,
                    "is_staff": False,
                    "date_joined": joined,
                    "data_consent_at": joined,
                    "data_consent_version": settings.PRIVACY_NOTICE_VERSION,
                }
            )
            emails.append({"email": raw["email"], "verified": True, "primary": True, "user_id": n})
            registry.append(
                {
                    "number": fields["number"],
                    "email": raw["email"],
                    "birth_name": fields["birth_name"],
                    "first_name": fields["first_name"],
                    "birth_date": fields["birth_date"],
                    "data": raw,
                    "updated_at": joined,
                }
            )
            confirmed = joined if bench or rng.random() < 0.8 else None
            sharing_choice = Demande.DataSharing.ANONYMOUS
            if fields["siret"] and rng.random() < 0.4:
                sharing_choice = rng.choice(SHARED)
            demande = {
                **fields,
                "id": n,
                "user_id": n,
                "data_sharing": sharing_choice,
                "company_code": "",
                "documents_confirmed_at": confirmed,
                "information_confirmed_at": confirmed,
                "code_validated_at": joined,
                "imported_at": joined,
                "refreshed_at": joined,
            }
            demandes.append(demande)
            co = view.coapplicant_fields()
            if co:
                coapplicants.append({**co, "demande_id": n})
            als.append({"id": n, "user_id": n, "number": f"{n:010d}", "assigned_at": joined})
            sharing.append(
                {
                    "demande_id": n,
                    "choice": Demande.DataSharing.ANONYMOUS,
                    "by_default": True,
                    "changed_at": joined,
                }
            )
            if sharing_choice != Demande.DataSharing.ANONYMOUS:
                sharing.append(
                    {
                        "demande_id": n,
                        "choice": sharing_choice,
                        "by_default": False,
                        "changed_at": joined + timedelta(days=1),
                    }
                )
            wished += [{"demande_id": n, "commune_id": c} for c in view.commune_codes()]
            departments += [{"demande_id": n, "department_id": d} for d in view.department_codes()]
            # What the candidatures read: the ranking facts as ``services.apply`` records
            # them, the number, and whether the request may still apply.
            self.facts.append(
                (
                    fields["number"],
                    ranking_facts(SimpleNamespace(DataSharing=Demande.DataSharing, **demande)),
                    valid_until(fields["first_filed_on"], fields["renewed_on"]) >= self.today
                    and confirmed is not None,
                )
            )
        self.copy(User, users)
        self.copy(apps.get_model("account", "EmailAddress"), emails)
        self.copy(RegistryRecord, registry)
        self.copy(Demande, demandes)
        self.copy(CoApplicant, coapplicants)
        self.copy(AlsNumber, als)
        self.copy(DataSharingChange, sharing)
        self.copy(Demande.desired_communes.through, wished)
        self.copy(Demande.desired_departments.through, departments)

    # Candidatures --------------------------------------------------------------------

    def copy_candidatures(self, count, requests, bench_users):
        rng = self.rng
        offers = self.offers
        published = [i for i in range(1, len(offers)) if offers[i][0] == Offer.Status.PUBLISHED]
        decided = [
            i
            for i in range(1, len(offers))
            if offers[i][0] in (Offer.Status.CLOSED, Offer.Status.PUBLISHED)
        ]
        allocated = [i for i in range(1, len(offers)) if offers[i][0] == Offer.Status.ALLOCATED]
        not_draft = [i for i in range(1, len(offers)) if offers[i][0] != Offer.Status.DRAFT]
        if not not_draft:
            raise CommandError("Aucune offre publiée : augmentez --offers.")
        # Applicants with one active or housed candidature: never the bench's, whose
        # slot the load tests use; requests that can apply only.
        pool = [n for n in range(bench_users + 1, requests + 1) if self.facts[n][2]]
        rng.shuffle(pool)
        winners = min(len(allocated), count // 20, len(pool) // 3)
        active = min(count * 2 // 5, len(pool) - winners)
        plan = [(pool[i], weighted(rng, ACTIVE_WEIGHTS)) for i in range(active)]
        plan += [(pool[active + i], weighted(rng, HOUSED_WEIGHTS)) for i in range(winners)]
        plan += [
            (rng.randrange(1, requests + 1), weighted(rng, PAST_WEIGHTS))
            for _ in range(count - len(plan))
        ]
        paths = {status: steps_to(status) for status in Status.values}
        candidatures, events, notifications = [], [], []
        for n, (applicant, status) in enumerate(plan, 1):
            if active < n <= active + winners:
                offer = allocated[n - active - 1]
            elif status in BEFORE_DECISION[:2] and published:
                offer = rng.choice(published)
            elif status in BEFORE_DECISION:
                offer = rng.choice(decided or not_draft)
            else:
                offer = rng.choice(not_draft)
            self.candidature(
                n, applicant, offer, paths[status], candidatures, events, notifications
            )
            if len(candidatures) == CHUNK or n == len(plan):
                self.copy(Candidature, candidatures)
                self.copy(CandidatureEvent, events)
                self.copy(Notification, notifications)
                candidatures, events, notifications = [], [], []

    def candidature(self, n, applicant, offer, steps, candidatures, events, notifications):
        """Candidature ``n`` in the state the workflow's ``steps`` lead to, with an event
        and a notification per step, as ``services.transition`` records them."""
        rng = self.rng
        status = steps[-1].target
        _, offer_published, _ = self.offers[offer]
        # Applied after the publication; each later step between then and now.
        span = (self.now - offer_published).total_seconds()
        applied = offer_published + timedelta(seconds=span * rng.uniform(0.05, 0.4))
        gap = (self.now - applied) / (len(steps) + 1)
        number, facts, _ = self.facts[applicant]
        row = {
            "id": n,
            "applicant_id": applicant,
            "demande_id": applicant,
            "offer_id": offer,
            "status": status,
            "number": number,
            **facts,
            "applied_at": applied,
            "updated_at": applied + gap * (len(steps) - 1),
            "visit_at": None,
            "committee_on": None,
            "committee_decision": "",
            "decision_reason": "",
            "lease_signed_on": None,
            "forwarded_at": None,
        }
        previous = ""
        for index, spec in enumerate(steps):
            at = applied + gap * index
            reason = rng.choice(REASONS) if spec.needs_reason else ""
            if spec.target in FORWARDED_OR_LATER and row["forwarded_at"] is None:
                row["forwarded_at"] = at
            if "visit_at" in spec.records:
                # A visit to come for a candidature waiting for it, else one that took place.
                row["visit_at"] = at + (timedelta(days=7) if status == spec.target else gap / 2)
            if "committee_on" in spec.records:
                row["committee_on"] = at.date()
            if spec.decision:
                row["committee_decision"] = spec.decision
            if "lease_signed_on" in spec.records:
                row["lease_signed_on"] = at.date()
            if reason:
                row["decision_reason"] = reason
            events.append(
                {
                    "candidature_id": n,
                    "transition": spec.name,
                    "from_status": previous,
                    "to_status": spec.target,
                    "actor_id": applicant if spec.role == Role.APPLICANT else None,
                    "role": spec.role,
                    "reason": reason,
                    "created_at": at,
                }
            )
            last = index == len(steps) - 1
            notifications.append(
                {
                    "user_id": applicant,
                    "candidature_id": n,
                    "message": applicant_words(spec.name, spec.target),
                    "created_at": at,
                    # The latest news of a candidature in progress is unread.
                    "read_at": None if last and status in ACTIVE else at + gap / 2,
                }
            )
            previous = spec.target
        candidatures.append(row)


def _chain(first, rest):
    yield first
    yield from rest
