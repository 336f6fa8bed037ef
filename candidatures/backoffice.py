"""What the advisors' back office reads (the admin's candidature page, the work queue,
the workload view): intent-named reads, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import holidays
from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone

from demandes.documents import document_states
from offres import eligibility

from .models import RANKING_ORDER, Candidature, CandidatureEvent, why_ahead
from .workflow import ACTIVE, Role, Status

# Each eligibility rule as an advisor names it (the refusal's wording comes from the
# rule itself). A rule without a title here is shown by its function name and fails
# tests/candidatures/test_backoffice.py.
RULE_TITLES = {
    "typology_fits_household": "Typologie et surface adaptées au ménage",
    "income_under_ceiling": "Revenu fiscal sous le plafond de ressources",
    "resources_cover_rent": "Ressources d'environ 3 fois le loyer charges comprises",
    "in_desired_places": "Commune souhaitée dans la demande",
    "open_for_applications": "Offre publiée et date limite non dépassée",
    "request_is_valid": "Demande de logement en cours de validité",
}


# The advisors' target: a candidature is looked at within 2 working days.
VALIDATION_TARGET_WORKING_DAYS = 2


@lru_cache(maxsize=16)
def _french_holidays(year):
    return frozenset(holidays.France(years=year))


def is_working_day(day):
    """Monday to Friday, except French public holidays (metropolitan calendar)."""
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def working_days_before(today, count):
    """The day ``count`` working days before ``today`` (weekends and French public
    holidays skipped): on Tuesday 12 May 2026, 2 working days before is Thursday 7
    May (Monday 11, then Friday 8 May is a public holiday)."""
    day = today
    while count:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to ``end`` included (0 on the same day)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days


def late_before(today, tz):
    """Deposited before this instant, a candidature waiting for validation is past
    the 2-working-day target."""
    return datetime.combine(
        working_days_before(today, VALIDATION_TARGET_WORKING_DAYS), time.min, tzinfo=tz
    )


class InvalidationReason(models.TextChoices):
    """Why an advisor invalidates a candidature: the coded reasons, counted in the
    workload view. The event's reason starts with the label."""

    DOCUMENTS = "pieces", "Pièces justificatives manquantes ou non conformes"
    RESOURCES = "ressources", "Ressources insuffisantes pour le loyer"
    CEILING = "plafonds", "Revenus au-dessus des plafonds de ressources"
    HOUSEHOLD = "menage", "Logement inadapté à la composition du ménage"
    EXPIRED = "demande_expiree", "Demande de logement non renouvelée"
    EMPLOYER = "employeur", "Salarié hors du champ d'Action Logement"
    OTHER = "autre", "Autre motif"


def invalidation_text(code, details):
    """The reason recorded in the event and sent to the applicant: the coded reason,
    then the advisor's words."""
    label = InvalidationReason(code).label
    details = (details or "").strip()
    return f"{label} : {details}" if details else label


def reason_code(text):
    """The coded reason a recorded reason starts with, or OTHER."""
    for reason in InvalidationReason:
        if text.startswith(reason.label):
            return reason
    return InvalidationReason.OTHER


def offer_ranks(offer_ids):
    """The rank to show of every candidature of these offers, among the whole offer's
    candidatures (the committee's rank once the CALEOL ranked, else the ranking rule's),
    whatever a page shows of them: one query."""
    return dict(
        Candidature.objects.filter(offer_id__in=set(offer_ids))
        .with_offer_rank()
        .values_list("pk", "offer_rank")
    )


def request_validity(demande, today):
    """A request is valid one year from its filing or its last renewal."""
    start = demande.renewed_on or demande.first_filed_on
    try:
        expires = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        expires = start.replace(year=start.year + 1, day=28)
    return {
        "start": start,
        "renewed": demande.renewed_on is not None,
        "expires": expires,
        "valid": today <= expires,
        "days_left": (expires - today).days,
    }


