"""Immediate alerts: a newly published offer finds, in one query, the saved searches it
matches — their criteria (stored as columns) and the eligibility of their owner's
request (``eligibility.demandes_open_to``, the rules read the other way) — and each
of them gets an email within minutes, at most one an hour; an offer published while an
alert waits for its hour is sent with the next email. An offer is never sent twice for
one alert (``AlertDelivery``, unique).

Durability: ``publish`` leaves ``Offer.alerts_matched_at`` empty and asks for the
matching after commit; a periodic task retries the offers still waiting, so a lost
message delays an alert, never drops it.
"""

import logging
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, queue_email
from demandes.models import Demande
from territoires.models import Department

from .eligibility import demandes_open_to
from .filters import OfferFilter, place_of
from .models import AlertDelivery, Offer, SearchAlert

logger = logging.getLogger(__name__)

COOLDOWN = timedelta(hours=1)
RETRY_WINDOW = timedelta(days=1)  # an older publication is left to the daily digest
KIND_BITS = {kind: 1 << index for index, kind in enumerate(Offer.Kind.values)}


def typology_bit(typology):
    return 1 << int(typology)


# Criteria -------------------------------------------------------------------------


def store_criteria(alert):
    """Copy the alert's search (its query string, read by the search's own filter form)
    into columns. Called when the alert is created."""
    form = OfferFilter(QueryDict(alert.query), queryset=Offer.objects.none()).form
    data = form.cleaned_data if form.is_valid() else {}
    alert.typology_mask = sum(typology_bit(t) for t in set(data.get("typologie") or []))
    alert.kind_mask = sum(KIND_BITS[k] for k in set(data.get("type") or []))
    alert.rent_min = data.get("loyer_min")
    alert.rent_max = data.get("loyer_max")
    alert.reduced_mobility_only = bool(data.get("pmr"))
    alert.available_now_only = bool(data.get("disponible"))
    place = place_of(data.get("lieu") or "")
    alert.place_anywhere = place.anywhere
    alert.save(
        update_fields=[
            "typology_mask",
            "kind_mask",
            "rent_min",
            "rent_max",
            "reduced_mobility_only",
            "available_now_only",
            "place_anywhere",
        ]
    )
    # A code of no known department designates no offer: nothing to link.
    alert.place_departments.set(Department.objects.filter(code__in=place.departments))
    communes = place.commune_set()
    alert.place_communes.set(communes.values_list("pk", flat=True) if communes is not None else [])


def alerts_matching(offer, *, today=None):
    """Every immediate alert whose search and whose owner's request the offer matches
    (one SQL query; alerts of users without a request match on the search alone)."""
    today = today or timezone.localdate()
    total = offer.rent + offer.charges
    alerts = (
        SearchAlert.objects.filter(user__is_active=True, frequency=SearchAlert.Frequency.IMMEDIATE)
        .alias(
            typology_hit=F("typology_mask").bitand(typology_bit(offer.typology)),
            kind_hit=F("kind_mask").bitand(KIND_BITS[offer.kind]),
        )
        .filter(
            Q(typology_mask=0) | Q(typology_hit__gt=0),
            Q(kind_mask=0) | Q(kind_hit__gt=0),
            Q(rent_min__isnull=True) | Q(rent_min__lte=total),
            Q(rent_max__isnull=True) | Q(rent_max__gte=total),
        )
    )
    if not offer.reduced_mobility:
        alerts = alerts.filter(reduced_mobility_only=False)
    if offer.available_from > today:
        alerts = alerts.filter(available_now_only=False)
    # IN (subquery) rather than EXISTS: PostgreSQL reads each link table once into a
    # hash instead of probing it for every alert (measured: bench_alert_matching).
    in_commune = SearchAlert.place_communes.through.objects.filter(
        commune_id=offer.commune_id
    ).values("searchalert_id")
    in_department = SearchAlert.place_departments.through.objects.filter(
        department_id=offer.commune.department_id
    ).values("searchalert_id")
    alerts = alerts.filter(Q(place_anywhere=True) | Q(pk__in=in_commune) | Q(pk__in=in_department))
    # EXISTS probes, per alert left after the cheap filters, the owner's one request by
    # its unique user_id; NOT IN over every request would rescan them for each alert
    # once they outgrow work_mem (300 000 requests: 85 s instead of a fraction).
    eligible = Exists(demandes_open_to(offer).filter(user_id=OuterRef("user_id")))
    has_request = Exists(Demande.objects.filter(user_id=OuterRef("user_id")))
    already = AlertDelivery.objects.filter(alert=OuterRef("pk"), offer=offer)
    return alerts.filter(eligible | ~has_request).exclude(Exists(already))


