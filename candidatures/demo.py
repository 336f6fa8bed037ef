"""Demo candidatures covering the whole pipeline, on offers of the demo landlord in
Seine-Saint-Denis (built on the demo data of accounts, demandes and offres).

- offer A: one candidature at each early stage (deposited, validated, forwarded, visit
  scheduled) plus an invalidated and a cancelled one; the applicant with the visit
  also has an older, cancelled candidature in their history;
- offer B: the CALEOL decided: attributed with rank 1, with rank 2 (waiting for rank
  1's answer), not attributed;
- offer C: attributed, accepted, lease signed (the offer is allocated);
- twelve offers allocated over the past year, each to one of twelve applicants with
  different ranking facts against two competitors, so that « Résultats des attributions »
  has published bands (the dates are moved back once the pipeline has been played).

Every step goes through ``services`` with its real actor, so the events, notifications
and history are those the pipeline writes. Idempotent: nothing is added twice.
"""

from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, _user
from accounts.models import User
from core.models import OutgoingEmail
from demandes.models import Demande
from offres.freshness import bump_offers_version
from offres.models import Landlord, Offer
from territoires.models import Department

from . import outcomes, services
from .backoffice import InvalidationReason, invalidation_text
from .models import Candidature, CandidatureEvent
from .workflow import Role, Status

NUMBER_PREFIX = "0930124"
LANDLORD_SIREN = "552081317"

# (offer, steps) for each demo applicant, in the order they are played.
STORIES = [
    [("B", ["cancel"]), ("A", ["validate", "forward", "schedule_visit"])],
    [("A", ["validate", "forward"])],
    [("A", ["validate"])],
    [("A", [])],
    [("A", ["invalidate"])],
    [("A", ["cancel"])],
    [("B", ["validate", "forward", "schedule_visit:past", "attribute:1"])],
    [("B", ["validate", "forward", "attribute:2"])],
    [("B", ["validate", "forward", "refuse"])],
    [("C", ["validate", "forward", "schedule_visit:past", "attribute:1", "accept", "sign_lease"])],
]

REASONS = {
    # A coded reason, as the admin's "Invalider" records it (counted in the workload).
    "invalidate": invalidation_text(
        InvalidationReason.DOCUMENTS, "Avis d'imposition N-2 manquant."
    ),
    "cancel": "J'ai trouvé une offre qui me convient mieux.",
    "refuse": "Taux d'effort trop élevé pour ce logement.",
}


# Hours between each demo applicant's deposit and the first step an advisor takes (the
# workload's median time to validation; the one left waiting is late in the queue).
DEPOSITED_HOURS_BEFORE = [30, 5, 52, 75, 20, 8, 70, 26, 4, 44]


def _deposited_earlier(candidature, hours, *, whole_story=False):
    """Move the deposit ``hours`` back (and every step with it for an earlier, ended
    candidature of the same applicant, so that their history reads in order)."""
    shift = timedelta(hours=hours)
    Candidature.objects.filter(pk=candidature.pk).update(applied_at=F("applied_at") - shift)
    events = candidature.events.all()
    if not whole_story:
        events = events.filter(to_status=Status.SUBMITTED)
    events.update(created_at=F("created_at") - shift)


def _applicant(login, first_name, civility):
    return _user(
        f"{login}@alin.example",
        role=User.Role.APPLICANT,
        first_name=first_name,
        last_name="EXEMPLE",
        civility=civility,
    )


def _number(n):
    return f"{NUMBER_PREFIX}{900000 + n:06d}D{n % 10}X{n:02d}"


