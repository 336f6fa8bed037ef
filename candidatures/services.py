"""Every change of a candidature goes through here: apply, and named transitions."""

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, queue_email
from offres.eligibility import explain, request_refusal
from offres.models import Offer
from offres.services import mark_allocated

from .models import (
    Candidature,
    CandidatureEvent,
    Notification,
    designation_counts,
    ranking_facts,
)
from .selectors import email_context
from .workflow import (
    ACTIVE,
    HOUSED,
    LANDLORD_WORDS,
    MISSING,
    PROPOSED,
    TRANSITIONS,
    Role,
    Status,
    Transition,
    applicant_words,
)

# What silence means (CCH R441-10), said wherever an answer is expected.
WITHOUT_ANSWER = "sans réponse, la proposition sera considérée comme refusée"

ONE_ACTIVE = (
    "Vous ne pouvez avoir qu'une seule candidature active : vous vous positionnez sur un seul "
    "logement à la fois. Annulez votre candidature en cours pour postuler à celle-ci."
)


# "Je postule" is not a move between states but is recorded and told like one.
APPLY = Transition("apply", "Je postule", (), Status.SUBMITTED, Role.APPLICANT)


class CandidatureError(Exception):
    """A refused action, explained in French."""


def why_cannot_apply(user, offer, demande):
    """The reason an applicant cannot apply to this offer, or None.

    Applying needs an imported request, confirmed supporting documents, an offer open
    to the applicant's situation (which includes a deadline not passed) and no other
    active candidature.
    """
    if demande is None:
        return "Importez votre demande de logement social pour postuler."
    # Housed: the request is satisfied, whatever the offer (offers stay browsable).
    housed = (
        Candidature.objects.of_applicant(user)
        .filter(status__in=HOUSED)
        .order_by("-updated_at")
        .first()
    )
    if housed is not None:
        return housed_reason(housed)
    if not demande.can_apply:
        return (
            "Confirmez d'abord le dépôt de vos pièces justificatives sur "
            "demande-logement-social.gouv.fr."
        )
    # The request itself: still valid (not struck off). Offers remain browsable.
    refusal = request_refusal(demande)
    if refusal:
        return refusal
    # The SQL filter is the authority; the explanation only words its refusal.
    if not Offer.objects.open_to(demande).filter(pk=offer.pk).exists():
        reasons = explain(offer, demande) or [
            "Ce logement ne correspond pas à votre situation ou n'est plus ouvert."
        ]
        return " ".join(reasons)
    if Candidature.objects.active().of_applicant(user).exists():
        return ONE_ACTIVE
    return None


def housed_reason(candidature):
    """Why a housed applicant cannot apply again, in French."""
    if candidature.status == Status.MOVED_IN:
        return (
            f"Vous êtes logé(e) depuis le {candidature.lease_signed_on:%d/%m/%Y} "
            f"({candidature.offer.get_typology_display()} à {candidature.offer.commune.name}) : "
            "votre demande de logement social est satisfaite, vous ne pouvez plus postuler. "
            "Vous pouvez toujours consulter les offres."
        )
    return (
        f"Vous avez accepté un logement ({candidature.offer.get_typology_display()} à "
        f"{candidature.offer.commune.name}) : votre recherche est terminée, vous ne pouvez "
        "plus postuler. Vous pouvez toujours consulter les offres."
    )


def apply(*, user, offer, demande, actor=None):
    """ "Je postule": create the candidature. The database refuses a second active one,
    even when two requests arrive at the same time. ``actor``: who applied when it is
    not the applicant (company HR in delegation mode, recorded on the event)."""
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
                **ranking_facts(demande),
            )
            _record(candidature, APPLY, "", actor or user, Role.APPLICANT, "")
    except IntegrityError as exc:
        raise CandidatureError(ONE_ACTIVE) from exc
    return candidature


def refresh_designation(*, demande):
    """Keep the active candidature's designation fact in step with the request when the
    company designates the applicant or the applicant changes their data choice (the
    other ranking facts stay as they were when the applicant applied)."""
    counts = designation_counts(demande)
    return (
        Candidature.objects.active()
        .of_applicant(demande.user_id)
        .exclude(company_designation=counts)
        .update(company_designation=counts)
    )


