"""Changes made by company HR: designations, and acts on an employee's request in
delegation mode (choice 4). Each act is checked against the choice read from the
database at that moment, recorded as done by HR on the applicant's behalf ("Qui a
consulté ma demande") and notified to the applicant (notification and email)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from candidatures import services as candidature_services
from candidatures.models import Candidature, Notification
from candidatures.workflow import TRANSITIONS, Role
from core.emails import absolute_url, queue_email
from demandes import services as demande_services
from demandes.models import Demande
from offres.models import Offer

from .models import Access, Company, Designation
from .selectors import DESIGNABLE_LEVELS, Level, linked_demandes


class CompanyError(Exception):
    """A refused HR action, explained in French."""


class NotVisible(CompanyError):
    """The request is not the company's, or its applicant's choice hides it (404)."""


NOT_FOUND = "Ce salarié n'est pas (ou plus) visible par votre entreprise."


def _employee(company, pk, levels):
    demande = linked_demandes(company).select_for_update(of=("self",)).filter(pk=pk).first()
    if demande is None or demande.data_sharing not in levels:
        raise NotVisible(NOT_FOUND)
    return demande


@transaction.atomic
def designate(*, actor, company, demande_pk):
    """Designate an employee for priority ("points entreprise") this year, within the
    company's yearly quota. Needs choice 2, 3 or 4."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    demande = linked_demandes(company).select_for_update(of=("self",)).filter(pk=demande_pk)
    demande = demande.first()
    if demande is None:
        raise NotVisible(NOT_FOUND)
    if demande.data_sharing not in DESIGNABLE_LEVELS:
        raise NotVisible(
            "Ce salarié a choisi de rester anonyme : il ne peut pas être désigné "
            "(pas de points entreprise)."
        )
    year = timezone.localdate().year
    if Designation.objects.filter(demande=demande, year=year).exists():
        raise CompanyError(f"Ce salarié est déjà désigné pour {year}.")
    used = company.designations.filter(year=year).count()
    if used >= company.designation_quota:
        raise CompanyError(
            f"Votre quota de {company.designation_quota} désignation(s) pour {year} est "
            "atteint. Rapprochez-vous de votre conseiller Action Logement."
        )
    Designation.objects.create(company=company, demande=demande, year=year, designated_by=actor)
    apply_designation(demande)
    _notify(
        demande,
        f"Votre entreprise {company.name} vous a désigné(e) : votre demande "
        "bénéficie des points entreprise.",
        company,
    )
    return demande


def apply_designation(demande):
    """Carry this year's designation onto the request (the registry's copy does not
    know it) and onto the active candidature's ranking facts."""
    designated = Designation.objects.filter(
        demande=demande, year=timezone.localdate().year
    ).exists()
    if designated and not demande.company_designation:
        demande.company_designation = True
        Demande.objects.filter(pk=demande.pk).update(company_designation=True)
    candidature_services.refresh_designation(demande=demande)


def _notify(demande, message, company, candidature=None):
    Notification.objects.create(user_id=demande.user_id, candidature=candidature, message=message)
    # Like every email about the request or a candidature: to the request's contact
    # address, the account's in copy, naming the request's applicant(s).
    context = {
        "message": message,
        "company": company,
        "demande": demande,
        "url": absolute_url(reverse("company_accesses")),
    }
    for address in demande.contact_emails:
        queue_email(address, "entreprises/email/company_news", context)


def _record_act(actor, company, demande, words, candidature=None):
    """The act in the applicant's log and notified to the applicant."""
    name = actor.get_full_name() or actor.email
    Access.objects.create(
        applicant_id=demande.user_id,
        reader=actor,
        reader_name=f"{name} ({actor.email})",
        company=company,
        company_name=company.name,
        level=Level.DELEGATED,
        kind=Access.Kind.ACT,
        detail=words,
    )
    _notify(
        demande,
        f"{name}, de votre entreprise {company.name}, a agi pour votre compte "
        f"(délégation) : {words}.",
        company,
        candidature,
    )


def _delegated(company, pk):
    demande = _employee(company, pk, (Level.DELEGATED,))
    demande.user  # noqa: B018 — loaded once for the notification
    return demande


@transaction.atomic
def refresh_for(*, actor, company, demande_pk):
    """ "Mettre à jour la demande" from the national registry, for the applicant."""
    demande = _delegated(company, demande_pk)
    try:
        demande_services.refresh_from_registry(demande=demande)
    except demande_services.DemandeError as exc:
        raise CompanyError(str(exc)) from exc
    _record_act(actor, company, demande, "mise à jour de la demande depuis le registre national")
    return demande


@transaction.atomic
def update_professional_for(
    *, actor, company, demande_pk, professional_situation, siret, company_code
):
    """The mini-form's professional fields (situation, SIRET, Code Entreprise), already
    validated by the form (same rules as the applicant's)."""
    demande = _delegated(company, demande_pk)
    demande.professional_situation = professional_situation
    demande.siret = siret
    demande.company_code = company_code
    demande._history_user = actor
    demande.save(update_fields=["professional_situation", "siret", "company_code", "refreshed_at"])
    _record_act(
        actor,
        company,
        demande,
        "situation professionnelle, SIRET et Code Entreprise mis à jour",
    )
    return demande


@transaction.atomic
def confirm_documents_for(*, actor, company, demande_pk):
    demande = _delegated(company, demande_pk)
    demande_services.confirm_documents(demande=demande)
    _record_act(actor, company, demande, "dépôt des pièces justificatives confirmé")
    return demande


def apply_for(*, actor, company, demande_pk, offer_pk):
    """ "Je postule" for the applicant, on an offer open to their request."""
    with transaction.atomic():
        demande = _delegated(company, demande_pk)
        offer = Offer.objects.filter(pk=offer_pk).select_related("commune").first()
        if offer is None:
            raise CompanyError("Cette offre n'existe pas.")
        try:
            candidature = candidature_services.apply(
                user=demande.user, offer=offer, demande=demande, actor=actor
            )
        except candidature_services.CandidatureError as exc:
            raise CompanyError(str(exc)) from exc
        _record_act(
            actor,
            company,
            demande,
            f"candidature déposée sur l'offre « {offer} »",
            candidature,
        )
    return candidature


@transaction.atomic
def cancel_for(*, actor, company, demande_pk):
    """Cancel the applicant's active candidature, before the committee's decision."""
    demande = _delegated(company, demande_pk)
    candidature = (
        Candidature.objects.active().of_applicant(demande.user_id).select_related("offer").first()
    )
    if candidature is None or candidature.status not in TRANSITIONS["cancel"].sources:
        raise CompanyError("Ce salarié n'a pas de candidature qui puisse être annulée.")
    try:
        candidature_services.transition(
            candidature,
            "cancel",
            actor=actor,
            role=Role.APPLICANT,
            reason=f"Annulée par votre entreprise {company.name}, pour votre compte.",
        )
    except candidature_services.CandidatureError as exc:
        raise CompanyError(str(exc)) from exc
    _record_act(
        actor,
        company,
        demande,
        f"candidature sur l'offre « {candidature.offer} » annulée",
        candidature,
    )
    return candidature