def _demande(user, n, **facts):
    demande, created = Demande.objects.get_or_create(
        user=user,
        defaults={
            "number": _number(n),
            "birth_name": user.last_name,
            "first_name": user.first_name,
            "birth_date": date(1970 + n, 3, 1),
            "email": user.email,
            "household_size": 1,
            "household_category": 1,
            "fiscal_income": 19000 + 500 * n,
            "monthly_resources": 2600,
            "first_filed_on": date(2022, 1 + n % 12, 1),
            # Renewed on the national site last month: valid (demandes/validity.py).
            "renewed_on": timezone.localdate() - timedelta(days=30),
            "company_priority": n % 2 == 0,
            "company_designation": n == 4,
            "legal_priority": n == 3,
            "professional_situation": "cdi",
            "information_confirmed_at": timezone.now(),
            "documents_confirmed_at": timezone.now(),
            "documents": ["identite", "avis_imposition_n2", "bulletins_salaire"],
            **facts,
        },
    )
    if created:
        demande.desired_departments.set(Department.objects.filter(code="93"))
    return demande


def _play(candidature, step, *, advisor, staff):
    name, _, option = step.partition(":")
    today = timezone.localdate()
    if name == "forward":
        services.forward_best(offer=candidature.offer, actor=advisor, candidatures=[candidature])
        return
    role, actor, facts = Role.ADVISOR, advisor, {}
    if name in ("cancel", "accept"):
        role, actor = Role.APPLICANT, candidature.applicant
    elif name in ("schedule_visit", "attribute", "refuse", "sign_lease"):
        role, actor = Role.LANDLORD, staff
    if name == "schedule_visit":
        # A visit to come, or one that took place before the committee met.
        days = -3 if option == "past" else 3
        facts = {
            "visit_at": timezone.now().replace(minute=0, second=0, microsecond=0)
            + timedelta(days=days)
        }
    elif name in ("attribute", "refuse"):
        facts = {"committee_on": today}
        if option:
            facts["committee_rank"] = int(option)
    elif name == "sign_lease":
        facts = {"lease_signed_on": today}
    services.transition(
        candidature, name, actor=actor, role=role, reason=REASONS.get(name, ""), **facts
    )


def load(stdout):
    landlord = Landlord.objects.filter(siren=LANDLORD_SIREN).first()
    # The demo advisors share the work (the team's workload shows each of them).
    advisors = list(
        User.objects.filter(is_staff=True, is_active=True, role=User.Role.ADVISOR).order_by("pk")
    )
    if landlord is None or not advisors or not landlord.members.exists():
        return []
    logins = [
        ("Candidat (visite, historique)", "demo.candidat1@alin.example", DEMO_PASSWORD),
        ("Candidat (attribué, rang 1)", "demo.candidat7@alin.example", DEMO_PASSWORD),
        ("Candidat (entré dans les lieux)", "demo.candidat10@alin.example", DEMO_PASSWORD),
    ]
    if Candidature.objects.filter(number__startswith=NUMBER_PREFIX).exists():
        return logins
    staff = landlord.members.order_by("pk").first().user
    applicants = [
        _applicant(f"demo.candidat{n}", f"Camille{n}", User.Civility.MADAME)
        for n in range(1, len(STORIES) + 1)
    ]
    demandes = [_demande(user, n) for n, user in enumerate(applicants, 1)]
    # Offers every demo applicant may apply to (the richest one is the most limited).
    strictest = max(demandes, key=lambda d: d.fiscal_income)
    offers = list(
        Offer.objects.open_to(strictest).filter(landlord=landlord).order_by("-deadline", "pk")[:3]
    )
    if len(offers) < 3:
        return []
    by_letter = dict(zip("ABC", offers, strict=True))
    first_email = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for n, (user, demande, story) in enumerate(zip(applicants, demandes, STORIES, strict=True)):
        for i, (letter, steps) in enumerate(story):
            candidature = services.apply(user=user, offer=by_letter[letter], demande=demande)
            earlier = i < len(story) - 1
            if not earlier:
                _deposited_earlier(candidature, DEPOSITED_HOURS_BEFORE[n])
            for step in steps:
                _play(candidature, step, advisor=advisors[n % len(advisors)], staff=staff)
            if earlier:
                _deposited_earlier(candidature, DEPOSITED_HOURS_BEFORE[n] + 48, whole_story=True)
    _past_allocations(advisors[0], exclude=offers)
    # Demo data, not news: the demo applicants' emails are not sent.
    OutgoingEmail.objects.filter(pk__gt=first_email).delete()
    published = outcomes.refresh()
    stdout.write(
        f"{Candidature.objects.filter(number__startswith=NUMBER_PREFIX).count()} candidatures "
        f"de démonstration sur les offres n° {', '.join(str(o.pk) for o in offers)} de "
        f"{landlord.name} ; {published} attribution(s) publiée(s) dans « Résultats des "
        "attributions »."
    )
    return logins


