"""The "Ma situation" dashboard: composed here, where every app is visible."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse

from candidatures.models import Candidature
from candidatures.widening import widening_gains
from demandes.selectors import demande_of
from entreprises.selectors import companies_of
from offres.eligibility import context_for
from offres.freshness import open_offer_count


def after_login(request):
    """Where sign-in leads: an applicant without a request to the import panel
    ("Importer ma demande", guide #3), everyone else to the home page as before."""
    user = request.user
    if user.is_authenticated and user.is_applicant and demande_of(user) is None:
        return redirect("demandes:import")
    return redirect("core:home")


def dashboard(request):
    """Number, household, resources, wishes, documents and the offers open to the request.

    Without a request (or signed out) the applicant is sent to the import page, which
    asks to sign in first when needed.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("demandes:import"))
    demande = demande_of(request.user)
    if demande is None:
        return redirect("demandes:import")
    if demande.information_confirmed_at is None:
        return redirect("demandes:information")
    # The request's ceilings and places, read once for the count and the widening.
    eligibility = context_for(demande)
    context = {
        "demande": demande,
        "open_offers": open_offer_count(demande, eligibility),
        "companies": companies_of(demande),
        "gains": widening_gains(demande, context=eligibility),
        # The candidature in progress, or the one the applicant moved into (housed).
        "candidature": Candidature.objects.followed()
        .of_applicant(request.user)
        .select_related("offer__commune")
        .order_by("-updated_at")
        .first(),
    }
    return render(request, "dashboard/dashboard.html", context)
