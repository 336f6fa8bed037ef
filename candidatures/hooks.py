"""How candidatures plug into the apps to their left (offer page, landlord list,
request deletion, RGPD export)."""

from django.db.models import Count, Q

from .models import Candidature
from .selectors import projected_rank
from .services import cancel_active, end_for_expired_request, housed_reason, why_cannot_apply
from .workflow import ACTIVE


def apply_action(request, offer, demande, reasons):
    """The "Je postule" button of the offer page (or why it is not available).

    Nothing is shown when the eligibility rules already refuse the offer: the page
    lists those reasons itself.
    """
    if not request.user.is_authenticated or not request.user.is_applicant:
        return None
    # In progress or housed, in one query: a housed applicant reads why they cannot
    # apply any more, whatever the offer.
    current = (
        Candidature.objects.followed()
        .of_applicant(request.user)
        .select_related("offer__commune")
        .order_by("-updated_at")
        .first()
    )
    if current and current.is_housed:
        return {
            "template": "candidatures/_apply_button.html",
            "context": {
                "already": False,
                "offer": offer,
                "reason": housed_reason(current),
                "projection": None,
            },
        }
    if reasons:
        return None
    if current and current.offer_id == offer.pk:
        return {
            "template": "candidatures/_apply_button.html",
            "context": {"already": True, "offer": offer},
        }
    reason = why_cannot_apply(request.user, offer, demande)
    return {
        "template": "candidatures/_apply_button.html",
        "context": {
            "already": False,
            "offer": offer,
            "reason": reason,
            "projection": None if reason else projected_rank(offer, demande),
        },
    }


def count_candidatures(queryset):
    """Active candidatures, and those forwarded to the landlord (what its space shows)."""
    return queryset.annotate(
        candidatures_count=Count("candidatures", filter=Q(candidatures__status__in=ACTIVE)),
        forwarded_count=Count("candidatures", filter=Q(candidatures__forwarded_at__isnull=False)),
    )


def cancel_on_demande_deleted(sender, demande, actor, **kwargs):
    cancel_active(user=demande.user, actor=actor)


def end_on_demande_expired(sender, demande, valid_until, **kwargs):
    end_for_expired_request(user=demande.user, valid_until=valid_until)


def export(user):
    return [
        {
            "offre": str(c.offer),
            "numero_unique": c.number,
            "statut": c.get_status_display(),
            "deposee_le": c.applied_at.isoformat(),
            "evenements": [
                {
                    "de": e.get_from_status_display(),
                    "vers": e.get_to_status_display(),
                    "le": e.created_at.isoformat(),
                    "motif": e.reason,
                }
                for e in c.events.all()
            ],
        }
        for c in Candidature.objects.of_applicant(user)
        .select_related("offer")
        .prefetch_related("events")
    ]
