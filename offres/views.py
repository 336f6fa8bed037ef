import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts.roles import applicant_required
from demandes.selectors import demande_of
from territoires.models import Commune, Department

from . import extensions, freshness, services
from .eligibility import context_for, derived_criteria, explain, open_offers_filter
from .filters import OfferFilter
from .freshness import CachedPaginator
from .models import Offer, OfferPhoto, SearchAlert


def _applicant_demande(request):
    user = request.user
    if user.is_authenticated and user.is_applicant:
        return demande_of(user)
    return None


def offer_list(request):
    """ "Les offres": offers open to the applicant, or all published offers."""
    demande = _applicant_demande(request)
    today = timezone.localdate()
    if demande:
        eligibility = open_offers_filter(demande, context_for(demande, today))
        base = Offer.objects.published().filter(eligibility)
        # What the list depends on, for the cache keys (offres.freshness): the
        # eligibility filter holds every figure of the request it reads.
        basis = ("open_to", repr(eligibility))
    else:
        base = Offer.objects.published()
        basis = ("published",)
    # « Élargir mes souhaits »: the offers of one commune outside the wishes, open to
    # the household otherwise (applying there needs the wish added on the national site).
    widen_commune = None
    code = request.GET.get("elargir", "")
    if demande and re.fullmatch(r"[0-9][0-9AB][0-9]{3}", code):
        widen_commune = Commune.objects.filter(pk=code).first()
        if widen_commune is not None:
            eligibility = open_offers_filter(demande, context_for(demande, today), anywhere=True)
            base = Offer.objects.filter(eligibility, commune=widen_commune)
            basis = ("widen", repr(eligibility), widen_commune.pk)
    photos = Prefetch("photos", queryset=OfferPhoto.objects.order_by("position", "pk"))
    offer_filter = OfferFilter(
        request.GET, queryset=base.select_related("commune").prefetch_related(photos)
    )
    view = "liste" if request.GET.get("vue") == "liste" else "galerie"
    # The offers' version and the search form's markup in one round trip to Redis.
    form_key = search_fields_key(request.GET, view)
    version, found = freshness.offers_version(form_key)
    # A visitor's results depend only on the address (and the offers, and the day):
    # the whole fragment is cached, no query when it is there.
    results_key = (
        None
        if request.user.is_authenticated
        else freshness.basis_key("results", (request.get_full_path(), today), version)
    )
    results = cache.get(results_key) if results_key else None
    page = None
    if results is None:
        offers = offer_filter.qs
        # The criteria as the form read them (invalid ones are not applied).
        criteria = sorted(getattr(offer_filter.form, "cleaned_data", {}).items())
        page = CachedPaginator(
            offers,
            settings.OFFERS_PER_PAGE,
            basis=(*basis, today, criteria),
            by_pk=Offer.objects.select_related("commune").prefetch_related(photos),
            version=version,
        ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    back = urlencode({"retour": request.GET.urlencode()}) if request.GET else ""
    context = {
        "filter": offer_filter,
        # Called by the template only when the whole page is rendered (not for htmx).
        "search_fields": lambda: search_fields(offer_filter, view, form_key, found.get(form_key)),
        "page": page,
        "results": None,
        "cards_key": freshness.cards_key(page.object_list, view, back) if page else "",
        "cards_ttl": freshness.TTL,
        "view": view,
        "query": query.urlencode(),
        "feed_query": services.clean_query(request.GET.urlencode()),
        "back": back,
        "demande": demande,
        "criteria": derived_criteria(demande) if demande else None,
        # The applicant's own criteria emptied the list (not their situation).
        "filtered": any(request.GET.get(name) for name in offer_filter.filters),
    }
    context["widen_commune"] = widen_commune
    context["gains"] = (
        extensions.widening_for(demande)
        if demande and not widen_commune and not page.paginator.count
        else []
    )
    if results_key and results is None:
        results = render_to_string("offres/list.html#results", context, request)
        cache.set(results_key, results, freshness.TTL)
    if results is not None:
        if request.htmx:
            return HttpResponse(results)
        # Our own template's output, from the cache.
        context["results"] = mark_safe(results)  # noqa: S308
    template = "offres/list.html#results" if request.htmx else "offres/list.html"
    return render(request, template, context)


def search_fields_key(query, view):
    """The cache key of the search form's fields: the markup depends only on the
    query's values for the form's fields (values and errors) and the view."""
    data = sorted(
        (name, tuple(query.getlist(name))) for name in OfferFilter.base_filters if name in query
    )
    return "offres:search-form:" + hashlib.sha256(repr((data, view)).encode()).hexdigest()[:32]


def search_fields(offer_filter, view, key, markup=None):
    """The search form's fields, rendered (crispy) once per query and kept a minute;
    ``markup``: what the cache already gave."""
    if markup is None:
        markup = render_to_string(
            "offres/list.html#search_fields", {"filter": offer_filter, "view": view}
        ).strip()
        cache.set(key, markup, freshness.TTL)
    return mark_safe(markup)  # noqa: S308 — our own template's output


def place_suggestions(request):
    """Suggestions for "Où voulez-vous habiter ?" (options of a datalist)."""
    # The landlord's offer form uses the same suggestions for its commune (no departments).
    offer_form = "commune_code" in request.GET
    text = " ".join(request.GET.get("commune_code" if offer_form else "lieu", "").split())[:60]
    communes, departments = [], []
    if len(text) >= 2:
        communes = list(
            Commune.objects.search(text).filter(is_district=False).order_by("-population")[:8]
        )
        departments = list(
            Department.objects.none()
            if offer_form
            else Department.objects.filter(name__istartswith=text)[:3]
            if not text[:1].isdigit()
            else Department.objects.filter(code__startswith=text)[:3]
        )
    return render(
        request, "offres/_place_options.html", {"communes": communes, "departments": departments}
    )


def offer_detail(request, pk):
    offer = get_object_or_404(
        Offer.objects.exclude(status=Offer.Status.DRAFT).select_related("commune", "landlord"),
        pk=pk,
    )
    demande = _applicant_demande(request)
    reasons = explain(offer, demande, context_for(demande)) if demande else None
    back_query = request.GET.get("retour", "")
    back_url = reverse("offres:list") + (f"?{back_query}" if back_query else "")
    return render(
        request,
        "offres/detail.html",
        {
            "offer": offer,
            # Read only when the page's body is not in the cache.
            "photos": SimpleLazyObject(lambda: list(offer.photos.all())),
            "offers_version": freshness.offers_version(),
            "body_ttl": freshness.TTL,
            "demande": demande,
            "reasons": reasons,
            "back_url": back_url,
            "actions": extensions.offer_actions(request, offer, demande, reasons),
            "energy_scale": "ABCDEFG",
        },
    )


@applicant_required
@require_POST
def create_alert(request):
    try:
        alert = services.create_alert(user=request.user, query_string=request.POST.get("query", ""))
    except services.AlertError as exc:
        messages.error(request, str(exc))
        return redirect("offres:list")
    messages.success(
        request,
        f"Votre alerte « {alert.label} » est créée : vous recevrez les nouvelles offres par email.",
    )
    return redirect(reverse("offres:list") + "?" + request.POST.get("query", ""))


@login_required
def alerts(request):
    return render(
        request,
        "offres/alerts.html",
        {
            "alerts": SearchAlert.objects.filter(user=request.user),
            "frequencies": SearchAlert.Frequency.choices,
        },
    )


@login_required
@require_POST
def alert_frequency(request, pk):
    alert = get_object_or_404(SearchAlert, pk=pk, user=request.user)
    try:
        services.set_alert_frequency(alert=alert, frequency=request.POST.get("frequency", ""))
    except services.OfferError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Alerte « {alert.label} » : {alert.get_frequency_display().lower()}.",
        )
    return redirect("offres:alerts")


@login_required
@require_POST
def renew_alert_feed(request, pk):
    alert = get_object_or_404(SearchAlert, pk=pk, user=request.user)
    services.renew_feed_token(alert=alert)
    messages.success(
        request,
        f"Le flux de l'alerte « {alert.label} » a une nouvelle adresse : "
        "l'ancienne ne fonctionne plus.",
    )
    return redirect("offres:alerts")


@login_required
@require_POST
def delete_alert(request, pk):
    alert = get_object_or_404(SearchAlert, pk=pk, user=request.user)
    alert.delete()
    messages.success(request, "L'alerte a été supprimée.")
    return redirect("offres:alerts")


def alert_unsubscribe(request, token):
    """Unsubscribe without signing in, from the link of the email."""
    alert = SearchAlert.objects.filter(token=token).first()
    if alert is None:
        raise Http404("Alerte inconnue ou déjà supprimée.")
    if request.method == "POST":
        alert.delete()
        return render(request, "offres/alert_unsubscribed.html")
    return render(request, "offres/alert_unsubscribe.html", {"alert": alert})
