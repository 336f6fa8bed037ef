"""The candidature pipeline, declared once: states, and named transitions with their
French label, the states they leave from, the state they lead to and who may make them.

A plain table rather than a library: the pipeline is small, it must be readable by
advisors' product owners, and every move goes through ``services.transition``, which
checks this table, records an event and notifies the applicant.

Each transition also declares *how* it happens: the checks it must pass (``checks``),
what it sets before saving (``prepares``), what follows once it is recorded
(``effects``: allocate the offer, end the others, tell the landlord...) and the email
the applicant receives (``email``). They are named here and implemented in
``services`` (``CHECKS``, ``PREPARES``, ``EFFECTS``), which refuses to load when a
declared name has no implementation: ``services.transition`` never tests a
transition's name.
"""

from dataclasses import dataclass

from django.db import models


class Status(models.TextChoices):
    SUBMITTED = "deposee", "En attente"
    VALIDATED = "validee", "Validée par Action Logement"
    INVALIDATED = "invalidee", "Invalidée"
    FORWARDED = "transmise", "Transmise au bailleur"
    VISIT = "visite", "Visite programmée"
    ATTRIBUTED = "attribuee", "Logement attribué"
    ATTRIBUTED_CONDITION = "attribuee_condition", "Attribué sous condition"
    NOT_ATTRIBUTED = "non_attribuee", "Non attribuée par la commission"
    INADMISSIBLE = "irrecevable", "Demande irrecevable"
    ACCEPTED = "acceptee", "Proposition acceptée"
    DECLINED = "refusee_demandeur", "Proposition refusée"
    UNANSWERED = "sans_reponse", "Proposition sans réponse"
    MOVED_IN = "entree", "Entrée dans les lieux"
    CANCELLED = "annulee", "Annulée"
    NOT_SELECTED = "non_retenue", "Non retenue"


class Decision(models.TextChoices):
    """The five decisions of the landlord's allocation committee (CALEOL, CCH R441-3)."""

    ATTRIBUTION = "attribution", "Attribution du logement"
    IN_ORDER = "ordre_priorite", "Attribution par ordre de priorité"
    CONDITIONAL = "condition_suspensive", "Attribution sous condition suspensive"
    NON_ATTRIBUTION = "non_attribution", "Non-attribution"
    INADMISSIBLE = "irrecevabilite", "Irrecevabilité de la demande"


# What each decision means, as the landlord reads it before choosing and the applicant
# reads it afterwards (CCH R441-3; ../shared/domain.md).
DECISION_MEANING = {
    Decision.ATTRIBUTION: "Le logement est attribué à ce candidat, seul retenu.",
    Decision.IN_ORDER: "Le logement est attribué à plusieurs candidats classés : il est "
    "proposé au 1er ; s'il refuse, au suivant dans l'ordre du rang.",
    Decision.CONDITIONAL: "Le logement est attribué à condition qu'une pièce manquante soit "
    "fournie dans le délai indiqué ; sinon l'attribution tombe.",
    Decision.NON_ATTRIBUTION: "Le logement n'est pas attribué à ce candidat ; le motif lui "
    "est communiqué.",
    Decision.INADMISSIBLE: "La demande ne remplit pas les conditions réglementaires "
    "(plafonds de ressources, conditions de séjour) : elle ne peut pas être examinée.",
}


class Role(models.TextChoices):
    APPLICANT = "demandeur", "Demandeur"
    ADVISOR = "conseiller", "Conseiller Action Logement"
    LANDLORD = "bailleur", "Bailleur"
    SYSTEM = "systeme", "AL'in"


