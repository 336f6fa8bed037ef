from django.conf import settings
from django.db import models
from django.db.models import Case, F, Max, Q, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from simple_history.models import HistoricalRecords

from offres.models import Offer

from .workflow import (
    ACTIVE,
    DECISION_MEANING,
    FORWARDED_OR_LATER,
    HOUSED,
    Decision,
    Role,
    Status,
    applicant_words,
    landlord_words,
)

# The ranking rule (../shared/domain.md), criterion by criterion: legal priority first,
# then employees of companies of 10+ employees, then company designation, then the
# seniority of the request, then the time of application. ``RANKING_ORDER`` (SQL) and
# ``deciding_criterion`` (the explanation) both read this one list.
RANKING_CRITERIA = [
    ("legal_priority", "desc", "public prioritaire reconnu par la loi"),
    ("company_priority", "desc", "salarié d'une entreprise de 10 salariés et plus"),
    ("company_designation", "desc", "désigné par son entreprise"),
    ("first_filed_on", "asc", "demande de logement plus ancienne"),
    ("applied_at", "asc", "candidature déposée plus tôt"),
]
RANKING_ORDER = [getattr(F(field), way)() for field, way, _ in RANKING_CRITERIA] + [F("pk").asc()]


def designation_counts(demande):
    """The company's designation gives points only to an applicant who shares data with
    the company (choices 2 to 4): with choice 1 ("rester anonyme") the guide says "pas
    de points entreprise". The priority of employees of companies of 10 or more
    (``company_priority``) counts whatever the choice."""
    return bool(
        demande.company_designation and demande.data_sharing != demande.DataSharing.ANONYMOUS
    )


def ranking_facts(demande):
    """The request's facts the ranking reads, as a candidature records them when the
    applicant applies (``services.apply``) and as the projected rank assumes them."""
    return {
        "legal_priority": demande.legal_priority,
        "company_priority": demande.company_priority,
        "company_designation": designation_counts(demande),
        "first_filed_on": demande.first_filed_on,
    }


def ahead_at_each_criterion(facts):
    """For a candidature with ``facts`` made now, one Q per criterion of the rule: the
    candidatures that rank before it *because of* that criterion (equal on the ones
    before, better on this one). Their union is every candidature ranked before it —
    the SQL ranking's order read as a filter (``applied_at``: every existing
    candidature was made earlier)."""
    equal, ahead = Q(), []
    for field, way, words in RANKING_CRITERIA:
        if field == "applied_at":
            ahead.append((words, equal))
            break
        better = Q(**{f"{field}__{'gt' if way == 'desc' else 'lt'}": facts[field]})
        ahead.append((words, equal & better))
        equal &= Q(**{field: facts[field]})
    return ahead


def deciding_criterion(ahead, behind):
    """Why ``ahead`` ranks before ``behind`` (objects or dicts with the ranking facts):
    the first criterion of the rule on which they differ, in plain words."""

    def value(row, field):
        return row[field] if isinstance(row, dict) else getattr(row, field)

    for field, _, words in RANKING_CRITERIA:
        if value(ahead, field) != value(behind, field):
            return words
    return RANKING_CRITERIA[-1][2]  # same instant: the earlier record


RANKED_BY_COMMITTEE = "classé par la commission d'attribution (CALEOL)"
# Every reason a candidature ranks before another, in the order explanations list them.
AHEAD_REASONS = [RANKED_BY_COMMITTEE, *(words for _, _, words in RANKING_CRITERIA)]


def why_ahead(ahead, behind):
    """Why the row ``ahead`` ranks before ``behind`` (objects or dicts with the ranking
    facts and ``committee_rank``): the committee ranked it, or the rule's deciding criterion."""
    rank = ahead.get("committee_rank") if isinstance(ahead, dict) else ahead.committee_rank
    if rank is not None:
        return RANKED_BY_COMMITTEE
    return deciding_criterion(ahead, behind)


class CandidatureQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE)

    def followed(self):
        """In progress, or moved in: the candidatures shown with their tracker."""
        return self.filter(status__in=(*ACTIVE, Status.MOVED_IN))

    def of_applicant(self, user):
        return self.filter(applicant=user)

    def forwarded_to(self, landlord):
        """Candidatures a landlord may see: forwarded to it, on its own offers (also
        when they ended later, so the landlord knows not to present them)."""
        return self.filter(offer__landlord=landlord, forwarded_at__isnull=False)

    def waiting_for_validation(self, before):
        """Candidatures an advisor has not looked at, deposited before ``before``."""
        return self.filter(status=Status.SUBMITTED, applied_at__lt=before)

    def ranked(self):
        """Annotate ``position``: the rank among the offer's candidatures (in SQL), by
        the one ranking rule ``RANKING_ORDER``.

        Active candidatures are ranked among themselves; ended ones (cancelled,
        invalidated...) get a separate numbering after them so that they never push an
        active candidature down. Once the CALEOL ranked some of them, theirs is the
        committee's rank and the others follow, by the rule, after the last rank it
        gave: never two candidatures with the same rank (one rank at a time).
        """
        is_active = Case(When(status__in=ACTIVE, then=Value(1)), default=Value(0))
        unranked = Case(When(committee_rank__isnull=True, then=Value(1)), default=Value(0))
        after_committee = Coalesce(
            Window(Max("committee_rank"), partition_by=[F("offer_id"), is_active]), Value(0)
        )
        return self.annotate(
            position=Coalesce(
                F("committee_rank"),
                after_committee
                + Window(
                    RowNumber(),
                    partition_by=[F("offer_id"), is_active, unranked],
                    order_by=RANKING_ORDER,
                ),
            )
        )

    def with_offer_rank(self):
        """Annotate ``position`` (provisional) and ``offer_rank``: the one rank to show.

        Before the committee it is the provisional rank (the ranking rule); once the
        CALEOL ranked the candidature, the committee's rank. Every page that shows a
        rank (card, landlord file, admin) reads ``offer_rank`` or ``Candidature.rank``.
        """
        return self.ranked().annotate(offer_rank=Coalesce(F("committee_rank"), F("position")))


class Candidature(models.Model):
    """An application of one applicant to one offer, moved only by services.transition."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="candidatures",
        verbose_name="demandeur",
    )
    demande = models.ForeignKey(
        "demandes.Demande",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidatures",
        verbose_name="demande de logement",
    )
    offer = models.ForeignKey(
        "offres.Offer",
        on_delete=models.PROTECT,
        related_name="candidatures",
        verbose_name="offre",
    )
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # The request's ranking facts, as they were when the applicant applied.
    number = models.CharField("numéro unique", max_length=18)
    legal_priority = models.BooleanField("public prioritaire", default=False)
    company_priority = models.BooleanField("entreprise de 10 salariés et plus", default=False)
    company_designation = models.BooleanField("désignation entreprise", default=False)
    first_filed_on = models.DateField("ancienneté de la demande")
    applied_at = models.DateTimeField("déposée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    visit_at = models.DateTimeField("visite le", null=True, blank=True)
    committee_on = models.DateField("commission (CALEOL) le", null=True, blank=True)
    committee_rank = models.PositiveSmallIntegerField("rang CALEOL", null=True, blank=True)
    decision_reason = models.TextField("motif", blank=True)
    lease_signed_on = models.DateField("bail signé le", null=True, blank=True)
    forwarded_at = models.DateTimeField("transmise au bailleur le", null=True, blank=True)
    # The attributed candidate's turn to answer ends this day (see services).
    answer_by = models.DateField("réponse attendue avant le", null=True, blank=True)
    # When the applicant was reminded that the answer deadline is near (sent once).
    answer_reminded_at = models.DateTimeField("rappel de réponse envoyé le", null=True, blank=True)
    committee_decision = models.CharField(
        "décision de la commission (CALEOL)", max_length=24, choices=Decision.choices, blank=True
    )

    objects = CandidatureQuerySet.as_manager()
    # Blanked, here and in the history, when the applicant's account is deleted or
    # anonymised (accounts.personal_data): the candidature stays as a legal record of the
    # allocation without identifying the person (the request number does).
    PERSONAL_FIELDS = ("number", "decision_reason")

    # Audit trail visible to advisors in the admin (who changed what, when).
    history = HistoricalRecords()

    class Meta:
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=ACTIVE),
                name="one_active_candidature_per_applicant",
                violation_error_message="Vous ne pouvez avoir qu'une seule candidature active.",
            ),
            models.CheckConstraint(
                condition=Q(committee_rank__isnull=True) | Q(committee_rank__gte=1),
                name="candidature_rank_positive",
            ),
            # The committee gives each rank once per offer (order of priority).
            models.UniqueConstraint(
                fields=["offer", "committee_rank"],
                condition=Q(committee_rank__isnull=False),
                name="candidature_committee_rank_unique_per_offer",
                violation_error_message="Ce rang est déjà attribué à une autre candidature "
                "de cette offre.",
            ),
            # The landlord sees what was forwarded: a forwarded state always has a date.
            models.CheckConstraint(
                condition=~Q(status__in=FORWARDED_OR_LATER) | Q(forwarded_at__isnull=False),
                name="candidature_forwarded_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["offer", "status"], name="candidature_offer_status"),
            models.Index(fields=["status", "applied_at"], name="candidature_status_applied"),
        ]

    def __str__(self):
        return f"{self.number} → {self.offer}"

    @property
    def is_active(self):
        return self.status in ACTIVE

    @property
    def is_housed(self):
        """Accepted a proposal or moved in: the request is satisfied."""
        return self.status in HOUSED

    @property
    def is_followed(self):
        """Shown with its tracker: in progress, or housed (the six steps done)."""
        return self.is_active or self.status == Status.MOVED_IN

    @property
    def ranked_by_committee(self):
        """The CALEOL decided: from then on its rank (if any) is the only one shown."""
        return self.committee_on is not None

    @property
    def decision_meaning(self):
        return DECISION_MEANING.get(self.committee_decision, "")

    @property
    def applicants_names(self):
        """Who the candidature is for: the request's applicant(s) ("Monsieur Paul NGUYEN
        et Madame Marie NGUYEN"), not the login; the account holder's name only once the
        request has left AL'in. Select ``demande__coapplicant`` with lists."""
        if self.demande is not None:
            return self.demande.applicants_names
        return self.applicant.get_full_name() or self.applicant.email

    @property
    def contact(self):
        """The account holder, the applicants' contact on AL'in ("Claire Martin")."""
        return self.applicant.get_full_name() or self.applicant.email


