"""Landlords and their housing offers.

Contract with later apps (candidatures relies on these names): ``Landlord``,
``LandlordMembership`` (user → landlord), ``Offer`` with ``landlord``, ``status``
(``Offer.Status``), ``deadline``, ``typology``, ``rent``, ``charges``, ``commune``,
the property ``total_rent`` and the queryset methods ``Offer.objects.published()``,
``open_to(demande)`` and ``managed_by(user)``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Landlord(models.Model):
    """A social landlord (bailleur social / organisme HLM)."""

    name = models.CharField("nom", max_length=200)
    siren = models.CharField("SIREN", max_length=9, unique=True)
    contact_email = models.EmailField("email de contact")
    contact_phone = models.CharField("téléphone", max_length=20, blank=True)

    class Meta:
        verbose_name = "bailleur"
        ordering = ["name"]

    def __str__(self):
        return self.name


class LandlordMembership(models.Model):
    """Links a landlord staff account to its landlord (created by advisors)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="landlord_membership"
    )
    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = "membre d'un bailleur"
        verbose_name_plural = "membres des bailleurs"

    def __str__(self):
        return f"{self.user} — {self.landlord}"


class Residence(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="residences")
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=255)
    commune = models.ForeignKey("territoires.Commune", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "résidence"

    def __str__(self):
        return self.name


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
        Residence, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
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
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "offre de logement"
        verbose_name_plural = "offres de logement"
        constraints = [
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
    def total_rent(self):
        """Rent with charges, the amount the 3x affordability rule compares to."""
        return self.rent + self.charges
