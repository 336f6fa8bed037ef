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
    ACCEPTED = "acceptee", "Proposition acceptée"
    DECLINED = "refusee_demandeur", "Proposition refusée"
    UNANSWERED = "sans_reponse", "Proposition sans réponse"
    MOVED_IN = "entree", "Entrée dans les lieux"
    CANCELLED = "annulee", "Annulée"
    NOT_SELECTED = "non_retenue", "Non retenue"


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
    # The email the applicant receives (core.emails template name).
    email: str = "candidatures/email/status_changed"


# What to say when a step is made without one of the facts it records.
MISSING = {
    "visit_at": "Indiquez la date de la visite.",
    "committee_on": "Indiquez la date de la commission.",
    "committee_rank": "Indiquez le rang d'attribution.",
    "lease_signed_on": "Indiquez la date de signature du bail.",
}


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
            (Status.FORWARDED, Status.VISIT),
            Status.VISIT,
            Role.LANDLORD,
            records=("visit_at",),
        ),
        Transition(
            "attribute",
            "Attribuer le logement (CALEOL)",
            (Status.FORWARDED, Status.VISIT),
            Status.ATTRIBUTED,
            Role.LANDLORD,
            records=("committee_on", "committee_rank"),
            prepares=("start_answer_delay",),
        ),
        Transition(
            "attribute_with_condition",
            "Attribuer sous condition (CALEOL)",
            (Status.FORWARDED, Status.VISIT),
            Status.ATTRIBUTED_CONDITION,
            Role.LANDLORD,
            needs_reason=True,
            records=("committee_on",),
            optional=("committee_rank",),
            prepares=("start_answer_delay",),
        ),
        Transition(
            "refuse",
            "Ne pas attribuer (CALEOL)",
            (Status.FORWARDED, Status.VISIT),
            Status.NOT_ATTRIBUTED,
            Role.LANDLORD,
            needs_reason=True,
            records=("committee_on",),
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
    Status.ACCEPTED: "Le demandeur a accepté le logement : bail à signer.",
    Status.DECLINED: "Le demandeur a refusé le logement.",
    Status.UNANSWERED: "Le demandeur n'a pas répondu dans le délai : proposition refusée.",
    Status.MOVED_IN: "Bail signé : entrée dans les lieux.",
    Status.CANCELLED: "Candidature annulée par le demandeur.",
    Status.NOT_SELECTED: "Candidature close (non retenue).",
}


def allowed(name, status, role):
    """Whether a transition may be made from this state by this role."""
    transition = TRANSITIONS.get(name)
    return bool(transition and status in transition.sources and role == transition.role)


def available(status, role):
    """The transitions a role may make from a state (to show the right buttons)."""
    return [t for t in TRANSITIONS.values() if status in t.sources and t.role == role]