def transition(candidature, name, *, actor, role, reason="", **data):
    """Make a named transition of the workflow table, or refuse it with a clear message.

    ``data`` holds the facts the step records (visit date, committee date and rank,
    lease date), as declared in the table: a missing one is refused in French, an
    undeclared one is a programming error (nothing else may be set this way). What the
    step checks, sets and causes is declared in the table too (``checks``,
    ``prepares``, ``effects``, ``email``) and run here in that order.
    """
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise CandidatureError("Action inconnue.")
    unexpected = set(data) - set(spec.records) - set(spec.optional)
    if unexpected:
        raise TypeError(f"« {name} » n'enregistre pas {sorted(unexpected)}")
    reason = (reason or "").strip()
    with transaction.atomic():
        if spec.locks_offer:
            # The offer first, then the candidatures (always in this order, so that two
            # answers on the same offer queue up instead of deadlocking).
            Offer.objects.select_for_update().filter(pk=candidature.offer_id).first()
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
        for field in spec.records:
            if data.get(field) in (None, ""):
                raise CandidatureError(MISSING[field])
        for check in spec.checks:
            CHECKS[check](current, data)
        previous = current.status
        current.status = spec.target
        for field, value in data.items():
            setattr(current, field, value)
        if spec.decision:
            current.committee_decision = spec.decision
        for prepare in spec.prepares:
            PREPARES[prepare](current)
        if reason:
            current.decision_reason = reason
        current._history_user = actor  # the audit trail names who made the change
        current.save()
        _record(current, spec, previous, actor, role, reason)
        for effect in spec.effects:
            EFFECTS[effect](current, reason)
    candidature.__dict__.update(current.__dict__)
    return current


def _turn_to_answer(candidature, data):
    """Attribution in order of priority: one answers when those ranked before have
    declined."""
    if better_ranked_pending(candidature).exists():
        raise CandidatureError(
            "Le logement est d'abord proposé au candidat classé avant vous par la "
            "commission : vous serez prévenu(e) s'il le refuse."
        )


def _committee_not_future(candidature, data):
    if data["committee_on"] > timezone.localdate():
        raise CandidatureError(
            "La date de la commission ne peut pas être dans le futur : enregistrez la "
            "décision une fois la commission tenue."
        )


def _committee_after_visit(candidature, data):
    """A decision cannot be dated before the visit the landlord recorded."""
    visit = candidature.visit_at
    if visit and data["committee_on"] < timezone.localtime(visit).date():
        raise CandidatureError(
            f"La commission ne peut pas être datée avant la visite du "
            f"{timezone.localtime(visit):%d/%m/%Y} : corrigez la date de la commission ou "
            "reprogrammez la visite."
        )


def _rank_free(candidature, data):
    rank = data.get("committee_rank")
    if rank is None:
        return
    taken = (
        Candidature.objects.filter(offer_id=candidature.offer_id, committee_rank=rank)
        .exclude(pk=candidature.pk)
        .exists()
    )
    if taken:
        raise CandidatureError(
            f"Le rang {rank} est déjà attribué à une autre candidature de cette offre : "
            "chaque rang de la commission est unique."
        )


def _no_other_attributed(candidature, data):
    """ "Attribution du logement" names one candidate: nobody else holds the offer."""
    others = Candidature.objects.filter(
        offer_id=candidature.offer_id, status__in=(*PROPOSED, *HOUSED)
    ).exclude(pk=candidature.pk)
    if others.exists():
        raise CandidatureError(
            "Ce logement est déjà attribué à un autre candidat : choisissez « Attribution "
            "par ordre de priorité » avec un rang."
        )


def _lease_not_future(candidature, data):
    if data["lease_signed_on"] > timezone.localdate():
        raise CandidatureError(
            "La date de signature du bail ne peut pas être dans le futur : enregistrez "
            "l'entrée dans les lieux une fois le bail signé."
        )


def _lease_after_committee(candidature, data):
    if candidature.committee_on and data["lease_signed_on"] < candidature.committee_on:
        raise CandidatureError(
            f"Le bail ne peut pas être signé avant la commission du "
            f"{candidature.committee_on:%d/%m/%Y}."
        )


def _stamp_forwarded(candidature):
    candidature.forwarded_at = timezone.now()


def _start_answer_delay(candidature):
    """Whose turn it is now gets the answer delay; the others get theirs when the ones
    ranked before them decline."""
    if not better_ranked_pending(candidature).exists():
        candidature.answer_by = answer_deadline()