# An applicant holds at most one candidature in these states (database constraint).
ACTIVE = (
    Status.SUBMITTED,
    Status.VALIDATED,
    Status.FORWARDED,
    Status.VISIT,
    Status.ATTRIBUTED,
    Status.ATTRIBUTED_CONDITION,
    Status.ACCEPTED,
)
BEFORE_DECISION = (Status.SUBMITTED, Status.VALIDATED, Status.FORWARDED, Status.VISIT)
FORWARDED_OR_LATER = (
    Status.FORWARDED,
    Status.VISIT,
    Status.ATTRIBUTED,
    Status.ATTRIBUTED_CONDITION,
    Status.NOT_ATTRIBUTED,
    Status.INADMISSIBLE,
    Status.ACCEPTED,
    Status.DECLINED,
    Status.UNANSWERED,
    Status.MOVED_IN,
)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    role: str
    needs_reason: bool = False
    # The facts the step records (given by whoever makes it), all of them required.
    records: tuple = ()
    # Facts the step may record.
    optional: tuple = ()
    # Named rules checked before the move (services.CHECKS), in order.
    checks: tuple = ()
    # Named field updates made with the move (services.PREPARES).
    prepares: tuple = ()
    # Named consequences once the move is recorded (services.EFFECTS), in order.
    effects: tuple = ()
    # Lock the offer before the candidature: steps that may end the other candidatures
    # of the same offer take the locks in the same order, so they queue, never deadlock.
    locks_offer: bool = False
    # The committee's decision the step records (CALEOL), if any.
    decision: str = ""
    # The email the applicant receives (core.emails template name).
    email: str = "candidatures/email/status_changed"


# What to say when a step is made without one of the facts it records.
MISSING = {
    "visit_at": "Indiquez la date de la visite.",
    "committee_on": "Indiquez la date de la commission.",
    "committee_rank": "Indiquez le rang d'attribution.",
    "lease_signed_on": "Indiquez la date de signature du bail.",
}

# The ends of a candidature and its step on the tracker.
DECIDED = (
    Status.ATTRIBUTED,
    Status.ATTRIBUTED_CONDITION,
    Status.NOT_ATTRIBUTED,
    Status.INADMISSIBLE,
    Status.ACCEPTED,
    Status.DECLINED,
    Status.UNANSWERED,
    Status.MOVED_IN,
)
# A proposal the applicant answers (accept or decline).
PROPOSED = (Status.ATTRIBUTED, Status.ATTRIBUTED_CONDITION)
# After these the applicant cannot apply again: the request is satisfied.
HOUSED = (Status.ACCEPTED, Status.MOVED_IN)


# A committee's decision is dated: not in the future, not before a recorded visit.
COMMITTEE_CHECKS = ("committee_not_future", "committee_after_visit")

TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "validate",
            "Valider la candidature",
            (Status.SUBMITTED,),
            Status.VALIDATED,
            Role.ADVISOR,
        ),
        Transition(
            "invalidate",
            "Invalider la candidature",
            (Status.SUBMITTED, Status.VALIDATED),
            Status.INVALIDATED,
            Role.ADVISOR,
            needs_reason=True,
        ),
        Transition(
            "forward",
            "Transmettre au bailleur",
            (Status.VALIDATED,),
            Status.FORWARDED,
            Role.ADVISOR,
            prepares=("stamp_forwarded",),
        ),
        Transition(
            "schedule_visit",
            "Programmer la visite",
            (Status.FORWARDED,),
            Status.VISIT,
            Role.LANDLORD,
            records=("visit_at",),
            email="candidatures/email/visit",
        ),
        # A new date for the same visit: one event, one "Visite reprogrammée" email.
        Transition(
            "reschedule_visit",
            "Reprogrammer la visite",
            (Status.VISIT,),
            Status.VISIT,
            Role.LANDLORD,
            records=("visit_at",),
            email="candidatures/email/visit_rescheduled",
        ),
        Transition(
            "attribute_sole",
            "Attribution du logement (CALEOL)",
            (Status.FORWARDED, Status.VISIT),
            Status.ATTRIBUTED,
            Role.LANDLORD,
            records=("committee_on",),
            checks=(*COMMITTEE_CHECKS, "no_other_attributed"),
            decision=Decision.ATTRIBUTION,
            prepares=("start_answer_delay",),
            email="candidatures/email/attributed",
        ),
        Transition(
            "attribute",
            "Attribution par ordre de priorité (CALEOL)",
            (Status.FORWARDED, Status.VISIT),
            Status.ATTRIBUTED,
            Role.LANDLORD,
            records=("committee_on", "committee_rank"),
            checks=(*COMMITTEE_CHECKS, "rank_free"),
            decision=Decision.IN_ORDER,
            prepares=("start_answer_delay",),
            email="candidatures/email/attributed",
        ),
        Transition(
            "attribute_with_condition",
            "Attribution sous condition suspensive (CALEOL)",
            (Status.FORWARDED, Status.VISIT),
            Status.ATTRIBUTED_CONDITION,
            Role.LANDLORD,
            needs_reason=True,
            records=("committee_on",),
            optional=("committee_rank",),
            checks=(*COMMITTEE_CHECKS, "rank_free"),
            decision=Decision.CONDITIONAL,
            prepares=("start_answer_delay",),
            email="candidatures/email/attributed",
        ),
        Transition(
            "refuse",
            "Non-attribution (CALEOL)",
            (Status.FORWARDED, Status.VISIT),
            Status.NOT_ATTRIBUTED,
            Role.LANDLORD,
            needs_reason=True,
            records=("committee_on",),
            checks=COMMITTEE_CHECKS,
            decision=Decision.NON_ATTRIBUTION,
        ),
        Transition(
            "declare_inadmissible",
            "Irrecevabilité de la demande (CALEOL)",
            (Status.FORWARDED, Status.VISIT),
            Status.INADMISSIBLE,
            Role.LANDLORD,
            needs_reason=True,
            records=("committee_on",),
            checks=COMMITTEE_CHECKS,
            decision=Decision.INADMISSIBLE,
        ),
        Transition(
            "accept",
            "J'accepte ce logement",
            (Status.ATTRIBUTED, Status.ATTRIBUTED_CONDITION),
            Status.ACCEPTED,
            Role.APPLICANT,
            checks=("turn_to_answer",),
            effects=("tell_landlord", "allocate"),
            locks_offer=True,
        ),
        Transition(
            "decline",
            "Je refuse ce logement",
            (Status.ATTRIBUTED, Status.ATTRIBUTED_CONDITION),
            Status.DECLINED,
            Role.APPLICANT,
            effects=("tell_landlord", "offer_to_next"),
            locks_offer=True,
        ),
        Transition(
            "expire",
            "Proposition sans réponse dans le délai",
            (Status.ATTRIBUTED, Status.ATTRIBUTED_CONDITION),
            Status.UNANSWERED,
            Role.SYSTEM,
            needs_reason=True,
            effects=("offer_to_next",),
            locks_offer=True,
        ),
        Transition(
            "sign_lease",
            "Bail signé : entrée dans les lieux",
            (Status.ACCEPTED,),
            Status.MOVED_IN,
            Role.LANDLORD,
            records=("lease_signed_on",),
            checks=("lease_not_future", "lease_after_committee"),
        ),
        Transition(
            "cancel",
            "Annuler cette candidature",
            BEFORE_DECISION,
            Status.CANCELLED,
            Role.APPLICANT,
            effects=("tell_landlord",),
        ),
        # The request was struck off (not renewed, demandes/validity.py): the
        # candidatures not yet decided end, once, by the daily check of validity.
        Transition(
            "request_expired",
            "Clore : demande de logement non renouvelée",
            BEFORE_DECISION,
            Status.NOT_SELECTED,
            Role.SYSTEM,
            needs_reason=True,
        ),
        Transition(
            "end",
            "Clore la candidature",
            ACTIVE,
            Status.NOT_SELECTED,
            Role.SYSTEM,
            needs_reason=True,
        ),
    ]
}

# The six steps of the guide's progress bar, and where each state stands on it.
STEPS = [
    "Je postule",
    "Validations",
    "Envoi bailleur",
    "Visite",
    "Commission logement",
    "Entrée dans les lieux",
]
STEP_OF = {
    Status.SUBMITTED: 1,
    Status.VALIDATED: 2,
    Status.INVALIDATED: 2,
    Status.FORWARDED: 3,
    Status.VISIT: 4,
    Status.ATTRIBUTED: 5,
    Status.ATTRIBUTED_CONDITION: 5,
    Status.NOT_ATTRIBUTED: 5,
    Status.INADMISSIBLE: 5,
    Status.ACCEPTED: 5,
    Status.DECLINED: 5,
    Status.UNANSWERED: 5,
    Status.MOVED_IN: 6,
    Status.CANCELLED: 1,
    Status.NOT_SELECTED: 1,
}

