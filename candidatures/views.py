from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from demandes.selectors import demande_of
from offres.models import Offer

from . import services
from .models import Candidature, Notification
from .selectors import RANKING_RULE, my_candidatures, rank_explanation
from .workflow import BEFORE_DECISION, STEP_OF, STEPS, Role, Status


@login_required
def apply(request, offer_pk):
    """ "Je postule": a confirmation page, then the candidature."""
    # Any offer its page shows: a closed one gets the reason instead of a 404.
    offer = get_object_or_404(
        Offer.objects.exclude(status=Offer.Status.DRAFT).select_related("commune"), pk=offer_pk
    )
    demande = demande_of(request.user)
    if request.method == "POST":
        try:
            services.apply(user=request.user, offer=offer, demande=demande)
        except services.CandidatureError as exc:
            messages.error(request, str(exc))
            return redirect("offres:detail", pk=offer.pk)
        return redirect("candidatures:applied")
    reason = services.why_cannot_apply(request.user, offer, demande)
    return render(request, "candidatures/apply_confirm.html", {"offer": offer, "reason": reason})


@login_required
def applied(request):
    return render(request, "candidatures/applied.html")


@login_required
def candidature_list(request):
    """ "Mes candidatures": the ones in progress, then the history."""
    candidatures = my_candidatures(request.user)
    for candidature in candidatures:
        candidature.step = STEP_OF[candidature.status]
        candidature.explanation = rank_explanation(candidature)
        candidature.can_cancel = candidature.status in BEFORE_DECISION
        attributed = candidature.status in (Status.ATTRIBUTED, Status.ATTRIBUTED_CONDITION)
        # Attribution in the committee's order: one's turn comes when those ranked
        # before have declined.
        candidature.waiting_turn = (
            attributed and services.better_ranked_pending(candidature).exists()
        )
        candidature.can_respond = attributed and not candidature.waiting_turn
    return render(
        request,
        "candidatures/list.html",
        {
            "current": [c for c in candidatures if c.is_active],
            "history": [c for c in candidatures if not c.is_active],
            "steps": STEPS,
            "ranking_rule": RANKING_RULE,
        },
    )


def _own(request, pk):
    return get_object_or_404(Candidature, pk=pk, applicant=request.user)


@login_required
def cancel(request, pk):
    candidature = _own(request, pk)
    if request.method == "POST":
        try:
            services.transition(
                candidature,
                "cancel",
                actor=request.user,
                role=Role.APPLICANT,
                reason="Annulée par le demandeur.",
            )
        except services.CandidatureError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Votre candidature a été annulée.")
        return redirect("candidatures:list")
    return render(request, "candidatures/cancel_confirm.html", {"candidature": candidature})


@login_required
@require_POST
def respond(request, pk, answer):
    candidature = _own(request, pk)
    name = "accept" if answer == "accepter" else "decline"
    try:
        services.transition(
            candidature,
            name,
            actor=request.user,
            role=Role.APPLICANT,
            reason="" if name == "accept" else "Proposition refusée.",
        )
    except services.CandidatureError as exc:
        messages.error(request, str(exc))
    return redirect("candidatures:list")


@login_required
def notifications(request):
    items = list(
        Notification.objects.filter(user=request.user).select_related(
            "candidature__offer__commune"
        )[:50]
    )
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return render(request, "candidatures/notifications.html", {"notifications": items})