def visit_step(candidature):
    """The transition recording a visit date: the first one, or a new date for it."""
    return "reschedule_visit" if candidature.status == Status.VISIT else "schedule_visit"


def better_ranked_pending(candidature):
    """Attribution in order of priority (CALEOL): the other candidatures on the same
    offer, attributed with a better committee rank, that have not answered yet.

    A candidature attributed without a rank comes after every ranked one.
    """
    others = Candidature.objects.filter(
        offer_id=candidature.offer_id,
        status__in=(Status.ATTRIBUTED, Status.ATTRIBUTED_CONDITION),
    ).exclude(pk=candidature.pk)
    if candidature.committee_rank is None:
        return others.filter(committee_rank__isnull=False)
    return others.filter(committee_rank__lt=candidature.committee_rank)


def _offer_to_next(declined, reason):
    """The candidate declined: tell the next attributed candidate it is now their turn."""
    waiting = (
        Candidature.objects.filter(
            offer_id=declined.offer_id,
            status__in=(Status.ATTRIBUTED, Status.ATTRIBUTED_CONDITION),
        )
        .exclude(pk=declined.pk)
        .order_by(F("committee_rank").asc(nulls_last=True), "pk")
        .select_related("offer__commune", "applicant")
        .first()
    )
    if waiting is None or better_ranked_pending(waiting).exists():
        return
    waiting.answer_by = answer_deadline()
    Candidature.objects.filter(pk=waiting.pk).update(answer_by=waiting.answer_by)
    _notify(
        waiting,
        "Le candidat classé avant vous a refusé le logement : il vous est désormais proposé. "
        f"Acceptez-le ou refusez-le dans « Mes candidatures » avant le "
        f"{waiting.answer_by:%d/%m/%Y} inclus ; {WITHOUT_ANSWER}.",
        "",
        "candidatures/email/attributed",
    )


def answer_deadline(today=None):
    """The last day to answer a proposal that starts today:
    ``CANDIDATURES_ANSWER_DAYS`` (10 by default, *unconfirmed*) calendar days."""
    today = today or timezone.localdate()
    return today + timezone.timedelta(days=settings.CANDIDATURES_ANSWER_DAYS)


def expire_unanswered(today=None):
    """Proposals not answered by their deadline count as declined ("sans réponse"),
    and the dwelling goes to the next ranked candidate. Only the candidate whose turn
    it is can run out of time."""
    today = today or timezone.localdate()
    expired = 0
    late = Candidature.objects.filter(
        status__in=(Status.ATTRIBUTED, Status.ATTRIBUTED_CONDITION), answer_by__lt=today
    ).order_by(F("committee_rank").asc(nulls_last=True), "pk")
    for candidature in late:
        if better_ranked_pending(candidature).exists():
            continue
        transition(
            candidature,
            "expire",
            actor=None,
            role=Role.SYSTEM,
            reason=f"Pas de réponse avant le {candidature.answer_by:%d/%m/%Y}.",
        )
        expired += 1
    return expired


def working_days_before(day, count):
    """The day ``count`` working days (Monday to Friday) before ``day``."""
    return working_days_ago(day, count)


def remind_answer_due(today=None):
    """Remind the applicant whose turn it is to answer a proposal, once,
    ``CANDIDATURES_ANSWER_REMINDER_WORKING_DAYS`` (3) working days before the deadline
    (or later, if the deadline was set closer than that). Public holidays are not taken
    into account."""
    today = today or timezone.localdate()
    due = Candidature.objects.filter(
        status__in=PROPOSED,
        answer_by__gte=today,
        answer_reminded_at__isnull=True,
    ).select_related("offer__commune", "offer__landlord", "applicant")
    sent = 0
    days = settings.CANDIDATURES_ANSWER_REMINDER_WORKING_DAYS
    for candidature in due:
        if working_days_before(candidature.answer_by, days) > today:
            continue
        if better_ranked_pending(candidature).exists():
            continue
        with transaction.atomic():
            updated = Candidature.objects.filter(
                pk=candidature.pk, answer_reminded_at__isnull=True
            ).update(answer_reminded_at=timezone.now())
            if not updated:  # another run got there first
                continue
            _notify(
                candidature,
                f"Rappel : le logement vous est proposé, répondez avant le "
                f"{candidature.answer_by:%d/%m/%Y} inclus ; {WITHOUT_ANSWER}.",
                "",
                "candidatures/email/answer_reminder",
            )
        sent += 1
    return sent