# What each party reads about a change, in their own words.
APPLICANT_WORDS = {
    Status.SUBMITTED: "Vous avez postulé sur ce logement.",
    Status.VALIDATED: "Action Logement a validé votre candidature.",
    Status.INVALIDATED: "Action Logement n'a pas validé votre candidature. Vous pouvez d'ores "
    "et déjà vous positionner sur un autre logement.",
    Status.FORWARDED: "Votre dossier a été transmis au bailleur.",
    Status.VISIT: "Le bailleur a programmé une visite du logement.",
    Status.ATTRIBUTED: "La commission d'attribution (CALEOL) vous a attribué le logement.",
    Status.ATTRIBUTED_CONDITION: "La commission d'attribution (CALEOL) vous a attribué le "
    "logement sous condition.",
    Status.NOT_ATTRIBUTED: "La commission d'attribution (CALEOL) ne vous a pas attribué le "
    "logement. Vous pouvez vous positionner sur une nouvelle offre.",
    Status.INADMISSIBLE: "La commission d'attribution (CALEOL) a déclaré votre demande "
    "irrecevable pour ce logement. Vous pouvez vous positionner sur une nouvelle offre.",
    Status.ACCEPTED: "Vous avez accepté le logement : le bailleur va organiser la signature "
    "du bail.",
    Status.DECLINED: "Vous avez refusé la proposition de logement.",
    Status.UNANSWERED: "Sans réponse de votre part dans le délai, la proposition de logement "
    "est considérée comme refusée. Vous pouvez vous positionner sur une nouvelle offre.",
    Status.MOVED_IN: "Bail signé : bienvenue chez vous !",
    Status.CANCELLED: "Vous avez annulé cette candidature.",
    Status.NOT_SELECTED: "Votre candidature n'a pas été retenue et a été archivée. Vous "
    "pouvez vous positionner sur une nouvelle offre.",
}


LANDLORD_WORDS = {
    Status.SUBMITTED: "Candidature déposée par le demandeur.",
    Status.VALIDATED: "Dossier validé par Action Logement.",
    Status.INVALIDATED: "Dossier invalidé par Action Logement.",
    Status.FORWARDED: "Dossier transmis par Action Logement.",
    Status.VISIT: "Visite programmée.",
    Status.ATTRIBUTED: "CALEOL : logement attribué.",
    Status.ATTRIBUTED_CONDITION: "CALEOL : logement attribué sous condition.",
    Status.NOT_ATTRIBUTED: "CALEOL : logement non attribué.",
    Status.INADMISSIBLE: "CALEOL : demande irrecevable.",
    Status.ACCEPTED: "Le demandeur a accepté le logement : bail à signer.",
    Status.DECLINED: "Le demandeur a refusé le logement.",
    Status.UNANSWERED: "Le demandeur n'a pas répondu dans le délai : proposition refusée.",
    Status.MOVED_IN: "Bail signé : entrée dans les lieux.",
    Status.CANCELLED: "Candidature annulée par le demandeur.",
    Status.NOT_SELECTED: "Candidature close (non retenue).",
}


# Words for a transition that stays in the same state (the state's words would repeat).
TRANSITION_WORDS = {
    "reschedule_visit": {
        Role.APPLICANT: "Visite reprogrammée : le bailleur a changé la date de la visite.",
        Role.LANDLORD: "Visite reprogrammée.",
    },
}


def applicant_words(name, status):
    return TRANSITION_WORDS.get(name, {}).get(Role.APPLICANT) or APPLICANT_WORDS[status]


def landlord_words(name, status):
    return TRANSITION_WORDS.get(name, {}).get(Role.LANDLORD) or LANDLORD_WORDS[status]


def allowed(name, status, role):
    """Whether a transition may be made from this state by this role."""
    transition = TRANSITIONS.get(name)
    return bool(transition and status in transition.sources and role == transition.role)


def available(status, role):
    """The transitions a role may make from a state (to show the right buttons)."""
    return [t for t in TRANSITIONS.values() if status in t.sources and t.role == role]
