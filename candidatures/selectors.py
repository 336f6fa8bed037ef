from django.db.models import Count, Prefetch, Q

from .models import Candidature, CandidatureEvent, Notification
from .workflow import ACTIVE


def my_candidatures(user):
    """The applicant's candidatures with what "Mes candidatures" shows, in 3 queries."""
    candidatures = list(
        Candidature.objects.of_applicant(user)
        .select_related("offer__commune__department")
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
        ranked = dict(
            Candidature.objects.active()
            .filter(offer_id__in=[c.offer_id for c in active])
            .ranked()
            .values_list("pk", "position")
        )
        for candidature in active:
            candidature.rank = ranked.get(candidature.pk)
    return candidatures


def rank_explanation(candidature):
    """Why the applicant stands where they do, in plain words."""
    reasons = []
    reasons.append(
        "public prioritaire reconnu par la loi"
        if candidature.legal_priority
        else "pas de priorité légale"
    )
    reasons.append(
        "salarié d'une entreprise de 10 salariés et plus"
        if candidature.company_priority
        else "entreprise de moins de 10 salariés"
    )
    if candidature.company_designation:
        reasons.append("désigné par votre entreprise")
    reasons.append(f"demande déposée le {candidature.first_filed_on:%d/%m/%Y}")
    return ", ".join(reasons)


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