def _tell_landlord(candidature, reason):
    """The applicant's own moves on a forwarded file (accepted, declined, cancelled)
    reach the landlord by email, in the landlord's words."""
    if candidature.forwarded_at is None:
        return
    offer = candidature.offer
    queue_email(
        offer.landlord.contact_email,
        "candidatures/email/landlord_news",
        {
            "candidature": candidature,
            "offer": offer,
            "message": LANDLORD_WORDS[candidature.status],
            "reason": reason,
            "url": absolute_url(reverse("bailleur_candidatures:detail", args=[candidature.pk])),
        },
    )


def _allocate(accepted, reason):
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


def _record(candidature, spec, previous, actor, role, reason):
    CandidatureEvent.objects.create(
        candidature=candidature,
        transition=spec.name,
        from_status=previous,
        to_status=spec.target,
        actor=actor,
        role=role,
        reason=reason,
    )
    _notify(candidature, applicant_words(spec.name, spec.target), reason, spec.email)


def _notify(candidature, message, reason, email="candidatures/email/status_changed"):
    """Tell the applicant: an in-app notification and an email (outbox, same
    transaction). The email's context is the card of "Mes candidatures" (same facts)."""
    Notification.objects.create(
        user_id=candidature.applicant_id, candidature=candidature, message=message
    )
    # The request's contact address (confirmed on the mini-form), the account's in copy
    # when different; the email names the request's applicant(s), the legal applicants.
    demande = candidature.demande
    addresses = demande.contact_emails if demande else [candidature.applicant.email]
    context = {
        **email_context(candidature, message, reason),
        "applicants": demande.applicants_names if demande else "",
    }
    for address in addresses:
        queue_email(address, email, context)


@transaction.atomic
def end_for_expired_request(*, user, valid_until):
    """The applicant's request was not renewed: its candidatures not yet decided end
    (system transition ``request_expired``, the applicant is told why)."""
    reason = (
        f"Votre demande de logement social n'a pas été renouvelée : elle était valable "
        f"jusqu'au {valid_until:%d/%m/%Y}. Renouvelez-la sur demande-logement-social.gouv.fr, "
        "puis cliquez sur « Mettre à jour ma demande » pour postuler de nouveau."
    )
    ended = 0
    for candidature in Candidature.objects.of_applicant(user).filter(
        status__in=TRANSITIONS["request_expired"].sources
    ):
        transition(candidature, "request_expired", actor=None, role=Role.SYSTEM, reason=reason)
        ended += 1
    return ended


@transaction.atomic
def cancel_active(*, user, actor, reason="Demande supprimée par le demandeur."):
    """Cancel the applicant's active candidature (request deleted): cancelled before a
    decision, ended as "non retenue" after it."""
    for candidature in Candidature.objects.active().of_applicant(user):
        if candidature.status in TRANSITIONS["cancel"].sources:
            transition(candidature, "cancel", actor=actor, role=Role.APPLICANT, reason=reason)
        else:
            transition(candidature, "end", actor=None, role=Role.SYSTEM, reason=reason)


@transaction.atomic
def forward_best(*, offer, actor, candidatures):
    """Forward the validated candidatures the advisor chose, up to the per-offer maximum
    (``CANDIDATURES_FORWARD_MAX``, 3 by default: the CALEOL usually examines 3
    candidates per dwelling). All or nothing: over the maximum, none is forwarded."""
    # One advisor at a time per offer, so that two batches cannot both pass the count.
    Offer.objects.select_for_update().filter(pk=offer.pk).first()
    if any(c.offer_id != offer.pk for c in candidatures):
        raise ValueError("Toutes les candidatures doivent porter sur la même offre.")
    limit = settings.CANDIDATURES_FORWARD_MAX
    already = Candidature.objects.active().filter(offer=offer, forwarded_at__isnull=False).count()
    if already + len(candidatures) > limit:
        raise CandidatureError(
            f"Au plus {limit} candidatures peuvent être transmises au bailleur pour l'offre "
            f"« {offer} » : {already} déjà transmise(s), {len(candidatures)} choisie(s). "
            "Aucune n'a été transmise."
        )
    forwarded = [
        transition(candidature, "forward", actor=actor, role=Role.ADVISOR)
        for candidature in candidatures
    ]
    if forwarded:
        queue_email(
            offer.landlord.contact_email,
            "candidatures/email/landlord_forwarded",
            {
                "offer": offer,
                "candidatures": forwarded,
                "url": absolute_url(reverse("bailleur_candidatures:list")),
            },
        )
    return forwarded


