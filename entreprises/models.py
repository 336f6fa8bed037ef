"""Companies (employers of applicants), their HR staff, designations and the logs that
make the applicant's data-sharing choice (guide #3) visible to the applicant.

A request belongs to a company when the SIRET of the applicant or of the co-applicant is
one of the company's establishments and, when the company defined a Code Entreprise,
the request carries that code (see ``selectors.linked_demandes``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from accounts.memberships import Membership
from accounts.models import User
from demandes.models import Demande


def validate_siren(value):
    if not stdnum_siren.is_valid(value or ""):
        raise ValidationError("Ce SIREN n'est pas valide (9 chiffres, clé de contrôle).")


def validate_siret(value):
    if not stdnum_siret.is_valid(value or ""):
        raise ValidationError("Ce SIRET n'est pas valide (14 chiffres, clé de contrôle).")


class Company(models.Model):
    class Headcount(models.TextChoices):
        UNDER_10 = "0-9", "Moins de 10 salariés"
        FROM_10 = "10-49", "10 à 49 salariés"
        FROM_50 = "50-249", "50 à 249 salariés"
        FROM_250 = "250-999", "250 à 999 salariés"
        FROM_1000 = "1000+", "1 000 salariés et plus"

    siren = models.CharField("SIREN", max_length=9, unique=True, validators=[validate_siren])
    name = models.CharField("raison sociale", max_length=200)
    headcount = models.CharField("effectif", max_length=8, choices=Headcount.choices)
    code = models.CharField(
        "Code Entreprise",
        max_length=30,
        blank=True,
        help_text="Facultatif. S'il est défini, les salariés doivent le saisir sur le "
        "mini-formulaire pour que leur demande soit rattachée à l'entreprise.",
    )
    housing_policy = models.TextField("politique logement", blank=True)
    designation_quota = models.PositiveSmallIntegerField(
        "quota annuel de désignations",
        default=0,
        help_text="Nombre de salariés que l'entreprise peut désigner par année civile "
        "(points entreprise).",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "entreprise"
        verbose_name_plural = "entreprises"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="company_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(code=models.functions.Upper("code")), name="company_code_upper"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.code = " ".join((self.code or "").split()).upper()


class Establishment(models.Model):
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="establishments", verbose_name="entreprise"
    )
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    name = models.CharField("établissement", max_length=200, blank=True)

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"

    def __str__(self):
        return f"{self.siret} {self.name}".strip()

    def clean(self):
        # In the admin the company may not be saved yet: compare with its SIREN anyway.
        try:
            company = self.company
        except Company.DoesNotExist:
            company = None
        if company and self.siret and not self.siret.startswith(company.siren or ""):
            raise ValidationError({"siret": "Ce SIRET n'appartient pas au SIREN de l'entreprise."})


class CompanyMembership(Membership):
    """An HR account of a company. The company's administrators invite and remove
    colleagues (the one membership pattern of ``accounts.memberships``)."""

    organisation_field = "company"
    member_role = User.Role.COMPANY

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_membership",
        verbose_name="utilisateur",
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="members", verbose_name="entreprise"
    )

    class Meta:
        verbose_name = "membre RH d'une entreprise"
        verbose_name_plural = "membres RH des entreprises"

    def __str__(self):
        return f"{self.user} — {self.company}"


class Designation(models.Model):
    """A company designates an employee for priority ("points entreprise"), within its
    yearly quota. One designation per request and year."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="designations", verbose_name="entreprise"
    )
    demande = models.ForeignKey(
        Demande, on_delete=models.CASCADE, related_name="designations", verbose_name="demande"
    )
    year = models.PositiveSmallIntegerField("année")
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="désigné par",
    )
    designated_at = models.DateTimeField("désigné le", auto_now_add=True)

    class Meta:
        verbose_name = "désignation"
        verbose_name_plural = "désignations"
        constraints = [
            models.UniqueConstraint(fields=["demande", "year"], name="one_designation_per_year")
        ]

    def __str__(self):
        return f"{self.demande} ({self.year})"


class Access(models.Model):
    """One read of an applicant's data by company staff, or one act done on the
    applicant's behalf (delegation): "Qui a consulté ma demande"."""

    class Kind(models.TextChoices):
        LIST = "liste", "Liste des salariés"
        DETAIL = "fiche", "Fiche du salarié"
        EXPORT = "export", "Export"
        ACT = "acte", "Action pour le compte du salarié"

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_accesses",
        verbose_name="demandeur",
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="membre RH",
    )
    # Kept as text: the applicant still knows who read once the account is gone.
    reader_name = models.CharField("nom du lecteur", max_length=300)
    company = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="entreprise"
    )
    company_name = models.CharField("entreprise (nom)", max_length=200)
    level = models.PositiveSmallIntegerField("niveau", choices=Demande.DataSharing.choices)
    kind = models.CharField("type", max_length=8, choices=Kind.choices)
    detail = models.CharField("détail", max_length=300, blank=True)
    at = models.DateTimeField("le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "consultation par l'entreprise"
        verbose_name_plural = "consultations par les entreprises"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["applicant", "-at"], name="access_applicant_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=2, level__lte=4), name="access_level_2_to_4"
            )
        ]

    def __str__(self):
        return f"{self.reader_name} ({self.at:%d/%m/%Y %H:%M})"