def percent(value):
    return (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Affordability:
    rent: Decimal
    charges: Decimal
    total_rent: Decimal
    resources: Decimal
    allowance: Decimal
    resources_with_allowance: Decimal
    factor: Decimal
    needed: Decimal
    covers: bool
    # (rent + charges − housing allowance) / monthly resources (arrêté du 10 mars 2011)
    effort_rate: Decimal | None


def affordability(offer, demande):
    total = offer.rent + offer.charges
    factor = eligibility.affordability_factor()
    with_allowance = demande.resources_with_allowance
    rate = None
    if demande.monthly_resources > 0:
        rate = percent((total - demande.housing_allowance) / demande.monthly_resources)
    return Affordability(
        rent=offer.rent,
        charges=offer.charges,
        total_rent=total,
        resources=demande.monthly_resources,
        allowance=demande.housing_allowance,
        resources_with_allowance=with_allowance,
        factor=factor,
        needed=total * factor,
        covers=with_allowance >= total * factor,
        effort_rate=rate,
    )


def eligibility_now(offer, demande, today):
    """Every eligibility rule re-checked today: (title, refusal or None)."""
    context = eligibility.context_for(demande, today=today)
    return [
        (
            RULE_TITLES.get(rule.__name__, rule.__name__),
            rule(offer, demande, context),
        )
        for _, rule in eligibility.RULES
    ]


def offer_candidatures(candidature):
    """The offer's candidatures in rank order (active ones first), with their rank."""
    return list(
        Candidature.objects.filter(offer_id=candidature.offer_id)
        .ranked()
        .select_related("demande__coapplicant", "applicant")
        .annotate(
            active_first=models.Case(
                models.When(status__in=ACTIVE, then=models.Value(0)), default=models.Value(1)
            )
        )
        .order_by("active_first", "position")
    )


def rank_reasons(candidature, others):
    """Why the candidature stands where it does: its own criteria, and the criterion
    deciding against the one just before and the one just after it."""
    facts = [
        "public prioritaire" if candidature.legal_priority else "pas de priorité légale",
        "entreprise de 10 salariés et plus"
        if candidature.company_priority
        else "entreprise de moins de 10 salariés",
        "désigné par son entreprise" if candidature.company_designation else "non désigné",
        f"demande déposée le {candidature.first_filed_on:%d/%m/%Y}",
    ]
    active = [c for c in others if c.is_active]
    before = after = None
    if candidature in active:
        index = active.index(candidature)
        if index > 0:
            ahead = active[index - 1]
            before = (ahead, why_ahead(ahead, candidature))
        if index + 1 < len(active):
            behind = active[index + 1]
            after = (behind, why_ahead(candidature, behind))
    return {"facts": facts, "before": before, "after": after, "active_count": len(active)}


def forwarded_count(offer_id):
    return (
        Candidature.objects.active().filter(offer_id=offer_id, forwarded_at__isnull=False).count()
    )


def skipped_better(candidature, others):
    """Validated candidatures of the same offer ranked before this one and not
    forwarded: advisors forward in rank order."""
    return [
        c
        for c in others
        if c.status == Status.VALIDATED
        and c.pk != candidature.pk
        and c.is_active
        and c.position < candidature.position
    ]


def dossier(candidature, today: date):
    """Everything the candidature's page shows to decide on it."""
    offer = candidature.offer
    demande = candidature.demande
    others = offer_candidatures(candidature)
    me = next(c for c in others if c.pk == candidature.pk)
    candidature.position = me.position
    facts = {
        "offer": offer,
        "demande": demande,
        "others": others,
        "rank": me.position if me.is_active else None,
        "rank_reasons": rank_reasons(me, others),
        "forwarded": sum(1 for c in others if c.is_active and c.forwarded_at),
        "forward_max": settings.CANDIDATURES_FORWARD_MAX,
        "skipped_better": skipped_better(me, others) if me.status == Status.VALIDATED else [],
        "events": list(candidature.events.select_related("actor")),
    }
    if demande is not None:
        facts.update(
            affordability=affordability(offer, demande),
            eligibility=eligibility_now(offer, demande, today),
            documents=document_states(demande),
            validity=request_validity(demande, today),
            sharing_changes=list(demande.sharing_changes.all()),
        )
    return facts


# The work queue of the admin's index ("Espace conseiller").
QUEUE_LENGTH = 50
NEAR_DEADLINE_DAYS = 7
ANSWER_STATES = (Status.ATTRIBUTED, Status.ATTRIBUTED_CONDITION)


def work_queue(now):
    """What waits for advisors, oldest or most urgent first, in 5 queries whatever the
    number of candidatures: the counts, then at most ``QUEUE_LENGTH`` lines per queue.

    - candidatures waiting for validation (oldest first), those past the 2-working-day
      target marked late;
    - validated candidatures not yet forwarded on offers whose deadline is near (or
      passed), by deadline then rank;
    - attributions waiting for the applicant's answer, by answer date.
    """
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now)
    late = late_before(today, tz)
    horizon = today + timedelta(days=NEAR_DEADLINE_DAYS)
    to_forward = Q(status=Status.VALIDATED, offer__deadline__lte=horizon)
    counts = Candidature.objects.aggregate(
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        late=Count("pk", filter=Q(status=Status.SUBMITTED, applied_at__lt=late)),
        to_forward=Count("pk", filter=to_forward),
        answers=Count("pk", filter=Q(status__in=ANSWER_STATES)),
    )
    lines = Candidature.objects.select_related(
        "offer__commune", "applicant", "demande__coapplicant"
    )
    waiting = list(
        lines.filter(status=Status.SUBMITTED).order_by("applied_at", "pk")[:QUEUE_LENGTH]
    )
    for candidature in waiting:
        candidature.late = candidature.applied_at < late
        candidature.waited = working_days_between(timezone.localdate(candidature.applied_at), today)
    forwarding = list(
        lines.filter(to_forward).order_by("offer__deadline", "offer_id", *RANKING_ORDER)[
            :QUEUE_LENGTH
        ]
    )
    ranks = offer_ranks(c.offer_id for c in forwarding)
    for candidature in forwarding:
        candidature.offer_rank = ranks.get(candidature.pk)
        candidature.days_left = (candidature.offer.deadline - today).days
    answers = list(
        lines.filter(status__in=ANSWER_STATES).order_by(F("answer_by").asc(nulls_last=True), "pk")[
            :QUEUE_LENGTH
        ]
    )
    return {
        "counts": counts,
        "waiting": waiting,
        "forwarding": forwarding,
        "answers": answers,
        "near_days": NEAR_DEADLINE_DAYS,
        "target_days": VALIDATION_TARGET_WORKING_DAYS,
    }