def stale_candidatures(today=None):
    """Candidatures that ended without a decision, because their offer did:

    - the offer is allocated: every active candidature but the accepted one;
    - the offer was closed before its deadline (withdrawn by the landlord): all of them;
    - the offer closed at its deadline and no decision came within
      ``CANDIDATURES_DECISION_DELAY_DAYS`` (90 days by default) after it.
    """
    today = today or timezone.localdate()
    delay = timezone.timedelta(days=settings.CANDIDATURES_DECISION_DELAY_DAYS)
    closed = Q(offer__status=Offer.Status.CLOSED) & (
        Q(offer__deadline__gte=today) | Q(offer__deadline__lt=today - delay)
    )
    return (
        Candidature.objects.active()
        .exclude(status=Status.ACCEPTED)
        .filter(Q(offer__status=Offer.Status.ALLOCATED) | closed)
    )


def end_stale(today=None):
    """End the candidatures left without a decision on offers allocated or closed."""
    ended = 0
    for candidature in stale_candidatures(today).select_related("offer"):
        if candidature.offer.status == Offer.Status.ALLOCATED:
            reason = "Le logement a été attribué à un autre candidat."
        else:
            reason = "L'offre a été clôturée sans décision sur votre candidature."
        transition(candidature, "end", actor=None, role=Role.SYSTEM, reason=reason)
        ended += 1
    return ended


def working_days_ago(today, count):
    """The day ``count`` working days (Monday to Friday) before ``today``: on Wednesday,
    2 working days ago is Monday; on Monday, it is the Thursday before.

    Public holidays are not taken into account (the reminder may come a day early).
    """
    day = today
    while count:
        day -= timezone.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def remind_advisors(today=None):
    """Email advisors the candidatures waiting for validation for more than 2 working
    days (deposited before the start of the day 2 working days ago), in one query."""
    from accounts.models import User

    today = today or timezone.localdate()
    before = timezone.make_aware(datetime.combine(working_days_ago(today, 2), time.min))
    waiting = list(
        Candidature.objects.waiting_for_validation(before)
        .select_related("offer", "applicant", "demande__coapplicant")
        .order_by("applied_at")
    )
    if not waiting:
        return 0
    for advisor in User.objects.filter(is_staff=True, is_active=True):
        queue_email(
            advisor.email,
            "candidatures/email/advisor_reminder",
            {
                "candidatures": waiting,
                "url": absolute_url(
                    reverse("admin:candidatures_candidature_changelist")
                    + f"?status__exact={Status.SUBMITTED}"
                ),
            },
        )
    return len(waiting)


# What the workflow table's names mean (see candidatures/workflow.py).
CHECKS = {
    "turn_to_answer": _turn_to_answer,
    "committee_not_future": _committee_not_future,
    "committee_after_visit": _committee_after_visit,
    "rank_free": _rank_free,
    "no_other_attributed": _no_other_attributed,
    "lease_not_future": _lease_not_future,
    "lease_after_committee": _lease_after_committee,
}
PREPARES = {"stamp_forwarded": _stamp_forwarded, "start_answer_delay": _start_answer_delay}
EFFECTS = {"tell_landlord": _tell_landlord, "allocate": _allocate, "offer_to_next": _offer_to_next}


def _check_declarations():
    """Fail at import, not in the middle of a transition, when the table names a check,
    preparation or effect that has no implementation (extension points fail loudly)."""
    for spec in TRANSITIONS.values():
        for kind, names, known in (
            ("checks", spec.checks, CHECKS),
            ("prepares", spec.prepares, PREPARES),
            ("effects", spec.effects, EFFECTS),
        ):
            missing = set(names) - set(known)
            if missing:
                raise ImproperlyConfigured(
                    f"Transition « {spec.name} » : {kind} inconnus {sorted(missing)}"
                )


_check_declarations()


@transaction.atomic
def mark_notifications_read(*, user):
    """ "Tout marquer comme lu"."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
