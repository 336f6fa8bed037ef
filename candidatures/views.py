from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import applicant_required
from demandes.selectors import demande_of
from offres.models import Offer

from . import services
from .models import Candidature, Notification
from .selectors import RANKING_RULE, my_candidatures
from .workflow import Role


@applicant_required
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
    """ "Mes candidatures": the ones in progress (and the one the applicant moved into,
    its six steps done), then the history."""
    candidatures = my_candidatures(request.user)
    housed = next((c for c in candidatures if c.is_housed), None)
    return render(
        request,
        "candidatures/list.html",
        {
            "current": [c for c in candidatures if c.is_followed],
            "history": [c for c in candidatures if not c.is_followed],
            "ranking_rule": RANKING_RULE,
            "housed": housed,
            "housed_reason": services.housed_reason(housed) if housed else "",
            "accept_answer": ACCEPT,
            "decline_answer": DECLINE,
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


# The two answers to a proposal, as they appear in the address; anything else is a 404.
ACCEPT, DECLINE = "accepter", "refuser"
ANSWERS = {ACCEPT: "accept", DECLINE: "decline"}


@login_required
def respond(request, pk, answer):
    """Accept or decline a proposal: a confirmation page saying what the answer ends,
    then the answer (POST)."""
    name = ANSWERS.get(answer)
    if name is None:
        raise Http404("Réponse inconnue.")
    candidature = get_object_or_404(
        Candidature.objects.select_related("offer__commune", "offer__landlord"),
        pk=pk,
        applicant=request.user,
    )
    if request.method == "POST":
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
        else:
            messages.success(
                request,
                "Vous avez accepté le logement."
                if name == "accept"
                else "Vous avez refusé la proposition de logement.",
            )
        return redirect("candidatures:list")
    others = list(
        Candidature.objects.active()
        .of_applicant(request.user)
        .exclude(pk=candidature.pk)
        .select_related("offer__commune")
    )
    return render(
        request,
        "candidatures/respond_confirm.html",
        {
            "candidature": candidature,
            "accepting": name == "accept",
            "others": others,
            "answer": answer,
        },
    )


@login_required
def notifications(request):
    """The notifications; reading them is an explicit action (a POST): a GET, which
    a link preview or a prefetch may send, changes nothing."""
    if request.method == "POST":
        services.mark_notifications_read(user=request.user)
        return redirect("candidatures:notifications")
    items = list(
        Notification.objects.filter(user=request.user).select_related(
            "candidature__offer__commune"
        )[:50]
    )
    unread = any(n.read_at is None for n in items)
    return render(
        request, "candidatures/notifications.html", {"notifications": items, "unread": unread}
    )