# The team's workload ("Charge de travail", a view of the admin site).
# What advisors decide, by the state the event leads to (one transition each).
DECISIONS = {
    "validated": Status.VALIDATED,
    "invalidated": Status.INVALIDATED,
    "forwarded": Status.FORWARDED,
}


@dataclass(frozen=True)
class Week:
    """A week (Monday to Sunday) of the month, cut to the month's days."""

    monday: date
    start: date
    end: date

    @property
    def number(self):
        return self.monday.isocalendar().week

    @property
    def label(self):
        return f"S{self.number} : du {self.start:%d/%m} au {self.end:%d/%m}"


@dataclass
class Tally:
    validated: int = 0
    invalidated: int = 0
    forwarded: int = 0

    def add(self, row):
        for name in DECISIONS:
            setattr(self, name, getattr(self, name) + row[name])


@dataclass
class AdvisorLoad:
    name: str
    weeks: list  # (Week, Tally), every week of the month
    total: Tally
    # Hours from the deposit to this advisor's validations of the month (median).
    median_hours: float | None = None
    sort_key: tuple = ()


def month_weeks(first):
    """The weeks overlapping the month of ``first`` (its first day), each cut to it."""
    last = next_month(first) - timedelta(days=1)
    weeks, monday = [], first - timedelta(days=first.weekday())
    while monday <= last:
        weeks.append(Week(monday, max(monday, first), min(monday + timedelta(days=6), last)))
        monday += timedelta(days=7)
    return weeks


def next_month(first):
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _reason_code():
    """The coded reason an invalidation's recorded reason starts with (see
    ``invalidation_text``), in SQL; OTHER for a reason without code."""
    return Case(
        *[
            When(reason__startswith=reason.label, then=Value(reason.value))
            for reason in InvalidationReason
            if reason != InvalidationReason.OTHER
        ],
        default=Value(InvalidationReason.OTHER.value),
    )


