"""Landlords and their housing offers.

Contract with later apps (candidatures relies on these names): ``Landlord``,
``LandlordMembership`` (user → landlord), ``Offer`` with ``landlord``, ``status``
(``Offer.Status``), ``deadline``, ``typology``, ``rent``, ``charges``, ``commune``,
the property ``total_rent`` and the queryset methods ``Offer.objects.published()``,
``open_to(demande)`` and ``managed_by(user)``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.memberships import Membership
from accounts.models import User
from territoires.models import Zone


class Landlord(models.Model):
    """A social landlord (bailleur social / organisme HLM)."""

    name = models.CharField("nom", max_length=200)
    siren = models.CharField("SIREN", max_length=9, unique=True)
    contact_email = models.EmailField("email de contact")
    contact_phone = models.CharField("téléphone", max_length=20, blank=True)

    class Meta:
        verbose_name = "bailleur"
        verbose_name_plural = "bailleurs"
        ordering = ["name"]

    def __str__(self):
        return self.name


class LandlordMembership(Membership):
    """A landlord's staff member; its administrators invite and remove colleagues
    (the generic pattern of ``accounts.memberships``)."""

    organisation_field = "landlord"
    member_role = User.Role.LANDLORD

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="landlord_membership",
        verbose_name="membre",
    )
    landlord = models.ForeignKey(
        Landlord, on_delete=models.CASCADE, related_name="members", verbose_name="bailleur"
    )

    class Meta:
        verbose_name = "membre d'un bailleur"
        verbose_name_plural = "membres des bailleurs"

    def __str__(self):
        return f"{self.user} — {self.landlord}"


class Residence(models.Model):
    landlord = models.ForeignKey(
        Landlord, on_delete=models.CASCADE, related_name="residences", verbose_name="bailleur"
    )
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=255)
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )

    class Meta:
        verbose_name = "résidence"
        verbose_name_plural = "résidences"

    def __str__(self):
        return self.name


class OfferQuerySet(models.QuerySet):
    def published(self):
        """Offers visible to the public: published and still open for applications."""
        return self.filter(status=Offer.Status.PUBLISHED, deadline__gte=timezone.localdate())

    def open_to(self, demande):
        """Offers the applicant may apply to: every eligibility rule holds (in SQL)."""
        from .eligibility import open_offers_filter

        return self.published().filter(open_offers_filter(demande))

    def managed_by(self, user):
        """Offers of the landlord the staff member belongs to (none for anyone else)."""
        membership = getattr(user, "landlord_membership", None) if user.is_authenticated else None
        if membership is None:
            return self.none()
        return self.filter(landlord_id=membership.landlord_id)


class Offer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "brouillon", "Brouillon"
        PUBLISHED = "publiee", "Publiée"
        CLOSED = "cloturee", "Clôturée"
        ALLOCATED = "attribuee", "Attribuée"

    class Kind(models.TextChoices):
        APARTMENT = "appartement", "Appartement"
        HOUSE = "maison", "Maison"

    class Typology(models.IntegerChoices):
        T1 = 1, "T1"
        T2 = 2, "T2"
        T3 = 3, "T3"
        T4 = 4, "T4"
        T5 = 5, "T5"
        T6 = 6, "T6 et plus"

    class Financing(models.TextChoices):
        PLAI = "PLAI", "PLAI"
        PLUS = "PLUS", "PLUS"
        PLS = "PLS", "PLS"
        PLI = "PLI", "PLI"

    class EnergyClass(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"
        E = "E", "E"
        F = "F", "F"
        G = "G", "G"

    landlord = models.ForeignKey(
        Landlord, on_delete=models.PROTECT, related_name="offers", verbose_name="bailleur"
    )
    residence = models.ForeignKey(
        Residence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name="résidence",
    )
    reference = models.CharField("référence du bailleur", max_length=50, blank=True)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    kind = models.CharField("type", max_length=12, choices=Kind.choices, default=Kind.APARTMENT)
    typology = models.PositiveSmallIntegerField("typologie", choices=Typology.choices)
    surface = models.DecimalField("surface (m²)", max_digits=6, decimal_places=2)
    floor = models.SmallIntegerField("étage", default=0)
    has_lift = models.BooleanField("ascenseur", default=False)
    reduced_mobility = models.BooleanField("adapté aux personnes à mobilité réduite", default=False)
    rent = models.DecimalField("loyer hors charges (€)", max_digits=8, decimal_places=2)
    charges = models.DecimalField("charges (€)", max_digits=8, decimal_places=2, default=0)
    financing = models.CharField("financement", max_length=4, choices=Financing.choices)
    energy_class = models.CharField("DPE", max_length=1, choices=EnergyClass.choices, blank=True)
    climate_class = models.CharField("GES", max_length=1, choices=EnergyClass.choices, blank=True)
    address = models.CharField("adresse", max_length=255)
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    available_from = models.DateField("disponible dès le")
    deadline = models.DateField("date limite de candidature")
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    # Set once the saved searches were matched against the published offer; empty while
    # the matching is due (a periodic task retries what a lost task left undone).
    alerts_matched_at = models.DateTimeField(
        "alertes traitées le", null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = OfferQuerySet.as_manager()

    # Audit trail visible to advisors in the admin (who changed what, when); the alerts'
    # bookkeeping is not a change of the offer.
    history = HistoricalRecords(excluded_fields=["alerts_matched_at"])

    class Meta:
        verbose_name = "offre de logement"
        verbose_name_plural = "offres de logement"
        indexes = [
            models.Index(
                fields=["commune", "typology", "deadline"],
                name="offer_open_by_place",
                condition=models.Q(status="publiee"),
            ),
            models.Index(
                fields=["deadline"],
                name="offer_published_deadline",
                condition=models.Q(status="publiee"),
            ),
            models.Index(
                fields=["-published_at"],
                name="offer_published_recent",
                condition=models.Q(status="publiee"),
            ),
            # The feeds' Last-Modified: the newest change of any offer, read from the index.
            models.Index(fields=["updated_at"], name="offer_updated_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["landlord", "reference"],
                name="offer_unique_landlord_reference",
                condition=~models.Q(reference=""),
            ),
            models.CheckConstraint(
                condition=models.Q(rent__gte=0, charges__gte=0), name="offer_rent_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(surface__gt=0), name="offer_surface_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(typology__gte=1, typology__lte=6), name="offer_typology_1_to_6"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="publiee") | models.Q(published_at__isnull=False),
                name="offer_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def total_rent(self):
        """Rent with charges, the amount the 3x affordability rule compares to."""
        return self.rent + self.charges


def _photo_path(instance, filename):
    return f"offres/{instance.offer_id}/{secrets.token_hex(12)}.jpg"


class OfferPhoto(models.Model):
    """A photo, validated and re-encoded as JPEG on upload, with its thumbnail."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="photos", verbose_name="offre"
    )
    image = models.ImageField("photo", upload_to=_photo_path)
    thumbnail = models.ImageField("vignette", upload_to=_photo_path)
    alt = models.CharField("description de la photo", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        verbose_name = "photo"
        verbose_name_plural = "photos"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt or f"Photo {self.pk}"


class ResourceCeiling(models.Model):
    """Annual resource ceiling (revenu fiscal de référence N-2) for one financing, zone and
    household category; ``extra_person`` is added per person beyond category 6."""

    year = models.PositiveSmallIntegerField("année")
    financing = models.CharField("financement", max_length=4, choices=Offer.Financing.choices)
    zone = models.CharField("zone", max_length=6, choices=Zone.choices)
    category = models.PositiveSmallIntegerField("catégorie de ménage")
    amount = models.PositiveIntegerField("plafond (€/an)")
    extra_person = models.PositiveIntegerField("par personne supplémentaire (€)", default=0)
    source = models.CharField("source", max_length=255, blank=True)

    class Meta:
        verbose_name = "plafond de ressources"
        verbose_name_plural = "plafonds de ressources"
        ordering = ["-year", "financing", "zone", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "financing", "zone", "category"], name="ceiling_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(category__gte=1, category__lte=6), name="ceiling_category_1_6"
            ),
        ]

    def __str__(self):
        return (
            f"{self.financing} {self.year} — {self.get_zone_display()} — catégorie {self.category}"
        )