PAST_ALLOCATIONS = 12
# Days from publication to allocation, and how long ago it was allocated, per offer.
PAST_DELAYS = [(21 + 9 * (n % 5), 20 + 28 * n) for n in range(PAST_ALLOCATIONS)]


def _past_allocations(advisor, *, exclude):
    """Twelve offers allocated over the past year, each against two competitors."""
    today = timezone.localdate()
    winners = []
    for n in range(PAST_ALLOCATIONS):
        user = _applicant(f"demo.attribue{n + 1}", f"Dominique{n + 1}", User.Civility.MONSIEUR)
        # Half with a legal priority; filed between one and seven years ago.
        filed = today.replace(year=today.year - 1 - n % 7, day=1)
        winners.append(
            _demande(
                user,
                20 + n,
                legal_priority=n % 2 == 0,
                company_designation=False,
                company_priority=False,
                first_filed_on=filed,
                fiscal_income=18000 + 300 * n,
            )
        )
    # Wishes across the demo landlords' departments, where their offers are.
    everywhere = Department.objects.filter(
        code__in=Offer.objects.published().values("commune__department_id")
    )
    competitors = [
        _demande(
            _applicant(f"demo.concurrent{n}", f"Alix{n}", User.Civility.MADAME),
            40 + n,
            fiscal_income=20000,
            first_filed_on=today.replace(year=today.year - 1, day=1),
        )
        for n in (1, 2)
    ]
    for demande in [*winners, *competitors]:
        demande.desired_departments.set(everywhere)
    used = {offer.pk for offer in exclude}
    for winner, (days, ago) in zip(winners, PAST_DELAYS, strict=True):
        offer = (
            Offer.objects.open_to(winner)
            .filter(landlord__members__isnull=False)
            .exclude(pk__in=used)
            .order_by("pk")
            .first()
        )
        if offer is None:
            return
        used.add(offer.pk)
        staff = offer.landlord.members.order_by("pk").first().user
        rivals = [d for d in competitors if Offer.objects.open_to(d).filter(pk=offer.pk).exists()]
        mine = services.apply(user=winner.user, offer=offer, demande=winner)
        others = [services.apply(user=d.user, offer=offer, demande=d) for d in rivals]
        for candidature in [mine, *others]:
            _play(candidature, "validate", advisor=advisor, staff=staff)
        services.forward_best(offer=offer, actor=advisor, candidatures=[mine, *others])
        _play(mine, "attribute:1", advisor=advisor, staff=staff)
        for candidature in others:
            _play(candidature, "refuse", advisor=advisor, staff=staff)
        _play(mine, "accept", advisor=advisor, staff=staff)
        _play(mine, "sign_lease", advisor=advisor, staff=staff)
        # Played today, dated in the past: the pipeline's events move back together.
        allocated = timezone.now() - timedelta(days=ago)
        published = allocated - timedelta(days=days)
        Offer.objects.filter(pk=offer.pk).update(published_at=published)
        shift = timezone.now() - allocated
        played = [mine.pk, *(c.pk for c in others)]
        CandidatureEvent.objects.filter(candidature__in=played).update(
            created_at=F("created_at") - shift
        )
        Candidature.objects.filter(pk__in=played).update(
            applied_at=published + timedelta(days=2),
            forwarded_at=published + timedelta(days=5),
            committee_on=(allocated - timedelta(days=4)).date(),
        )
        Candidature.objects.filter(pk=mine.pk).update(
            answer_by=(allocated + timedelta(days=6)).date(),
            lease_signed_on=(allocated + timedelta(days=20)).date(),
        )
    bump_offers_version()  # the dates above moved with update(), which sends no signal