class CandidatureEvent(models.Model):
    """Every change of state: who made it, when, and why."""

    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="events", verbose_name="candidature"
    )
    transition = models.CharField("étape", max_length=30)
    from_status = models.CharField(
        "statut précédent", max_length=20, choices=Status.choices, blank=True
    )
    to_status = models.CharField("nouveau statut", max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    role = models.CharField("en tant que", max_length=12, choices=Role.choices)
    reason = models.TextField("motif", blank=True)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "événement de candidature"
        verbose_name_plural = "événements de candidature"
        ordering = ["created_at", "pk"]
        indexes = [
            # The team's monthly workload reads the advisors' events of one month.
            models.Index(fields=["role", "created_at"], name="candidature_event_role_date"),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def applicant_words(self):
        return applicant_words(self.transition, self.to_status)

    @property
    def landlord_words(self):
        return landlord_words(self.transition, self.to_status)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="destinataire",
    )
    candidature = models.ForeignKey(
        Candidature,
        on_delete=models.CASCADE,
        null=True,
        related_name="notifications",
        verbose_name="candidature",
    )
    message = models.CharField("message", max_length=500)
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.message


class AllocationOutcome(models.Model):
    """One offer allocated in the last 12 months, as « Résultats des attributions »
    publishes it: no number, no name, no filing date; the winner's ranking facts are
    kept to compute the published ``band`` and never shown one by one (see outcomes)."""

    offer = models.OneToOneField(
        "offres.Offer", on_delete=models.CASCADE, related_name="+", verbose_name="offre"
    )
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    department_id = models.CharField("département", max_length=3, db_index=True)
    typology = models.PositiveSmallIntegerField("typologie", choices=Offer.Typology.choices)
    total_rent = models.DecimalField("loyer charges comprises (€)", max_digits=8, decimal_places=2)
    applications = models.PositiveIntegerField("candidatures reçues")
    legal_priority = models.BooleanField("public prioritaire")
    company_designation = models.BooleanField("désigné par son entreprise")
    seniority_years = models.PositiveSmallIntegerField("ancienneté de la demande (années)")
    days_to_allocation = models.PositiveIntegerField("jours de la publication à l'attribution")
    allocated_in = models.DateField("mois de l'attribution")
    band = models.CharField("profil publié du candidat retenu", max_length=255)

    class Meta:
        verbose_name = "résultat d'attribution"
        verbose_name_plural = "résultats des attributions"

    def __str__(self):
        return f"{self.get_typology_display()} — {self.commune}"
