"""Atom feeds of a search, so that scripts poll a cheap, cacheable document instead of
scraping the pages: one per public search URL, one per saved search (secret, revocable
token, with the eligibility of the applicant's request).

A poller sends back the ETag (If-None-Match) or the date (If-Modified-Since) and gets
304 Not Modified while nothing it would see has changed.
"""

import hashlib
from datetime import datetime, time

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date, quote_etag

from core.emails import absolute_url

from .filters import OfferFilter
from .models import Offer, SearchAlert
from .services import clean_query, describe_query, matching_offers

FEED_SIZE = 50


def public_feed(request):
    """The newest published offers of a search (the query string of "Les offres")."""
    query = clean_query(request.GET.urlencode())
    offers = OfferFilter(QueryDict(query), queryset=Offer.objects.published()).qs
    response = _feed_response(
        request,
        offers,
        title=f"AL'in — {describe_query(query)}",
        search_path=reverse("offres:list") + (f"?{query}" if query else ""),
        query=query,
    )
    # Public data: shared caches may keep it, one minute at most (freshness rule).
    patch_cache_control(response, public=True, max_age=60)
    return response


def alert_feed(request, token):
    """A saved search's offers, open to the applicant's request as on "Les offres"."""
    alert = SearchAlert.objects.select_related("user").filter(feed_token=token).first()
    if alert is None or not alert.user.is_active:
        raise Http404("Flux inconnu ou révoqué.")
    demande = getattr(alert.user, "demande", None)
    response = _feed_response(
        request,
        matching_offers(alert),
        title=f"AL'in — mon alerte « {alert.label} »",
        search_path=reverse("offres:list") + (f"?{alert.query}" if alert.query else ""),
        query=alert.query,
        # The applicant's own changes change what is open to them.
        also_changed_at=getattr(demande, "refreshed_at", None),
    )
    patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    return response


def _last_change(also_changed_at):
    """When anything the feed may show last changed: the newest change of any offer (an
    index-only read), today's start (deadlines pass at midnight without a write), and the
    applicant's request. Conservative on purpose: a false 200 costs a download, a false
    304 would hide an offer."""
    newest_offer = Offer.objects.aggregate(at=Max("updated_at"))["at"]
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    dates = [d for d in (newest_offer, midnight, also_changed_at) if d is not None]
    return max(dates).replace(microsecond=0)


def _feed_response(request, offers, *, title, search_path, query, also_changed_at=None):
    entries = list(offers.select_related("commune").order_by("-published_at", "-pk")[:FEED_SIZE])
    fingerprint = "|".join(
        [query, timezone.localdate().isoformat()]
        + [f"{o.pk}:{o.updated_at.isoformat()}" for o in entries]
    )
    etag = quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32])
    last_modified = _last_change(also_changed_at)
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if not_modified is not None:
        return not_modified

    feed = Atom1Feed(
        title=title,
        link=absolute_url(search_path),
        description="Les offres de logement social publiées sur AL'in pour cette recherche.",
        language="fr",
        feed_url=request.build_absolute_uri(),
        feed_guid=absolute_url(search_path),
        updateddate=last_modified,
    )
    for offer in entries:
        url = absolute_url(reverse("offres:detail", args=[offer.pk]))
        feed.add_item(
            title=(
                f"{offer.get_typology_display()} — {offer.commune.name} "
                f"({offer.commune.postal_code}) — {offer.total_rent:.0f} € par mois"
            ),
            link=url,
            unique_id=url,
            description=(
                f"{offer.title}. {offer.surface:.0f} m², {offer.get_kind_display().lower()}, "
                f"loyer charges comprises {offer.total_rent:.0f} €, candidatures jusqu'au "
                f"{offer.deadline:%d/%m/%Y}."
            ),
            pubdate=offer.published_at,
            updateddate=offer.updated_at,
            categories=[offer.get_typology_display(), offer.commune.name],
        )
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, settings.DEFAULT_CHARSET)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    return response
