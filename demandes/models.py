"""The applicant's social-housing request, as imported from the national registry.

The portal does not own requests: ``RegistryRecord`` holds the registry's copy
(filled by ``import_registre``), ``Demande`` the applicant's imported snapshot.

Contract with later apps (offres, candidatures rely on these names): ``Demande.user``,
``number``, ``household_size``, ``household_category``, ``fiscal_income``,
``monthly_resources``, ``housing_allowance``, ``desired_communes``,
``desired_departments``, ``desired_typologies``, ``reduced_mobility``,
``legal_priority``, ``company_priority``, ``company_designation``, ``first_filed_on``,
``documents_confirmed_at`` and the properties ``resources_with_allowance`` and
``can_apply``.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from . import validity


class RegistryRecord(models.Model):
    """The national registry's copy of a request (SNE), held in the portal's database.

    This is the one working backend of ``demandes.registry``: ``import_registre``
    fills it from the registry's JSON export. ``data`` keeps the record as received.
    """

    number = models.CharField("numéro unique", max_length=18, unique=True)
    email = models.EmailField("email de la demande")
    birth_name = models.CharField("nom de naissance", max_length=150)
    first_name = models.CharField("prénom", max_length=150)
    birth_date = models.DateField("date de naissance")
    data = models.JSONField("contenu")
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "demande du registre national"
        verbose_name_plural = "registre national (SNE)"

    def __str__(self):
        return self.number


class AccessCode(models.Model):
    """A 6-digit code emailed to a request's address to prove the applicant owns it.

    Stored hashed; valid 24 hours; used once; 5 wrong tries at most.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_codes",
        verbose_name="demandeur",
    )
    number = models.CharField("numéro unique", max_length=18)
    code_hash = models.CharField("code (chiffré)", max_length=128)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    failed_attempts = models.PositiveSmallIntegerField("essais erronés", default=0)
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)

    class Meta:
        verbose_name = "code d'accès"
        verbose_name_plural = "codes d'accès"
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(failed_attempts__lte=5), name="access_code_max_5_failures"
            )
        ]

    def __str__(self):
        return f"{self.number} ({self.created_at:%d/%m/%Y %H:%M})"


