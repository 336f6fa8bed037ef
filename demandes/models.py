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

from decimal import Decimal

from django.conf import settings
from django.db import models


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
    first_filed_on = models.DateField("date de dépôt initial")
    renewed_on = models.DateField("date de renouvellement", null=True, blank=True)

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
    imported_at = models.DateTimeField("importée le", auto_now_add=True)
    refreshed_at = models.DateTimeField("mise à jour le", auto_now=True)

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
    def can_apply(self) -> bool:
        """An imported request can be used to apply once the documents are confirmed."""
        return self.documents_confirmed_at is not None
