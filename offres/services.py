import logging
import secrets
from urllib.parse import urlencode

from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.emails import absolute_url, queue_email

from . import photos
from .models import AlertDelivery, Offer, OfferPhoto, SearchAlert

logger = logging.getLogger(__name__)
DIGEST_MAX_OFFERS = 20


class OfferError(Exception):
    """A refused change, explained in French."""


@transaction.atomic
def save_offer(*, form, landlord):
    offer = form.save(commit=False)
    offer.landlord = landlord
    offer.save()
    return offer


@transaction.atomic
def publish(*, offer):
    if offer.status not in (Offer.Status.DRAFT, Offer.Status.CLOSED):
        raise OfferError("Seule une offre en brouillon ou clôturée peut être publiée.")
    if offer.deadline < timezone.localdate():
        raise OfferError("La date limite de candidature est passée : modifiez-la avant de publier.")
    offer.status = Offer.Status.PUBLISHED
    offer.published_at = timezone.now()
    offer.save(update_fields=["status", "published_at", "updated_at"])
    return offer


@transaction.atomic
def close(*, offer):
    if offer.status != Offer.Status.PUBLISHED:
        raise OfferError("Seule une offre publiée peut être clôturée.")
    offer.status = Offer.Status.CLOSED
    offer.save(update_fields=["status", "updated_at"])
    return offer


@transaction.atomic
def mark_allocated(*, offer):
    """The offer found its tenant (called by the candidatures pipeline)."""
    offer.status = Offer.Status.ALLOCATED
    offer.save(update_fields=["status", "updated_at"])
    return offer


@transaction.atomic
def add_photos(*, offer, files, alt=""):
    """Save several uploaded photos, re-encoded with thumbnails: all of them or none."""
    position = offer.photos.count()
    saved = []
    for uploaded in files:
        full, thumb = photos.encode(photos.read_image(uploaded))
        photo = OfferPhoto(offer=offer, alt=alt[:200], position=position)
        photo.image.save("photo.jpg", full, save=False)
        photo.thumbnail.save("vignette.jpg", thumb, save=False)
        photo.save()
        saved.append(photo)
        position += 1
    return saved


def add_photo(*, offer, uploaded, alt=""):
    return add_photos(offer=offer, files=[uploaded], alt=alt)[0]


@transaction.atomic
def close_offers(*, offers, user=None, reason="Clôture"):
    """Close the published offers among ``offers``; each closing is kept in the offer's
    history (who, when, why). Returns how many were closed."""
    now = timezone.now()
    closing = list(offers.filter(status=Offer.Status.PUBLISHED).select_for_update(of=("self",)))
    for offer in closing:
        offer.status = Offer.Status.CLOSED
        offer.updated_at = now
    bulk_update_with_history(
        closing,
        Offer,
        ["status", "updated_at"],
        batch_size=500,
        default_user=user,
        default_change_reason=reason,
    )
    return len(closing)


def close_expired_offers(today=None):
    """Close every published offer whose application deadline has passed."""
    today = today or timezone.localdate()
    return close_offers(
        offers=Offer.objects.filter(deadline__lt=today),
        reason="Date limite de candidature dépassée",
    )


ALERT_KEYS = ("typologie", "type", "loyer_min", "loyer_max", "pmr", "disponible", "lieu")


def clean_query(query_string):
    """Keep only the search criteria of a query string (no page, no sort, no view)."""
    data = QueryDict(query_string or "")
    kept = [(key, value) for key in ALERT_KEYS for value in data.getlist(key) if value]
    return urlencode(kept)


def describe_query(query):
    data = QueryDict(query)
    parts = []
    if data.getlist("typologie"):
        parts.append(" - ".join(f"T{t}" for t in data.getlist("typologie")))
    if data.getlist("type"):
        parts.append(" / ".join(t.capitalize() for t in data.getlist("type")))
    if data.get("lieu"):
        parts.append(data["lieu"])
    if data.get("loyer_max"):
        parts.append(f"jusqu'à {data['loyer_max']} €")
    if data.get("pmr"):
        parts.append("PMR")
    return ", ".join(parts) or "Toutes les offres"


@transaction.atomic
def create_alert(*, user, query_string):
    query = clean_query(query_string)
    alert, _ = SearchAlert.objects.get_or_create(
        user=user, query=query, defaults={"label": describe_query(query)}
    )
    return alert


@transaction.atomic
def renew_feed_token(*, alert):
    """Give the alert's feed a new secret address: the old one stops working at once."""
    alert.feed_token = secrets.token_urlsafe()
    alert.save(update_fields=["feed_token"])
    return alert


def matching_offers(alert):
    """Published offers matching the alert's search (and open to the applicant if they
    imported a request)."""
    from .filters import OfferFilter

    demande = getattr(alert.user, "demande", None)
    base = Offer.objects.open_to(demande) if demande else Offer.objects.published()
    return OfferFilter(QueryDict(alert.query), queryset=base).qs


def send_alert_digests(now=None):
    """Email each alert its new matching offers: one digest a day at most, an offer
    never twice."""
    now = now or timezone.now()
    sent = 0
    alerts = SearchAlert.objects.select_related("user").filter(user__is_active=True)
    for alert in alerts:
        if alert.last_sent_at and now - alert.last_sent_at < timezone.timedelta(hours=23):
            continue
        with transaction.atomic():
            offers = list(
                matching_offers(alert)
                .exclude(pk__in=AlertDelivery.objects.filter(alert=alert).values("offer"))
                .select_related("commune")[:DIGEST_MAX_OFFERS]
            )
            if not offers:
                continue
            AlertDelivery.objects.bulk_create(
                [AlertDelivery(alert=alert, offer=offer) for offer in offers]
            )
            alert.last_sent_at = now
            alert.save(update_fields=["last_sent_at"])
            queue_email(
                alert.user.email,
                "offres/email/alert_digest",
                {
                    "alert": alert,
                    "offers": [
                        (o, absolute_url(reverse("offres:detail", args=[o.pk]))) for o in offers
                    ],
                    "search_url": absolute_url(reverse("offres:list") + "?" + alert.query),
                    "unsubscribe_url": absolute_url(
                        reverse("offres:alert_unsubscribe", args=[alert.token])
                    ),
                },
            )
            sent += 1
    return sent
