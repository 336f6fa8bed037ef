import copy
import logging
import re
import secrets
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.emails import absolute_url, queue_email
from territoires.models import Commune, normalise_name

from . import alerts, photos
from .freshness import bump_offers_version
from .models import AlertDelivery, Offer, OfferPhoto, SearchAlert

logger = logging.getLogger(__name__)
DIGEST_MAX_OFFERS = 20


class OfferError(Exception):
    """A refused change, explained in French."""


# What a landlord writes about an offer: the web form, import_offres and the API all
# send these keys (plain data) to validate_offer / create_offer / update_offer.
EDITABLE_FIELDS = (
    "reference",
    "title",
    "description",
    "kind",
    "typology",
    "surface",
    "floor",
    "has_lift",
    "reduced_mobility",
    "rent",
    "charges",
    "financing",
    "energy_class",
    "climate_class",
    "address",
    "commune",
    "available_from",
    "deadline",
)
MAX_SURFACE = 1000
MAX_AMOUNT = 100_000
FLOORS = (-5, 60)
MAX_DEADLINE_AFTER_AVAILABILITY = 365


class OfferInvalid(OfferError):
    """The offer's data break rules: French messages per field (``errors``)."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(" ".join(m for messages in errors.values() for m in messages))


PLACE_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>\d[0-9AB]\d{3})\)$")


def resolve_commune(value):
    """The commune an offer is in, from what a landlord types or picks: "Saint-Ouen-sur-Seine
    (93400)" (the autocomplete), an INSEE code, a postal code of a single commune, or a
    name that only one commune has. Raises OfferInvalid with the reason in French."""
    if isinstance(value, Commune):
        return value
    text = " ".join(str(value or "").split())[:120]
    if not text:
        raise OfferInvalid({"commune": ["Indiquez la commune du logement."]})
    match = PLACE_WITH_CODE.match(text)
    name, code = (match["name"], match["code"]) if match else ("", text)
    if re.fullmatch(r"\d[0-9AB]\d{3}", code.upper()):
        by_insee = Commune.objects.filter(insee_code=code.upper()).first()
        if by_insee is not None and (not name or by_insee.search_name == normalise_name(name)):
            return by_insee
        found = list(Commune.objects.filter(postal_code=code, is_district=False)[:50])
        if name:
            found = [c for c in found if c.search_name == normalise_name(name)] or found
    else:
        found = list(
            Commune.objects.filter(search_name=normalise_name(text), is_district=False)[:2]
        )
    if not found:
        raise OfferInvalid({"commune": [f"Aucune commune ne correspond à « {text} »."]})
    if len(found) > 1:
        raise OfferInvalid(
            {
                "commune": [
                    f"Plusieurs communes correspondent à « {text} » : choisissez-la dans la "
                    "liste ou indiquez son code INSEE."
                ]
            }
        )
    return found[0]


def validate_offer(*, landlord, offer=None, **data):
    """The one validation of an offer's data (web form, import_offres, API).

    Returns an unsaved offer with the data applied and converted; raises OfferInvalid
    with French messages per field. ``offer`` is the offer being changed (None for a new
    one); a new offer needs every required field.
    """
    errors = {}
    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    if unknown:
        errors["non_field_errors"] = [f"Champ(s) inconnu(s) : {', '.join(unknown)}."]
    # A copy: a refused change leaves the caller's offer as it was.
    instance = Offer(landlord=landlord) if offer is None else copy.copy(offer)
    for name, value in data.items():
        if name == "commune":
            try:
                instance.commune = resolve_commune(value)
            except OfferInvalid as exc:
                errors.update(exc.errors)
        elif name in EDITABLE_FIELDS:
            setattr(instance, name, "" if value is None and name in _TEXT_FIELDS else value)
    try:
        instance.clean_fields(exclude=["landlord", "commune", *errors])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if "commune" not in errors and instance.commune_id is None:
        errors["commune"] = ["Indiquez la commune du logement."]
    for name, message in _rule_errors(instance, creating=offer is None):
        if name not in errors:
            errors[name] = [message]
    if errors:
        raise OfferInvalid(errors)
    return instance


_TEXT_FIELDS = {"reference", "description", "energy_class", "climate_class"}


MAX_DAYS_AHEAD = 2 * 366  # an offer is published for a dwelling free within two years


def _rule_errors(offer, *, creating):
    if offer.surface is not None and not 0 < offer.surface <= MAX_SURFACE:
        yield "surface", f"La surface doit être positive ({MAX_SURFACE} m² au plus)."
    for name in ("rent", "charges"):
        amount = getattr(offer, name)
        if amount is not None and amount < 0:
            yield name, "Le montant ne peut pas être négatif."
        elif amount is not None and amount > MAX_AMOUNT:
            yield name, f"Le montant ne peut pas dépasser {MAX_AMOUNT} €."
    if offer.floor is not None and not FLOORS[0] <= offer.floor <= FLOORS[1]:
        yield "floor", f"L'étage va de {FLOORS[0]} à {FLOORS[1]}."
    deadline, available = offer.deadline, offer.available_from
    horizon = timezone.localdate() + timezone.timedelta(days=MAX_DAYS_AHEAD)
    for name, day in (("available_from", available), ("deadline", deadline)):
        if day and day > horizon:
            # 9999-12-31 would also overflow the date arithmetic below.
            yield name, "La date doit être dans les deux ans à venir."
    if (deadline and deadline > horizon) or (available and available > horizon):
        return
    if creating and deadline and deadline < timezone.localdate():
        yield "deadline", "La date limite de candidature ne peut pas être passée."
    if (
        deadline
        and available
        and deadline > available + timezone.timedelta(days=MAX_DEADLINE_AFTER_AVAILABILITY)
    ):
        yield "deadline", "La date limite est trop éloignée de la disponibilité."
    if (
        offer.reference
        and Offer.objects.filter(landlord_id=offer.landlord_id, reference=offer.reference)
        .exclude(pk=offer.pk)
        .exists()
    ):
        yield "reference", "Vous avez déjà une offre avec cette référence."


def _save(instance):
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # two writers, same reference: the constraint decides
        raise OfferInvalid(
            {"reference": ["Vous avez déjà une offre avec cette référence."]}
        ) from exc
    return instance


@transaction.atomic
def create_offer(*, landlord, **data):
    """A new offer, in draft (publish it with ``publish``)."""
    return _save(validate_offer(landlord=landlord, **data))


@transaction.atomic
def update_offer(*, offer, **data):
    """Change some fields of an offer (the others stay as they are)."""
    if offer.status == Offer.Status.ALLOCATED:
        raise OfferError("Une offre attribuée ne peut plus être modifiée.")
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    return _save(validate_offer(landlord=locked.landlord, offer=locked, **data))


@transaction.atomic
def import_offer(*, landlord, reference, publish_it, **data):
    """Create or update the landlord's offer with this reference (import_offres), then
    publish it or keep it in draft. Returns (offer, created). A re-import keeps the
    publication date; an allocated offer is left alone (OfferError)."""
    offer = Offer.objects.select_for_update().filter(landlord=landlord, reference=reference).first()
    if offer is None:
        offer, created = create_offer(landlord=landlord, reference=reference, **data), True
    else:
        if offer.status == Offer.Status.ALLOCATED:
            raise OfferError("offre déjà attribuée, non modifiée")
        offer, created = update_offer(offer=offer, **data), False
    if publish_it and offer.status != Offer.Status.PUBLISHED:
        publish(offer=offer)
    elif not publish_it and offer.status != Offer.Status.DRAFT:
        offer.status, offer.published_at = Offer.Status.DRAFT, None
        offer.save(update_fields=["status", "published_at", "updated_at"])
    return offer, created


@transaction.atomic
def publish(*, offer):
    if offer.status not in (Offer.Status.DRAFT, Offer.Status.CLOSED):
        raise OfferError("Seule une offre en brouillon ou clôturée peut être publiée.")
    if offer.deadline < timezone.localdate():
        raise OfferError("La date limite de candidature est passée : modifiez-la avant de publier.")
    offer.status = Offer.Status.PUBLISHED
    offer.published_at = timezone.now()
    offer.save(update_fields=["status", "published_at", "updated_at"])
    alerts.schedule_matching(offer)
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


def check_photos(*, offer, files):
    """The checks of an upload of photos (web form and API): how many at once, how many
    per offer, and each file a real image under the limits. Raises OfferInvalid (key
    ``photos``) with every reason in French."""
    problems = []
    if not files:
        problems.append("Choisissez au moins une photo.")
    elif len(files) > photos.MAX_PER_UPLOAD:
        problems.append(
            f"Vous avez choisi {len(files)} photos : {photos.MAX_PER_UPLOAD} à la fois au maximum."
        )
    elif offer is not None:
        room = photos.MAX_PER_OFFER - offer.photos.count()
        if len(files) > room:
            problems.append(
                f"Une offre a au plus {photos.MAX_PER_OFFER} photos : vous pouvez encore "
                f"en ajouter {max(room, 0)}."
            )
    if not problems:
        pixels = []
        for uploaded in files:
            try:
                # Headers only: add_photos decodes each file once, to re-encode it.
                pixels.append(photos.inspect(uploaded))
            except ValidationError as exc:
                prefix = f"{uploaded.name} : " if len(files) > 1 else ""
                problems.extend(f"{prefix}{message}" for message in exc.messages)
        if not problems:
            try:
                photos.check_budget(pixels)
            except ValidationError as exc:
                problems.extend(exc.messages)
    if problems:
        raise OfferInvalid({"photos": problems})


@transaction.atomic
def add_photos(*, offer, files, alt="", checked=False):
    """Save several uploaded photos, re-encoded with thumbnails: all of them or none."""
    if not checked:
        check_photos(offer=offer, files=files)
    position = offer.photos.count()
    saved = []
    for uploaded in files:
        try:
            image = photos.read_image(uploaded)  # each file decoded once, here
        except ValidationError as exc:  # e.g. a truncated file with sound headers
            raise OfferInvalid({"photos": [f"{uploaded.name} : {exc.messages[0]}"]}) from exc
        full, thumb = photos.encode(image)
        image.close()
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
    if closing:
        # bulk_update sends no post_save: the cached searches learn it here.
        bump_offers_version()
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


ALERTS_PER_USER = 20
ALERT_QUERY_MAX = 500  # a search of every criterion is about 150 characters
# Short enough for the digest's subject line (255 characters with its wording).
ALERT_LABEL_MAX = 100


class AlertError(Exception):
    """An alert that cannot be saved, with the reason in French."""


@transaction.atomic
def create_alert(*, user, query_string):
    """Save a search as an alert: only valid search criteria, bounded in size."""
    from .filters import OfferFilter

    query = clean_query(query_string)
    if len(query) > ALERT_QUERY_MAX or not OfferFilter(QueryDict(query)).form.is_valid():
        raise AlertError(
            "Cette recherche ne peut pas être enregistrée comme alerte : vérifiez vos critères."
        )
    existing = SearchAlert.objects.filter(user=user, query=query).first()
    if existing is not None:
        return existing
    if SearchAlert.objects.filter(user=user).count() >= ALERTS_PER_USER:
        raise AlertError(
            f"Vous avez déjà {ALERTS_PER_USER} alertes : supprimez-en une pour en créer une autre."
        )
    label = describe_query(query)
    if len(label) > ALERT_LABEL_MAX:
        label = label[: ALERT_LABEL_MAX - 1] + "…"
    alert = SearchAlert.objects.create(user=user, query=query, label=label)
    alerts.store_criteria(alert)
    return alert


@transaction.atomic
def set_alert_frequency(*, alert, frequency):
    """Immediate emails (at most one an hour) or a daily digest."""
    if frequency not in SearchAlert.Frequency.values:
        raise OfferError("Choisissez la fréquence des emails de cette alerte.")
    alert.frequency = frequency
    alert.save(update_fields=["frequency"])
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
        try:
            sent += _send_digest(alert, now)
        except Exception:
            # One broken alert (a stored query the search no longer accepts, a bad
            # address…) never stops the others' digests; it is retried next run.
            logger.exception("Alerte %s : envoi du récapitulatif impossible", alert.pk)
    return sent


def _send_digest(alert, now):
    """One alert's digest, in its own transaction: 1 if sent, 0 if nothing new."""
    with transaction.atomic():
        offers = list(
            matching_offers(alert)
            .exclude(pk__in=AlertDelivery.objects.filter(alert=alert).values("offer"))
            .select_related("commune")[:DIGEST_MAX_OFFERS]
        )
        if not offers:
            return 0
        AlertDelivery.objects.bulk_create(
            [AlertDelivery(alert=alert, offer=offer, sent_at=now) for offer in offers]
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
    return 1
