"""« Résultats des attributions »: what happened to the offers allocated in the last 12
months, published so that applicants can judge their chances — anonymised.

Each allocated offer becomes one ``AllocationOutcome`` row, recomputed by a daily task
(the page reads only these rows). The winning candidature is described by a *band* of
its ranking facts: legal priority yes/no, company designation yes/no, seniority of the
request in years. A band is published only when at least ``MIN_GROUP`` outcomes share
it; otherwise it is merged into a coarser one.

Merging is top-down: all outcomes form one group; a group is split by the next
criterion (priority, then designation, then seniority range, then exact years) only if
*every* part has at least ``MIN_GROUP`` outcomes. Splitting all-or-nothing matters:
publishing fine bands for some parts and a coarse one for the rest would let a reader
subtract and recover the small part.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone

from offres.models import Offer

from .models import AllocationOutcome, Candidature, CandidatureEvent
from .workflow import Status

MIN_GROUP = 5
WINDOW_DAYS = 365
SENIORITY_RANGES = [(0, 0, "moins d'un an"), (1, 2, "1 à 2 ans"), (3, 5, "3 à 5 ans")]
LAST_RANGE = "6 ans et plus"


def seniority_range(years):
    for low, high, words in SENIORITY_RANGES:
        if low <= years <= high:
            return words
    return LAST_RANGE


def _yes_no(value):
    return "oui" if value else "non"


@dataclass(frozen=True)
class Level:
    """One step of the merging: how it splits a group, and how it words a band."""

    key: object  # outcome → the part it belongs to at this level
    words: object  # outcome → the band's words added at this level


# Coarse to fine; a band's words are those of every level its group was split by.
LEVELS = [
    Level(lambda o: o.legal_priority, lambda o: f"prioritaire : {_yes_no(o.legal_priority)}"),
    Level(
        lambda o: o.company_designation,
        lambda o: f"désigné par son entreprise : {_yes_no(o.company_designation)}",
    ),
    Level(
        lambda o: seniority_range(o.seniority_years),
        lambda o: f"ancienneté de la demande : {seniority_range(o.seniority_years)}",
    ),
    Level(
        lambda o: o.seniority_years,
        lambda o: (
            f"ancienneté exacte : {o.seniority_years} an{'s' if o.seniority_years > 1 else ''}"
        ),
    ),
]
UNPUBLISHED = "Non publié (moins de 5 attributions comparables)"
ALL_MERGED = "Toutes situations confondues"


def assign_bands(outcomes):
    """Set ``band`` on each outcome (unsaved objects), merging small groups."""
    if len(outcomes) < MIN_GROUP:
        for outcome in outcomes:
            outcome.band = UNPUBLISHED
        return outcomes
    _split(outcomes, depth=0, words=[])
    return outcomes


def _split(group, *, depth, words):
    if depth < len(LEVELS):
        level = LEVELS[depth]
        parts = {}
        for outcome in group:
            parts.setdefault(level.key(outcome), []).append(outcome)
        if all(len(part) >= MIN_GROUP for part in parts.values()):
            for part in parts.values():
                _split(part, depth=depth + 1, words=[*words, level.words(part[0])])
            return
    band = " ; ".join(words) if words else ALL_MERGED
    band = band[:1].upper() + band[1:]
    for outcome in group:
        outcome.band = band


def _years_between(earlier, later):
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


@transaction.atomic
def refresh(now=None):
    """Recompute the published outcomes of the last 12 months (daily task). Returns how
    many offers are published."""
    now = now or timezone.now()
    accepted_at = (
        CandidatureEvent.objects.filter(candidature=OuterRef("pk"), to_status=Status.ACCEPTED)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    winners = (
        Candidature.objects.filter(
            status__in=(Status.ACCEPTED, Status.MOVED_IN),
            offer__status=Offer.Status.ALLOCATED,
        )
        .annotate(accepted_at=Subquery(accepted_at))
        .filter(accepted_at__gte=now - timedelta(days=WINDOW_DAYS))
        .annotate(
            applications=Count("offer__candidatures", distinct=True),
            published_at=F("offer__published_at"),
        )
        .select_related("offer", "offer__commune")
    )
    outcomes = []
    for winner in winners:
        offer = winner.offer
        published = winner.published_at or winner.accepted_at
        outcomes.append(
            AllocationOutcome(
                offer=offer,
                commune=offer.commune,
                department_id=offer.commune.department_id,
                typology=offer.typology,
                total_rent=offer.rent + offer.charges,
                applications=winner.applications,
                legal_priority=winner.legal_priority,
                company_designation=winner.company_designation,
                seniority_years=max(
                    0, _years_between(winner.first_filed_on, winner.accepted_at.date())
                ),
                days_to_allocation=max(0, (winner.accepted_at - published).days),
                allocated_in=winner.accepted_at.date().replace(day=1),
            )
        )
    assign_bands(outcomes)
    AllocationOutcome.objects.all().delete()
    AllocationOutcome.objects.bulk_create(outcomes)
    return len(outcomes)


def published(*, department=None, typology=None):
    """The rows of the public page, newest first, with their filters applied."""
    rows = AllocationOutcome.objects.select_related("commune").order_by(
        "-allocated_in", "commune__name", "pk"
    )
    if department:
        rows = rows.filter(department_id=department)
    if typology:
        rows = rows.filter(typology=typology)
    return rows


def band_summary(rows):
    """How many published outcomes fall in each band (for the page's summary table)."""
    return list(
        rows.order_by().values("band").annotate(count=Count("pk")).order_by("-count", "band")
    )
