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

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from . import validity
from .household import age_on


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


class AlsNumber(models.Model):
    """The applicant's Action Logement number ("N° ALS : 0000001436"), shown beside the
    Numéro unique: assigned once per applicant at the first import, kept when the
    request is deleted and imported again, unique."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="als"
    )
    number = models.CharField("N° ALS", max_length=10, unique=True, null=True)
    assigned_at = models.DateTimeField("attribué le", auto_now_add=True)

    class Meta:
        verbose_name = "numéro ALS"
        verbose_name_plural = "numéros ALS"

    def __str__(self):
        return self.number or "—"


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
    # Why the household has its category (computed with it at import/update).
    category_reason = models.CharField("catégorie : pourquoi", max_length=300, blank=True)
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
    # Either applicant employed by a company of 10+ employees (50+ in agriculture): the
    # request's priority on AL'in (ranking). ``applicant_company_priority`` is
    # Demandeur 1's own; Demandeur 2's is on ``CoApplicant``.
    company_priority = models.BooleanField(
        "salarié d'une entreprise de 10 salariés et plus (50 en agricole)", default=False
    )
    applicant_company_priority = models.BooleanField(
        "demandeur 1 salarié d'une entreprise de 10 salariés et plus", default=False
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
    # The account's names differ from both applicants' at import: the account holder
    # confirmed being the applicant or co-applicant; advisors see it flagged.
    identity_mismatch = models.BooleanField("nom du compte différent de la demande", default=False)
    identity_confirmed_at = models.DateTimeField(
        "identité confirmée par le titulaire du compte le", null=True, blank=True
    )
    documents_confirmed_at = models.DateTimeField(
        "pièces justificatives confirmées le", null=True, blank=True
    )
    information_confirmed_at = models.DateTimeField(
        "informations demandeur confirmées le", null=True, blank=True
    )
    # Set when the Numéro Unique was proven with an emailed code. Requests created on
    # AL'in before 20/04/2021 (``import_demandes_historiques``) never were: their first
    # "Mettre à jour" asks for a code; later ones are one click.
    code_validated_at = models.DateTimeField(
        "numéro unique validé par code le", default=timezone.now, null=True, blank=True
    )
    legacy_created_on = models.DateField(
        "créée sur AL'in avant le 20/04/2021, le", null=True, blank=True
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
        """The SIRET of the co-applicant's employer (``CoApplicant``: the registry's,
        as confirmed on the mini-form's "Demandeur 2"), or ""."""
        co = self.coapplicant_or_none
        return co.siret if co is not None else ""

    @property
    def can_apply(self) -> bool:
        """An imported request can be used to apply once the documents are confirmed
        (its validity is checked apart: ``offres.eligibility.request_is_valid``)."""
        return self.documents_confirmed_at is not None

    # Display helpers (the landlord's file, the PDF, companies, advisors use these) ----

    @property
    def applicants(self):
        """The request's applicants, "Demandeur 1" then "Demandeur 2" when there is a
        co-applicant: ``Applicant`` rows (names, birth date, age, contact, employer)."""
        people = [Applicant.of_demande(self)]
        co = self.coapplicant_or_none
        if co is not None:
            people.append(Applicant.of_coapplicant(co))
        return people

    @property
    def coapplicant_or_none(self):
        try:
            return self.coapplicant
        except CoApplicant.DoesNotExist:
            return None

    @property
    def applicants_names(self):
        """ "Madame Claire MARTIN et Monsieur Paul MARTIN": the legal applicant(s)."""
        return " et ".join(a.full_name for a in self.applicants)

    @property
    def household(self):
        """Every person of the household: ``HouseholdMember`` (name, link, age, disability),
        the applicants first."""
        today = timezone.localdate()
        if not self.household_members:  # imported before the members were kept
            links = ["Demandeur", "Co-demandeur"]
            return [
                HouseholdMember.of_applicant(a, links[i]) for i, a in enumerate(self.applicants)
            ]
        return [HouseholdMember.from_record(m, today) for m in self.household_members]

    @property
    def company_priority_holders(self):
        """The applicants employed by a company of 10+ employees (either one gives the
        request AL'in's company priority)."""
        return [a for a in self.applicants if a.company_priority]

    @property
    def company_priority_who(self):
        """Which of two applicants gives the company priority ("Demandeur 2 : Madame Marie
        NGUYEN", "les deux demandeurs"); "" for a single applicant or none."""
        holders = self.company_priority_holders
        if len(self.applicants) < 2 or not holders:
            return ""
        if len(holders) == 2:
            return "les deux demandeurs"
        return f"{holders[0].label} : {holders[0].full_name}"

    @property
    def company_priority_reason(self):
        """Which applicant gives the company priority, in French, or ""."""
        holders = self.company_priority_holders
        if not holders:
            return ""
        if len(holders) == 2:
            return "les deux demandeurs sont salariés d'une entreprise de 10 salariés et plus"
        who = holders[0]
        return (
            f"{who.label.lower()} ({who.full_name}) est salarié(e) d'une entreprise de "
            "10 salariés et plus"
        )

    @property
    def contact_emails(self):
        """Where news about the request goes: the request's contact address (confirmed on
        the mini-form), then the account's address when it differs (the copy)."""
        addresses = [self.email]
        account = self.user.email
        if account and account.lower() != self.email.lower():
            addresses.append(account)
        return addresses

    @property
    def als_number(self):
        """The applicant's N° ALS ("0000001436"), or "" before the first import."""
        try:
            return self.user.als.number or ""
        except AlsNumber.DoesNotExist:
            return ""

    @property
    def needs_code_validation(self):
        """A request created on AL'in before 20/04/2021, not yet validated with a code."""
        return self.code_validated_at is None

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