class Demande(models.Model):
    class ProfessionalSituation(models.TextChoices):
        CDI = "cdi", "CDI"
        PUBLIC = "public", "Agents publics"
        CDD = "cdd", "CDD / Stagiaire / intérim"
        SELF_EMPLOYED = "independant", "Artisan / commerçant / profession libérale"
        JOB_SEEKER = "chomage", "Demandeur d'emploi"
        APPRENTICE = "apprenti", "Apprenti"
        STUDENT = "etudiant", "Etudiant"
        RETIRED = "retraite", "Retraité"
        OTHER = "autre", "Autre"

    class DataSharing(models.IntegerChoices):
        ANONYMOUS = 1, "Je souhaite rester anonyme"
        IDENTITY = 2, "Mon entreprise voit mes nom, prénom et date de naissance"
        MOST = 3, "Mon entreprise voit une grande partie de ma demande"
        DELEGATED = 4, "Je délègue la gestion de ma demande à mon entreprise"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="demande",
        verbose_name="demandeur",
    )
    number = models.CharField("numéro unique", max_length=18, unique=True)
    # Identity as read from the registry at import: an update whose identity differs
    # is refused (the request must be deleted and imported again).
    birth_name = models.CharField("nom de naissance", max_length=150)
    usage_name = models.CharField("nom d'usage", max_length=150, blank=True)
    first_name = models.CharField("prénom", max_length=150)
    birth_date = models.DateField("date de naissance")
    email = models.EmailField("email de la demande")
    civility = models.CharField("civilité", max_length=3, blank=True)
    mobile_phone = PhoneNumberField("téléphone portable", blank=True)
    landline_phone = PhoneNumberField("téléphone fixe", blank=True)
    co_applicant = models.JSONField("co-demandeur", null=True, blank=True)
    household_members = models.JSONField("membres du ménage", default=list, blank=True)

    household_size = models.PositiveSmallIntegerField("nombre de personnes")
    household_category = models.PositiveSmallIntegerField(
        "catégorie de ménage", help_text="1 à 6 (arrêté du 29 juillet 1987); au-delà, 6."
    )
    extra_persons = models.PositiveSmallIntegerField(
        "personnes au-delà de la catégorie 6", default=0
    )
    fiscal_income = models.PositiveIntegerField("revenu fiscal de référence (€/an)")
    monthly_resources = models.DecimalField(
        "ressources mensuelles (€)", max_digits=9, decimal_places=2
    )
    housing_allowance = models.DecimalField(
        "aide au logement mensuelle (€)", max_digits=8, decimal_places=2, default=Decimal("0")
    )
    desired_communes = models.ManyToManyField(
        "territoires.Commune", blank=True, related_name="+", verbose_name="communes souhaitées"
    )
    desired_departments = models.ManyToManyField(
        "territoires.Department",
        blank=True,
        related_name="+",
        verbose_name="départements souhaités (en entier)",
    )
    desired_typologies = models.JSONField("typologies souhaitées", default=list, blank=True)
    reduced_mobility = models.BooleanField("besoin d'un logement adapté PMR", default=False)
    current_housing = models.CharField("logement actuel", max_length=200, blank=True)

    legal_priority = models.BooleanField("public prioritaire (L441-1 CCH)", default=False)
    company_priority = models.BooleanField(
        "salarié d'une entreprise de 10 salariés et plus (50 en agricole)", default=False
    )
    company_designation = models.BooleanField(
        "désigné par son entreprise (points entreprise)", default=False
    )
    # Registry ``date_depot``: the first filing (seniority, never changes).
    first_filed_on = models.DateField("date de dépôt initial")
    # Registry ``date_renouvellement``: the day of the last renewal (a past date), empty
    # until the first one. Validity runs one year from it (demandes/validity.py).
    renewed_on = models.DateField("date du dernier renouvellement", null=True, blank=True)

    professional_situation = models.CharField(
        "situation professionnelle",
        max_length=12,
        choices=ProfessionalSituation.choices,
        blank=True,
    )
    siret = models.CharField("SIRET", max_length=14, blank=True)
    company_code = models.CharField("code entreprise", max_length=30, blank=True)
    data_sharing = models.PositiveSmallIntegerField(
        "choix concernant mes données personnelles",
        choices=DataSharing.choices,
        default=DataSharing.ANONYMOUS,
    )
    documents = models.JSONField("pièces déposées", default=list, blank=True)
    documents_confirmed_at = models.DateTimeField(
        "pièces justificatives confirmées le", null=True, blank=True
    )
    information_confirmed_at = models.DateTimeField(
        "informations demandeur confirmées le", null=True, blank=True
    )
    imported_at = models.DateTimeField("importée le", auto_now_add=True)
    refreshed_at = models.DateTimeField("mise à jour le", auto_now=True)

    # Audit trail visible to advisors in the admin (who changed what, when).
    history = HistoricalRecords()

    class Meta:
        verbose_name = "demande de logement social"
        verbose_name_plural = "demandes de logement social"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(household_size__gte=1), name="demande_household_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(household_category__gte=1, household_category__lte=6),
                name="demande_category_1_to_6",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_resources__gte=0, housing_allowance__gte=0),
                name="demande_resources_not_negative",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def resources_with_allowance(self) -> Decimal:
        """Monthly resources including the housing allowance (AL/APL)."""
        return self.monthly_resources + self.housing_allowance

    @property
    def co_applicant_siret(self) -> str:
        """The SIRET of the co-applicant's employer, as declared on the national site
        (key ``siret_employeur`` of the co-applicant's record), or ""."""
        return str((self.co_applicant or {}).get("siret_employeur") or "")

    @property
    def can_apply(self) -> bool:
        """An imported request can be used to apply once the documents are confirmed
        (its validity is checked apart: ``offres.eligibility.request_is_valid``)."""
        return self.documents_confirmed_at is not None

    # Validity (demandes/validity.py) --------------------------------------------------

    @property
    def valid_from(self):
        """The filing or last renewal the year of validity runs from."""
        return self.renewed_on or self.first_filed_on

    @property
    def valid_until(self):
        """The last day the request is valid ("valable jusqu'au …")."""
        return validity.valid_until(self.first_filed_on, self.renewed_on)

    @property
    def renew_from(self):
        return validity.renew_from(self.valid_until)

    @property
    def validity(self):
        """``validity.Validity``: valid, to renew soon (the last month), expired."""
        return validity.state(self.valid_until, timezone.localdate())

    @property
    def expired_on(self):
        """The first day the request is no longer valid (struck off)."""
        return self.valid_until + timedelta(days=1)

    @property
    def national_site_url(self):
        """Where the request is renewed and changed (demande-logement-social.gouv.fr)."""
        return validity.NATIONAL_SITE_URL

    @property
    def is_expired(self):
        return self.validity == validity.Validity.EXPIRED

    @property
    def to_renew_soon(self):
        return self.validity == validity.Validity.RENEW_SOON


class DataSharingChange(models.Model):
    """Every choice the applicant made about the company's access, with its date."""

    demande = models.ForeignKey(
        Demande, on_delete=models.CASCADE, related_name="sharing_changes", verbose_name="demande"
    )
    choice = models.PositiveSmallIntegerField("choix", choices=Demande.DataSharing.choices)
    changed_at = models.DateTimeField("date du choix", auto_now_add=True)

    class Meta:
        verbose_name = "choix de partage avec l'entreprise"
        verbose_name_plural = "historique des choix de partage"
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.get_choice_display()} ({self.changed_at:%d/%m/%Y})"


class ValidityNotice(models.Model):
    """What AL'in did about a request's end of validity, once per period of validity:
    the reminders a month and a week before, and the handling of its expiry.

    ``valid_from`` is the filing/renewal date the period runs from: after a renewal a
    new period starts and gets its own reminders. The unique constraint makes each
    notice happen once, even when two daily tasks overlap.
    """

    class Kind(models.TextChoices):
        MONTH = "un_mois", "Rappel un mois avant la fin de validité"
        WEEK = "une_semaine", "Rappel une semaine avant la fin de validité"
        EXPIRED = "expiree", "Fin de validité constatée"

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="validity_notices")
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    valid_from = models.DateField("période de validité depuis le")
    valid_until = models.DateField("valable jusqu'au")
    emailed = models.BooleanField("email envoyé", default=True)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "avis de fin de validité"
        verbose_name_plural = "avis de fin de validité"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["demande", "kind", "valid_from"], name="validity_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.valid_until:%d/%m/%Y})"
