"""Every change of a candidature goes through here: apply, and named transitions."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, queue_email
from offres.models import Offer
from offres.services import mark_allocated

from .models import Candidature, CandidatureEvent, Notification
from .workflow import ACTIVE, APPLICANT_WORDS, TRANSITIONS, Role, Status

ONE_ACTIVE = (
    "Vous ne pouvez avoir qu'une seule candidature active : vous vous positionnez sur un seul "
    "logement à la fois. Annulez votre candidature en cours pour postuler à celle-ci."
)


class CandidatureError(Exception):
    """A refused action, explained in French."""


def why_cannot_apply(user, offer, demande):
    """The reason an applicant cannot apply to this offer, or None."""
    if demande is None:
        return "Importez votre demande de logement social pour postuler."
    if not demande.can_apply:
        return (
            "Confirmez d'abord le dépôt de vos pièces justificatives sur "
            "demande-logement-social.gouv.fr."
        )
    if not Offer.objects.open_to(demande).filter(pk=offer.pk).exists():
        return "Ce logement ne correspond pas à votre situation ou n'est plus ouvert."
    if Candidature.objects.active().of_applicant(user).exists():
        return ONE_ACTIVE
    return None


def apply(*, user, offer, demande):
    """ "Je postule": create the candidature. The database refuses a second active one,
    even when two requests arrive at the same time."""
    reason = why_cannot_apply(user, offer, demande)
    if reason:
        raise CandidatureError(reason)
    try:
        with transaction.atomic():
            candidature = Candidature.objects.create(
                applicant=user,
                demande=demande,
                offer=offer,
                status=Status.SUBMITTED,
                number=demande.number,
                legal_priority=demande.legal_priority,
                company_priority=demande.company_priority,
                company_designation=demande.company_designation,
                first_filed_on=demande.first_filed_on,
            )
            _record(candidature, "apply", "", Status.SUBMITTED, user, Role.APPLICANT, "")
    except IntegrityError as exc:
        raise CandidatureError(ONE_ACTIVE) from exc
    return candidature


def transition(candidature, name, *, actor, role, reason="", **data):
    """Make a named transition of the workflow table, or refuse it with a clear message.

    ``data`` sets the facts the step records (visit date, committee date and rank...).
    """
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise CandidatureError("Action inconnue.")
    reason = (reason or "").strip()
    with transaction.atomic():
        current = Candidature.objects.select_for_update().get(pk=candidature.pk)
        if role != spec.role:
            raise CandidatureError(f"« {spec.label} » n'est pas possible pour votre rôle.")
        if current.status not in spec.sources:
            raise CandidatureError(
                f"« {spec.label} » n'est pas possible : la candidature est « "
                f"{current.get_status_display()} »."
            )
        if spec.needs_reason and not reason:
            raise CandidatureError(f"Indiquez le motif pour « {spec.label} ».")
        previous = current.status
        current.status = spec.target
        for field, value in data.items():
            setattr(current, field, value)
        if reason:
            current.decision_reason = reason
        current._history_user = actor  # the audit trail names who made the change
        current.save()
        _record(current, name, previous, spec.target, actor, role, reason)
        if name == "accept":
            _allocate(current, actor)
    candidature.__dict__.update(current.__dict__)
    return current


def _allocate(accepted, actor):
    """The candidate accepted: the offer is allocated, the others end as "non retenue"."""
    mark_allocated(offer=accepted.offer)
    others = (
        Candidature.objects.select_for_update()
        .filter(offer=accepted.offer, status__in=ACTIVE)
        .exclude(pk=accepted.pk)
    )
    for other in others:
        transition(
            other,
            "end",
            actor=None,
            role=Role.SYSTEM,
            reason="Le logement a été attribué à un autre candidat.",
        )


def _record(candidature, name, previous, target, actor, role, reason):
    CandidatureEvent.objects.create(
        candidature=candidature,
        transition=name,
        from_status=previous,
        to_status=target,
        actor=actor,
        role=role,
        reason=reason,
    )
    message = APPLICANT_WORDS[target]
    Notification.objects.create(
        user_id=candidature.applicant_id, candidature=candidature, message=message
    )
    offer = candidature.offer
    queue_email(
        candidature.applicant.email,
        "candidatures/email/status_changed",
        {
            "candidature": candidature,
            "offer": offer,
            "message": message,
            "reason": reason,
            "url": absolute_url(reverse("candidatures:list")),
        },
    )


def cancel_active(*, user, actor, reason="Demande supprimée par le demandeur."):
    """Cancel the applicant's active candidature before a decision (request deleted)."""
    for candidature in Candidature.objects.active().of_applicant(user):
        if candidature.status in TRANSITIONS["cancel"].sources:
            transition(candidature, "cancel", actor=actor, role=Role.APPLICANT, reason=reason)
        else:
            transition(candidature, "end", actor=None, role=Role.SYSTEM, reason=reason)


def forward_best(*, offer, actor, candidatures):
    """Forward the chosen validated candidatures, up to the per-offer maximum."""
    limit = settings.CANDIDATURES_FORWARD_MAX
    already = Candidature.objects.filter(
        offer=offer, status__in=[s for s in ACTIVE if s not in (Status.SUBMITTED, Status.VALIDATED)]
    ).count()
    forwarded = []
    for candidature in candidatures:
        if already + len(forwarded) >= limit:
            raise CandidatureError(
                f"Au plus {limit} candidatures peuvent être transmises au bailleur pour une offre."
            )
        forwarded.append(transition(candidature, "forward", actor=actor, role=Role.ADVISOR))
    return forwarded


def end_stale(now=None):
    """End the candidatures left without decision on offers allocated or closed."""
    ended = 0
    stale = (
        Candidature.objects.active()
        .filter(offer__status__in=[Offer.Status.ALLOCATED, Offer.Status.CLOSED])
        .exclude(status=Status.ACCEPTED)
        .filter(status__in=TRANSITIONS["end"].sources)
    )
    for candidature in stale.select_related("offer"):
        transition(
            candidature,
            "end",
            actor=None,
            role=Role.SYSTEM,
            reason="L'offre a été clôturée sans décision sur votre candidature.",
        )
        ended += 1
    return ended


def working_days_between(start, end):
    days, current = 0, start
    while current < end:
        current += timezone.timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def remind_advisors(today=None):
    """Email advisors the candidatures waiting for validation for more than 2 working days."""
    from accounts.models import User

    today = today or timezone.localdate()
    waiting = [
        c
        for c in Candidature.objects.filter(status=Status.SUBMITTED).select_related("offer")
        if working_days_between(timezone.localdate(c.applied_at), today) > 2
    ]
    if not waiting:
        return 0
    for advisor in User.objects.filter(is_staff=True, is_active=True):
        queue_email(
            advisor.email,
            "candidatures/email/advisor_reminder",
            {
                "candidatures": waiting,
                "url": absolute_url(
                    reverse("admin:candidatures_candidature_changelist") + "?status__exact=deposee"
                ),
            },
        )
    return len(waiting)
