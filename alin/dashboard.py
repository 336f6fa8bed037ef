"""The "Ma situation" dashboard: composed here, where every app is visible."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from demandes.selectors import demande_of


def _open_offers_count(demande):
    from offres.models import Offer

    manager = Offer.objects
    if hasattr(manager, "open_to"):
        return manager.open_to(demande).count()
    return None


@login_required
def dashboard(request):
    demande = demande_of(request.user)
    if demande is None:
        return redirect("demandes:import")
    if demande.information_confirmed_at is None:
        return redirect("demandes:information")
    from candidatures.models import Candidature

    context = {
        "demande": demande,
        "open_offers": _open_offers_count(demande),
        "candidature": Candidature.objects.active()
        .of_applicant(request.user)
        .select_related("offer__commune")
        .first(),
    }
    return render(request, "dashboard/dashboard.html", context)
