from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from .models import (
    AHEAD_REASONS,
    RANKING_CRITERIA,
    Candidature,
    CandidatureEvent,
    Notification,
    ahead_at_each_criterion,
    ranking_facts,
    why_ahead,
)
from .workflow import ACTIVE, BEFORE_DECISION, PROPOSED, STEPS, Status

# The rule as shown to applicants, from the same criteria as the SQL ranking.
RANKING_RULE = [
    "d'abord les publics prioritaires reconnus par la loi (article L441-1 du CCH) ;",
    "puis les salariés d'une entreprise de 10 salariés et plus (50 et plus dans l'agriculture) ;",
    "puis les salariés désignés par leur entreprise ;",
    "puis l'ancienneté de la demande de logement social (date du premier dépôt) ;",
    "enfin, à égalité, la date et l'heure de la candidature.",
]
assert len(RANKING_RULE) == len(RANKING_CRITERIA)


def my_candidatures(user, now=None):
    """The applicant's candidatures with what "Mes candidatures" shows, in 3 queries,
    each described by ``describe`` (the same facts as the emails)."""
    candidatures = list(
        Candidature.objects.of_applicant(user)
        .select_related("offer__commune__department", "offer__landlord", "demande__coapplicant")
        .prefetch_related(
            Prefetch("events", queryset=CandidatureEvent.objects.order_by("created_at"))
        )
        .annotate(
            competitors=Count(
                "offer__candidatures",
                filter=Q(offer__candidatures__status__in=ACTIVE),
                distinct=True,
            )
        )
    )
    active = [c for c in candidatures if c.is_active]
    if active:
        facts = [field for field, _, _ in RANKING_CRITERIA]
        rows = (
            Candidature.objects.active()
            .filter(offer_id__in=[c.offer_id for c in active])
            .ranked()
            .values("pk", "offer_id", "position", "committee_rank", *facts)
        )
        by_offer = {}
        for row in rows:
            by_offer.setdefault(row["offer_id"], []).append(row)
        for candidature in active:
            offer_rows = by_offer.get(candidature.offer_id, [])
            mine = next((r for r in offer_rows if r["pk"] == candidature.pk), None)
            candidature.rank = mine["position"] if mine else None
            candidature.ahead = Counter(
                why_ahead(row, mine)
                for row in offer_rows
                if mine and row["position"] < mine["position"]
            )
    for candidature in candidatures:
        describe(candidature, now=now)
    return candidatures


def provisional_rank(candidature):
    """Set ``rank``, ``competitors`` and ``ahead`` on one candidature (for an email,
    which mirrors one card of "Mes candidatures")."""
    facts = [field for field, _, _ in RANKING_CRITERIA]
    rows = list(
        Candidature.objects.active()
        .filter(offer_id=candidature.offer_id)
        .ranked()
        .values("pk", "position", "committee_rank", *facts)
    )
    mine = next((r for r in rows if r["pk"] == candidature.pk), None)
    candidature.competitors = len(rows)
    candidature.rank = mine["position"] if mine else None
    candidature.ahead = Counter(
        why_ahead(row, mine) for row in rows if mine and row["position"] < mine["position"]
    )
    return candidature


def describe(candidature, now=None):
    """What the applicant reads about a candidature, on the page and in every email:
    the tracker, the one rank to show, the visit, the proposal and its deadline.

    Sets attributes on the candidature (it needs ``rank``/``competitors`` from
    ``my_candidatures`` or ``provisional_rank`` while the committee has not ranked).
    """
    from .services import WITHOUT_ANSWER, better_ranked_pending

    now = now or timezone.now()
    candidature.steps = tracker(candidature, now)
    candidature.can_cancel = candidature.status in BEFORE_DECISION
    attributed = candidature.status in PROPOSED
    candidature.waiting_turn = attributed and better_ranked_pending(candidature).exists()
    candidature.can_respond = attributed and not candidature.waiting_turn
    candidature.without_answer = WITHOUT_ANSWER
    # One rank at a time: the provisional rank until the CALEOL decided, then its own.
    if candidature.ranked_by_committee:
        candidature.rank_text = (
            f"{candidature.committee_rank} (rang attribué par la commission CALEOL du "
            f"{candidature.committee_on:%d/%m/%Y})"
            if candidature.committee_rank
            else ""
        )
        candidature.explanation = ""
    elif candidature.is_active and getattr(candidature, "rank", None):
        rank = candidature.rank
        candidature.rank_text = (
            f"{rank}{'er' if rank == 1 else 'e'} sur {candidature.competitors} (rang "
            "provisoire, avant la commission)"
        )
        candidature.explanation = rank_explanation(candidature)
    else:
        candidature.rank_text = candidature.explanation = ""
    candidature.visit = visit_facts(candidature, now)
    return candidature


def visit_facts(candidature, now):
    """The visit as the applicant needs it: when, where, whom to call (or None)."""
    if candidature.visit_at is None:
        return None
    offer = candidature.offer
    landlord = offer.landlord
    return {
        "at": timezone.localtime(candidature.visit_at),
        "future": candidature.visit_at > now,
        "address": f"{offer.address}, {offer.commune.postal_code} {offer.commune.name}",
        "landlord": landlord.name,
        "phone": landlord.contact_phone,
        "email": landlord.contact_email,
    }