class CoApplicant(models.Model):
    """ "Demandeur 2": the co-applicant of the request (registry ``codemandeur``).

    Identity from the registry (changed on the national site only); contact and
    employer declared on the mini-form, with the same rules as "Demandeur 1".
    """

    demande = models.OneToOneField(
        Demande, on_delete=models.CASCADE, related_name="coapplicant", verbose_name="demande"
    )
    link = models.CharField("lien avec le demandeur", max_length=50, blank=True)
    civility = models.CharField("civilité", max_length=3, blank=True)
    birth_name = models.CharField("nom de naissance", max_length=150)
    usage_name = models.CharField("nom d'usage", max_length=150, blank=True)
    first_name = models.CharField("prénom", max_length=150)
    birth_date = models.DateField("date de naissance")
    disabled = models.BooleanField("en situation de handicap", default=False)
    email = models.EmailField("email", blank=True)
    mobile_phone = PhoneNumberField("téléphone portable", blank=True)
    landline_phone = PhoneNumberField("téléphone fixe", blank=True)
    professional_situation = models.CharField(
        "situation professionnelle",
        max_length=12,
        choices=Demande.ProfessionalSituation.choices,
        blank=True,
    )
    siret = models.CharField("SIRET", max_length=14, blank=True)
    company_code = models.CharField("code entreprise", max_length=30, blank=True)
    company_priority = models.BooleanField(
        "salarié d'une entreprise de 10 salariés et plus", default=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "co-demandeur"
        verbose_name_plural = "co-demandeurs"

    def __str__(self):
        return f"{self.first_name} {self.usage_name or self.birth_name}"


CIVILITY_WORDS = {"mme": "Madame", "m": "Monsieur"}


@dataclass(frozen=True)
class Applicant:
    """One applicant of a request, for display (pages, PDF, companies)."""

    label: str  # "Demandeur 1" / "Demandeur 2"
    civility: str  # "Madame", "Monsieur" or ""
    first_name: str
    birth_name: str
    usage_name: str
    birth_date: date
    email: str
    mobile_phone: str
    landline_phone: str
    professional_situation: str  # French label
    siret: str
    company_code: str
    company_priority: bool

    @property
    def name(self):
        """First name and usage name: "Jean DUPONT"."""
        return f"{self.first_name} {self.usage_name or self.birth_name}"

    @property
    def full_name(self):
        return f"{self.civility} {self.name}".strip()

    @property
    def age(self):
        return age_on(self.birth_date, timezone.localdate())

    @property
    def born_word(self):
        """ "née" for Madame, "né" for Monsieur, "né(e)" when the civility is unknown."""
        return {"Madame": "née", "Monsieur": "né"}.get(self.civility, "né(e)")

    @property
    def born_as(self):
        """ "née DUPONT" when the usage name differs from the birth name, else ""."""
        if self.usage_name and self.usage_name.upper() != self.birth_name.upper():
            return f"{self.born_word} {self.birth_name}"
        return ""

    @property
    def identity(self):
        """Who the applicant is, in one line (landlord's file, its PDF, advisors):
        "Madame Marie NGUYEN (née TRAN), née le 02/03/1991 (35 ans)"."""
        born_as = f" ({self.born_as})" if self.born_as else ""
        return (
            f"{self.full_name}{born_as}, {self.born_word} le {self.birth_date:%d/%m/%Y} "
            f"({_years(self.age)})"
        )

    @classmethod
    def of_demande(cls, demande):
        return cls._of(demande, "Demandeur 1", demande.applicant_company_priority)

    @classmethod
    def of_coapplicant(cls, co):
        return cls._of(co, "Demandeur 2", co.company_priority)

    @classmethod
    def _of(cls, person, label, company_priority):
        """Demandeur 1 (the request) and Demandeur 2 (CoApplicant) share these fields."""
        return cls(
            label=label,
            civility=CIVILITY_WORDS.get(person.civility, ""),
            first_name=person.first_name,
            birth_name=person.birth_name,
            usage_name=person.usage_name,
            birth_date=person.birth_date,
            email=person.email,
            mobile_phone=_phone(person.mobile_phone),
            landline_phone=_phone(person.landline_phone),
            professional_situation=person.get_professional_situation_display(),
            siret=person.siret,
            company_code=person.company_code,
            company_priority=company_priority,
        )


def _years(age):
    return f"{age} an{'s' if age > 1 else ''}"


def _phone(number):
    """A French number as written in France: "06 12 34 56 78"."""
    if not number:
        return ""
    return number.as_national if number.country_code == 33 else number.as_international


@dataclass(frozen=True)
class HouseholdMember:
    """One person of the household, for display."""

    name: str
    link: str  # "Demandeur", "Co-demandeur (conjoint)", "Enfant"…
    birth_date: date | None
    age: int | None
    disabled: bool

    @property
    def line(self):
        """One person in one line: "Léa NGUYEN — Enfant, 10 ans, en situation de handicap"."""
        words = f"{self.name} — {self.link}"
        if self.age is not None:
            words += f", {_years(self.age)}"
        if self.disabled:
            words += ", en situation de handicap"
        return words

    @classmethod
    def of_applicant(cls, applicant, link):
        return cls(
            name=applicant.name,
            link=link,
            birth_date=applicant.birth_date,
            age=applicant.age,
            disabled=False,
        )

    @classmethod
    def from_record(cls, member, today):
        role = member.get("role") or "personne à charge"
        if role == "demandeur":
            link = "Demandeur"
        elif role == "co-demandeur":
            link = "Co-demandeur" + (f" ({member['lien']})" if member.get("lien") else "")
        else:
            link = role[:1].upper() + role[1:]
        born = member.get("date_naissance")
        birth = date.fromisoformat(born) if born else None
        name = " ".join(
            part
            for part in (
                member.get("prenom", ""),
                member.get("nom_usage") or member.get("nom_naissance", ""),
            )
            if part
        )
        return cls(
            name=name or "—",
            link=link,
            birth_date=birth,
            age=age_on(birth, today) if birth else None,
            disabled=bool(member.get("handicap")),
        )


class DataSharingChange(models.Model):
    """Every choice the applicant made about the company's access, with its date."""

    demande = models.ForeignKey(
        Demande, on_delete=models.CASCADE, related_name="sharing_changes", verbose_name="demande"
    )
    choice = models.PositiveSmallIntegerField("choix", choices=Demande.DataSharing.choices)
    # The import's default (choice 1), not a choice the applicant made.
    by_default = models.BooleanField("par défaut", default=False)
    changed_at = models.DateTimeField("date du choix", auto_now_add=True)

    class Meta:
        verbose_name = "choix de partage avec l'entreprise"
        verbose_name_plural = "historique des choix de partage"
        ordering = ["-changed_at"]

    def __str__(self):
        default = " — par défaut" if self.by_default else ""
        return f"{self.get_choice_display()}{default} ({self.changed_at:%d/%m/%Y})"


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