def _medians(validations, partition=None):
    """The median of ``delay`` in hours per value of ``partition`` (or over all rows,
    under the key None), in one query: window functions number the rows of each
    partition by delay, and only the one or two middle rows are read."""
    by = [F(partition)] if partition else None
    middle = validations.annotate(
        size=Window(Count("pk"), partition_by=by),
        row=Window(RowNumber(), partition_by=by, order_by=[F("delay").asc(), F("pk").asc()]),
    ).filter(Q(row=(F("size") + 1) / 2) | Q(row=F("size") / 2 + 1))
    delays = {}
    for values in middle.values_list(*([partition] if partition else []), "delay"):
        key = values[0] if partition else None
        delays.setdefault(key, []).append(values[-1].total_seconds() / 3600)
    return {key: sum(hours) / len(hours) for key, hours in delays.items()}


def advisor_name(row):
    if row["actor_id"] is None:
        return "Conseiller supprimé"
    name = f"{row['actor__first_name']} {row['actor__last_name']}".strip()
    return name or row["actor__email"]


def workload(first):
    """What the advisors decided in the month of ``first`` (its first day), from the
    candidatures' events, in 4 queries whatever the number of candidatures:

    - validated, invalidated and forwarded per advisor and per week (one grouped count);
    - the median time from the deposit to the validation, in hours elapsed (nights,
      weekends and public holidays included), per advisor and for the team (the middle
      rows picked by window functions);
    - the invalidations per coded reason (one grouped count).
    """
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(next_month(first), time.min), tz)
    events = CandidatureEvent.objects.filter(
        role=Role.ADVISOR, created_at__gte=start, created_at__lt=end
    ).order_by()
    rows = list(
        events.filter(to_status__in=DECISIONS.values())
        .values(
            "actor_id",
            "actor__first_name",
            "actor__last_name",
            "actor__email",
            week=TruncWeek("created_at", tzinfo=tz),
        )
        .annotate(
            **{name: Count("pk", filter=Q(to_status=status)) for name, status in DECISIONS.items()}
        )
    )
    validations = events.filter(to_status=Status.VALIDATED).annotate(
        delay=ExpressionWrapper(
            F("created_at") - F("candidature__applied_at"), output_field=DurationField()
        )
    )
    advisor_medians = _medians(validations, "actor_id")
    team_median = _medians(validations).get(None)
    reasons = (
        events.filter(to_status=Status.INVALIDATED)
        .annotate(code=_reason_code())
        .values("code")
        .annotate(count=Count("pk"))
    )
    reasons = sorted(
        ((InvalidationReason(r["code"]).label, r["count"]) for r in reasons),
        key=lambda reason: (-reason[1], reason[0]),
    )

    weeks = month_weeks(first)
    by_monday = {week.monday: week for week in weeks}
    team_weeks = {week: Tally() for week in weeks}
    team = Tally()
    advisors = {}
    for row in rows:
        week = by_monday[timezone.localtime(row["week"], tz).date()]
        load = advisors.get(row["actor_id"])
        if load is None:
            load = advisors[row["actor_id"]] = AdvisorLoad(
                name=advisor_name(row),
                weeks={w: Tally() for w in weeks},
                total=Tally(),
                median_hours=advisor_medians.get(row["actor_id"]),
                # By last name, as the team's lists are.
                sort_key=(
                    (row["actor__last_name"] or "").lower(),
                    (row["actor__first_name"] or "").lower(),
                    row["actor_id"] or 0,
                ),
            )
        for tally in (load.weeks[week], load.total, team_weeks[week], team):
            tally.add(row)
    loads = sorted(advisors.values(), key=lambda load: load.sort_key)
    for load in loads:
        load.weeks = list(load.weeks.items())
    return {
        "first": first,
        "weeks": weeks,
        "advisors": loads,
        "team_weeks": list(team_weeks.items()),
        "team": team,
        "median_hours": team_median,
        "reasons": reasons,
        "invalidated": sum(count for _, count in reasons),
    }
