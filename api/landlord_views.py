"""The landlord space's "API" page: keys (created, named, listed with their last use,
revoked by an administrator; a key is shown once) and the log of the API's calls."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from offres.landlord_views import landlord_required

from . import services
from .models import ApiCall, LandlordApiKey

CALLS_PER_PAGE = 50


class KeyForm(forms.Form):
    name = forms.CharField(
        label="Nom de la clé (par exemple le logiciel qui l'utilise)",
        max_length=50,
        error_messages={"required": "Donnez un nom à la clé."},
    )


def _page(request, form, secret=None, created=None):
    calls = ApiCall.objects.filter(landlord=request.landlord).select_related("key")
    return render(
        request,
        "api/keys.html",
        {
            "landlord": request.landlord,
            "membership": request.membership,
            "keys": LandlordApiKey.objects.filter(landlord=request.landlord).select_related(
                "created_by"
            ),
            "form": form,
            "secret": secret,
            "created": created,
            "calls": Paginator(calls, CALLS_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


@landlord_required
def keys(request):
    if not request.membership.is_admin:
        if request.method == "POST":
            messages.error(request, "Seul un administrateur peut créer une clé.")
            return redirect("bailleur_api:keys")
        return _page(request, None)
    form = KeyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            key, secret = services.create_key(
                landlord=request.landlord, name=form.cleaned_data["name"], by=request.user
            )
        except services.ApiKeyError as exc:
            form.add_error("name", str(exc))
        else:
            # Shown on this answer only: it is stored hashed.
            return _page(request, KeyForm(), secret=secret, created=key)
    return _page(request, form)


@landlord_required
@require_POST
def revoke(request, prefix):
    key = get_object_or_404(LandlordApiKey, landlord=request.landlord, prefix=prefix)
    if not request.membership.is_admin:
        messages.error(request, "Seul un administrateur peut révoquer une clé.")
    else:
        services.revoke_key(key=key)
        messages.success(
            request, f"La clé « {key.name} » est révoquée : elle est refusée dès maintenant."
        )
    return redirect("bailleur_api:keys")