class SearchAlert(models.Model):
    """A saved search. New matching offers are emailed as soon as they are published
    (at most one email an hour) or in a daily digest, as the applicant chose; an offer is
    never sent twice. The search criteria are also stored as columns (see
    ``offres.alerts``) so that a new offer finds its alerts in one query."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Dès la publication (au plus un email par heure)"
        DAILY = "quotidienne", "Une fois par jour"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="search_alerts",
        verbose_name="demandeur",
    )
    query = models.CharField("recherche", max_length=1000)
    label = models.CharField("intitulé", max_length=255)
    token = models.CharField(
        "jeton de désabonnement", max_length=64, unique=True, default=secrets.token_urlsafe
    )
    # The Atom feed's secret address; replaced (so the old one stops working) on request.
    feed_token = models.CharField(
        "jeton du flux", max_length=64, unique=True, default=secrets.token_urlsafe
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    last_sent_at = models.DateTimeField("dernier envoi le", null=True, blank=True)
    frequency = models.CharField(
        "fréquence", max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    last_immediate_at = models.DateTimeField("dernier envoi immédiat", null=True, blank=True)
    # The criteria of ``query``, as columns (0 / empty / null: any).
    typology_mask = models.PositiveSmallIntegerField("typologies (bits)", default=0)
    kind_mask = models.PositiveSmallIntegerField("types (bits)", default=0)
    rent_min = models.DecimalField(
        "loyer minimum", max_digits=8, decimal_places=2, null=True, blank=True
    )
    rent_max = models.DecimalField(
        "loyer maximum", max_digits=8, decimal_places=2, null=True, blank=True
    )
    reduced_mobility_only = models.BooleanField("PMR seulement", default=False)
    available_now_only = models.BooleanField("disponibles immédiatement seulement", default=False)
    place_anywhere = models.BooleanField("partout", default=True)
    place_departments = models.ManyToManyField(
        "territoires.Department", blank=True, related_name="+", verbose_name="départements"
    )
    place_communes = models.ManyToManyField(
        "territoires.Commune", blank=True, related_name="+", verbose_name="communes"
    )

    class Meta:
        verbose_name = "alerte"
        verbose_name_plural = "alertes"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "query"], name="alert_unique_search")
        ]

    def __str__(self):
        return self.label


class AlertDelivery(models.Model):
    """An offer matched for an alert: sent (``sent_at``), or waiting for the alert's
    next hourly email (``sent_at`` empty). Never matched, so never sent, twice."""

    alert = models.ForeignKey(
        SearchAlert, on_delete=models.CASCADE, related_name="deliveries", verbose_name="alerte"
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="+", verbose_name="offre"
    )
    matched_at = models.DateTimeField("trouvée le", default=timezone.now)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi d'alerte"
        verbose_name_plural = "envois d'alertes"
        constraints = [models.UniqueConstraint(fields=["alert", "offer"], name="alert_offer_once")]
        indexes = [
            models.Index(
                fields=["alert"], name="alert_delivery_pending", condition=models.Q(sent_at=None)
            )
        ]

    def __str__(self):
        return f"{self.alert} → {self.offer_id}"