# Publication → matching → emails ------------------------------------------------


def schedule_matching(offer):
    """Called by ``services.publish`` inside its transaction."""
    from .tasks import match_new_offer

    Offer.objects.filter(pk=offer.pk).update(alerts_matched_at=None)
    transaction.on_commit(lambda: match_new_offer.delay(offer.pk))


def without_jit():
    """Inside a transaction: no JIT compilation for its queries (PostgreSQL).

    The matching query's estimated cost is high (a correlated probe per alert), so
    PostgreSQL would compile it: 2.6 s of JIT for a query that runs in 0.6 s at
    100 000 alerts and 300 000 requests (measured: bench_alert_matching)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def match_new_offer(offer_id, now=None):
    """Record the offer for every alert it matches, then send the alerts whose hour has
    passed. Idempotent: a second run finds nothing new."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("commune")
            .filter(pk=offer_id, status=Offer.Status.PUBLISHED, alerts_matched_at=None)
            .first()
        )
        if offer is None:
            return 0
        without_jit()
        matched = list(alerts_matching(offer).values_list("pk", flat=True))
        AlertDelivery.objects.bulk_create(
            [AlertDelivery(alert_id=pk, offer=offer, matched_at=now) for pk in matched],
            ignore_conflicts=True,
        )
        Offer.objects.filter(pk=offer.pk).update(alerts_matched_at=now)
    send_due(now=now, alert_ids=matched)
    return len(matched)


def send_due(now=None, alert_ids=None):
    """Email each immediate alert its matched offers not sent yet, if its last email is
    an hour old (or it never had one). Returns the number of emails."""
    now = now or timezone.now()
    due = SearchAlert.objects.filter(
        Q(last_immediate_at__isnull=True) | Q(last_immediate_at__lte=now - COOLDOWN),
        Exists(AlertDelivery.objects.filter(alert=OuterRef("pk"), sent_at=None)),
        frequency=SearchAlert.Frequency.IMMEDIATE,
        user__is_active=True,
    )
    if alert_ids is not None:
        due = due.filter(pk__in=alert_ids)
    sent = 0
    for alert_id in due.values_list("pk", flat=True):
        # One alert at a time, each in its own transaction: a failure is logged with the
        # alert and the others are still sent.
        try:
            sent += _send_one(alert_id, now)
        except Exception:  # noqa: BLE001 (any failure: logged, the next alert still goes)
            logger.exception("Alerte immédiate %s non envoyée", alert_id)
    return sent


@transaction.atomic
def _send_one(alert_id, now):
    alert = (
        SearchAlert.objects.select_for_update()
        .select_related("user")
        .filter(
            Q(last_immediate_at__isnull=True) | Q(last_immediate_at__lte=now - COOLDOWN),
            pk=alert_id,
        )
        .first()
    )
    if alert is None:  # sent meanwhile by another worker
        return 0
    pending = list(
        alert.deliveries.filter(sent_at=None)
        .select_related("offer", "offer__commune")
        .order_by("matched_at", "pk")
    )
    offers = [d.offer for d in pending if d.offer.status == Offer.Status.PUBLISHED]
    AlertDelivery.objects.filter(pk__in=[d.pk for d in pending]).update(sent_at=now)
    if not offers:  # closed meanwhile: nothing worth an email
        return 0
    alert.last_immediate_at = now
    alert.save(update_fields=["last_immediate_at"])
    queue_email(
        alert.user.email,
        "offres/email/alert_digest",
        {
            "alert": alert,
            "offers": [(o, absolute_url(reverse("offres:detail", args=[o.pk]))) for o in offers],
            "search_url": absolute_url(reverse("offres:list") + "?" + alert.query),
            "unsubscribe_url": absolute_url(
                reverse("offres:alert_unsubscribe", args=[alert.token])
            ),
        },
    )
    return 1


def retry_unmatched(now=None):
    """Periodic: match the offers published in the last day whose matching was lost,
    then send what waited for its hour."""
    now = now or timezone.now()
    waiting = Offer.objects.filter(
        status=Offer.Status.PUBLISHED,
        alerts_matched_at=None,
        published_at__gte=now - RETRY_WINDOW,
    ).values_list("pk", flat=True)
    for offer_id in list(waiting):
        match_new_offer(offer_id, now=now)
    return send_due(now=now)
