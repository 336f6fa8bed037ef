from collections import Counter

from django.db.models import Count, Prefetch, Q

from .models import (
    RANKING_CRITERIA,
    Candidature,
    CandidatureEvent,
    Notification,
    deciding_criterion,
)
from .workflow import ACTIVE

# The rule as shown to applicants, from the same criteria as the SQL ranking.
RANKING_RULE = [
    "d'abord les publics prioritaires reconnus par la loi (article L441-1 du CCH) ;",
    "puis les salariés d'une entreprise de 10 salariés et plus (50 et plus dans l'agriculture) ;",
    "puis les salariés désignés par leur entreprise ;",
    "puis l'ancienneté de la demande de logement social (date du premier dépôt) ;",
    "enfin, à égalité, la date et l'heure de la candidature.",
]
assert len(RANKING_RULE) == len(RANKING_CRITERIA)


def my_candidatures(user):
    """The applicant's candidatures with what "Mes candidatures" shows, in 3 queries."""
    candidatures = list(
        Candidature.objects.of_applicant(user)
        .select_related("offer__commune__department", "demande")
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
            .values("pk", "offer_id", "position", *facts)
        )
        by_offer = {}
        for row in rows:
            by_offer.setdefault(row["offer_id"], []).append(row)
        for candidature in active:
            offer_rows = by_offer.get(candidature.offer_id, [])
            mine = next((r for r in offer_rows if r["pk"] == candidature.pk), None)
            candidature.rank = mine["position"] if mine else None
            candidature.ahead = Counter(
                deciding_criterion(row, mine)
                for row in offer_rows
                if mine and row["position"] < mine["position"]
            )
    return candidatures


def rank_explanation(candidature):
    """Why the applicant stands where they do, in plain words: their own criteria, and
    for the candidatures ranked before theirs, the criterion that put them there."""
    reasons = [
        "public prioritaire reconnu par la loi"
        if candidature.legal_priority
        else "pas de priorité légale",
        "salarié d'une entreprise de 10 salariés et plus"
        if candidature.company_priority
        else "entreprise de moins de 10 salariés",
    ]
    demande = candidature.demande
    if demande is not None and demande.data_sharing == demande.DataSharing.ANONYMOUS:
        reasons.append("pas de points entreprise (vous avez choisi de rester anonyme)")
    elif candidature.company_designation:
        reasons.append("désigné par votre entreprise (points entreprise)")
    reasons.append(f"demande déposée le {candidature.first_filed_on:%d/%m/%Y}")
    text = f"vos critères : {', '.join(reasons)}"
    ahead = getattr(candidature, "ahead", None)
    if ahead:
        before = ", ".join(
            f"{words} ({ahead[words]})" for _, _, words in RANKING_CRITERIA if ahead[words]
        )
        text += f". Classées avant vous : {before}"
    elif ahead is not None:
        text += ". Vous êtes en tête du classement"
    return text


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
