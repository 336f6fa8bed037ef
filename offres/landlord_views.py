"""The landlord space: staff of a landlord manage their own offers only (404 otherwise)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import extensions, services
from .forms import OfferForm, PhotoForm
from .landlord_filters import LandlordOfferFilter
from .models import LandlordMembership, Offer, OfferPhoto

LANDLORD_OFFERS_PER_PAGE = 25


def landlord_required(view):
    """The one access rule of the landlord space: a signed-in account with the landlord
    role AND a membership of a landlord; anyone else gets 404 (the space is not
    advertised). Sets ``request.membership`` and ``request.landlord``."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = (
            LandlordMembership.objects.select_related("landlord").filter(user=request.user).first()
            if request.user.is_landlord
            else None
        )
        if membership is None:
            raise Http404("Espace réservé aux bailleurs.")
        request.membership = membership
        request.landlord = membership.landlord
        return view(request, *args, **kwargs)

    return wrapper


def _own_offer(request, pk):
    return get_object_or_404(Offer.objects.managed_by(request.user), pk=pk)


@landlord_required
def offers(request):
    """ "Mes offres": searched, filtered, sorted and paginated; counts per status and the
    candidatures forwarded on each offer."""
    own = Offer.objects.filter(landlord=request.landlord)
    queryset = extensions.with_candidature_counts(
        own.select_related("commune").annotate(photos_count=Count("photos", distinct=True))
    )
    offer_filter = LandlordOfferFilter(
        request.GET or None, queryset=queryset, landlord=request.landlord
    )
    page = Paginator(offer_filter.qs, LANDLORD_OFFERS_PER_PAGE).get_page(request.GET.get("page"))
    counts = dict(own.order_by().values_list("status").annotate(n=Count("pk")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "offres/landlord/offers.html",
        {
            "filter": offer_filter,
            "page": page,
            "query": query.urlencode(),
            "landlord": request.landlord,
            "status_counts": [
                {"value": value, "label": label, "count": counts.get(value, 0)}
                for value, label in Offer.Status.choices
            ],
            "total": sum(counts.values()),
            "current_status": getattr(offer_filter.form, "cleaned_data", {}).get("statut"),
            "Status": Offer.Status,
        },
    )


def _form_refused(request, form, exc, offer):
    """A rule that only the save could check (a reference taken meanwhile)."""
    for name, errors in getattr(exc, "errors", {None: [str(exc)]}).items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)
    return render(request, "offres/landlord/offer_form.html", {"form": form, "offer": offer})


@landlord_required
def offer_create(request):
    form = OfferForm(request.POST if request.method == "POST" else None, landlord=request.landlord)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.create_offer(landlord=request.landlord, **form.offer_data())
        except services.OfferInvalid as exc:
            return _form_refused(request, form, exc, None)
        messages.success(
            request, "L'offre est enregistrée en brouillon. Ajoutez des photos puis publiez-la."
        )
        return redirect("bailleur:offer_photos", pk=offer.pk)
    return render(request, "offres/landlord/offer_form.html", {"form": form, "offer": None})


@landlord_required
def offer_edit(request, pk):
    offer = _own_offer(request, pk)
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        instance=offer,
        landlord=request.landlord,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_offer(offer=offer, **form.offer_data())
        except services.OfferError as exc:
            return _form_refused(request, form, exc, offer)
        messages.success(request, "L'offre a été modifiée.")
        return redirect("bailleur:offers")
    return render(request, "offres/landlord/offer_form.html", {"form": form, "offer": offer})


@landlord_required
@require_POST
def offer_publish(request, pk):
    offer = _own_offer(request, pk)
    try:
        services.publish(offer=offer)
    except services.OfferError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"L'offre « {offer.title} » est publiée.")
    return redirect("bailleur:offers")


@landlord_required
@require_POST
def offer_close(request, pk):
    offer = _own_offer(request, pk)
    try:
        services.close(offer=offer)
    except services.OfferError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"L'offre « {offer.title} » est clôturée.")
    return redirect("bailleur:offers")


@landlord_required
def offer_photos(request, pk):
    offer = _own_offer(request, pk)
    form = PhotoForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        offer=offer,
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_photos(
                offer=offer,
                files=form.cleaned_data["image"],
                alt=form.cleaned_data["alt"],
                checked=True,  # by the form, with the same services.check_photos
            )
        except services.OfferInvalid as exc:  # a file whose pixels do not decode
            for message in exc.errors["photos"]:
                form.add_error("image", message)
            return render(
                request,
                "offres/landlord/offer_photos.html",
                {"form": form, "offer": offer, "photos": offer.photos.all()},
            )
        messages.success(
            request,
            "La photo a été ajoutée."
            if len(added) == 1
            else f"{len(added)} photos ont été ajoutées.",
        )
        return redirect("bailleur:offer_photos", pk=offer.pk)
    return render(
        request,
        "offres/landlord/offer_photos.html",
        {"form": form, "offer": offer, "photos": offer.photos.all()},
    )


@landlord_required
@require_POST
def photo_delete(request, pk, photo_pk):
    offer = _own_offer(request, pk)
    get_object_or_404(OfferPhoto, pk=photo_pk, offer=offer).delete()
    messages.success(request, "La photo a été supprimée.")
    return redirect("bailleur:offer_photos", pk=offer.pk)