def tracker(candidature, now):
    """The guide's six steps, each "done" only when it happened.

    A visit in the future is "prévue", not done; a decision without a visit leaves the
    visit step "skipped"; at "Entrée dans les lieux" all six are done.
    """
    forwarded = candidature.forwarded_at is not None
    validated = forwarded or candidature.status == Status.VALIDATED
    visit = candidature.visit_at
    decided = candidature.committee_on is not None
    done = [
        True,
        validated,
        forwarded,
        bool(visit and visit <= now),
        decided,
        candidature.status == Status.MOVED_IN,
    ]
    details = ["", "", "", "", "", ""]
    skipped = [False] * 6
    if candidature.status == Status.INVALIDATED:
        details[1] = "Non validée"
    if visit:
        when = timezone.localtime(visit)
        details[3] = (
            f"Visite effectuée le {when:%d/%m/%Y}"
            if done[3]
            else f"Visite prévue le {when:%d/%m/%Y à %Hh%M}"
        )
    elif decided:
        skipped[3] = True
        details[3] = "Sans visite"
    if decided:
        details[4] = f"Commission du {candidature.committee_on:%d/%m/%Y}"
    if candidature.lease_signed_on:
        details[5] = f"Bail signé le {candidature.lease_signed_on:%d/%m/%Y}"
    current = (
        next((i for i in range(6) if not done[i] and not skipped[i]), None)
        if candidature.is_active
        else None
    )
    steps = []
    for index, label in enumerate(STEPS):
        if done[index]:
            state = "done"
        elif skipped[index]:
            state = "skipped"
        elif index == current:
            state = "current"
        else:
            state = "upcoming"
        steps.append(
            {"number": index + 1, "label": label, "state": state, "detail": details[index]}
        )
    return steps


def email_context(candidature, message, reason=""):
    """The context of an applicant's email: the same described candidature as its card
    in "Mes candidatures", with the message of the change."""
    from core.emails import absolute_url

    if candidature.is_active and not candidature.ranked_by_committee:
        provisional_rank(candidature)
    describe(candidature)
    return {
        "candidature": candidature,
        "offer": candidature.offer,
        "message": message,
        "reason": reason,
        "url": absolute_url(reverse("candidatures:list")),
    }


def housing_of(user):
    """The accepted or moved-in candidature of a housed applicant (for "Ma situation")."""
    return (
        Candidature.objects.of_applicant(user)
        .filter(status__in=(Status.ACCEPTED, Status.MOVED_IN))
        .select_related("offer__commune", "offer__landlord")
        .order_by("-updated_at")
        .first()
    )


def rank_explanation(candidature):
    """Why the applicant stands where they do, in plain words: their own criteria, and
    for the candidatures ranked before theirs, the criterion that put them there."""
    demande = candidature.demande
    company = "entreprise de moins de 10 salariés"
    if candidature.company_priority:
        # Either applicant gives it: say which one when the request has two.
        who = demande.company_priority_who if demande is not None else ""
        company = "salarié d'une entreprise de 10 salariés et plus" + (f" ({who})" if who else "")
    reasons = [
        "public prioritaire reconnu par la loi"
        if candidature.legal_priority
        else "pas de priorité légale",
        company,
    ]
    if demande is not None and demande.data_sharing == demande.DataSharing.ANONYMOUS:
        reasons.append("pas de points entreprise (vous avez choisi de rester anonyme)")
    elif candidature.company_designation:
        reasons.append("désigné par votre entreprise (points entreprise)")
    reasons.append(f"demande déposée le {candidature.first_filed_on:%d/%m/%Y}")
    text = f"vos critères : {', '.join(reasons)}"
    ahead = getattr(candidature, "ahead", None)
    if ahead:
        before = ", ".join(f"{words} ({ahead[words]})" for words in AHEAD_REASONS if ahead[words])
        text += f". Classées avant vous : {before}"
    elif ahead is not None:
        text += ". Vous êtes en tête du classement"
    return text


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class Projection:
    """« Si vous postulez maintenant, vous seriez classé 3e sur 12 »: the rank a
    candidature made now would have among the offer's active ones, and how many rank
    before it because of each criterion (counts only: nothing about who they are)."""

    rank: int
    competitors: int
    ahead: list  # (criterion words, count), in the rule's order, counts > 0 only

    @property
    def ordinal(self):
        return "1er" if self.rank == 1 else f"{self.rank}e"


def projected_rank(offer, demande):
    """The provisional rank the applicant would have on ``offer`` by applying now, by
    the ranking rule itself (one aggregate query)."""
    levels = ahead_at_each_criterion(ranking_facts(demande))
    counts = (
        Candidature.objects.active()
        .filter(offer=offer)
        .aggregate(
            total=Count("pk"),
            **{f"level{index}": Count("pk", filter=q) for index, (_, q) in enumerate(levels)},
        )
    )
    ahead = [(words, counts[f"level{index}"]) for index, (words, _) in enumerate(levels)]
    before = sum(count for _, count in ahead)
    return Projection(
        rank=before + 1,
        competitors=counts["total"] + 1,
        ahead=[(words, count) for words, count in ahead if count],
    )
