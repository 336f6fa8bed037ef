"""The landlord's file of one forwarded candidature: what the web page and the PDF
show, computed once so that both say the same thing."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from demandes.documents import document_states

from .models import AHEAD_REASONS, RANKING_CRITERIA, Candidature, why_ahead


@dataclass(frozen=True)
class Effort:
    """The household's housing cost against its resources, per month."""

    rent: Decimal
    charges: Decimal
    allowance: Decimal
    resources: Decimal

    @property
    def net_cost(self):
        """What the household pays: rent and charges minus the housing allowance."""
        return self.rent + self.charges - self.allowance

    @property
    def rate(self):
        """Taux d'effort (arrêté du 10 mars 2011): (loyer + charges − aide au logement)
        / ressources mensuelles du ménage. None when the resources are unknown (0)."""
        if not self.resources:
            return None
        return (self.net_cost / self.resources).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def remaining(self):
        """Reste à vivre: resources and allowance left once rent and charges are paid."""
        return self.resources + self.allowance - self.rent - self.charges


def effort_of(candidature):
    demande = candidature.demande
    offer = candidature.offer
    return Effort(
        rent=offer.rent,
        charges=offer.charges,
        allowance=demande.housing_allowance,
        resources=demande.monthly_resources,
    )


def rank_and_reason(candidature):
    """The one rank to show and why: the committee's once it ranked, otherwise the
    provisional rank among the offer's active candidatures with the criterion that
    placed each candidature before this one."""
    if candidature.committee_rank:
        return (
            candidature.committee_rank,
            f"rang attribué par la commission (CALEOL) du {candidature.committee_on:%d/%m/%Y}",
        )
    if candidature.committee_on:
        return None, "décision de la commission (CALEOL) sans rang"
    if not candidature.is_active:
        return None, "candidature close"
    facts = [field for field, _, _ in RANKING_CRITERIA]
    rows = list(
        Candidature.objects.active()
        .filter(offer_id=candidature.offer_id)
        .ranked()
        .values("pk", "position", "committee_rank", *facts)
    )
    mine = next((r for r in rows if r["pk"] == candidature.pk), None)
    if mine is None:
        return None, ""
    ahead = [why_ahead(r, mine) for r in rows if r["position"] < mine["position"]]
    if not ahead:
        reason = f"rang provisoire sur {len(rows)} candidature(s) active(s) : en tête du classement"
    else:
        counts = ", ".join(
            f"{words} ({ahead.count(words)})" for words in AHEAD_REASONS if words in ahead
        )
        reason = (
            f"rang provisoire sur {len(rows)} candidature(s) active(s) ; classées avant : {counts}"
        )
    return mine["position"], reason


def landlord_file(candidature):
    """The context of the file's web page and PDF."""
    demande = candidature.demande
    rank, rank_reason = rank_and_reason(candidature)
    priorities = [
        words
        for field, words in (
            ("legal_priority", "Public prioritaire (article L441-1 du CCH)"),
            ("company_priority", "Salarié d'une entreprise de 10 salariés et plus"),
            ("company_designation", "Désigné par son entreprise (points entreprise)"),
        )
        if getattr(candidature, field)
    ]
    return {
        "candidature": candidature,
        "demande": demande,
        "offer": candidature.offer,
        # Who: the request's applicants and household, as demandes describes them
        # (the account holder is the contact, never the applicant).
        "applicants": demande.applicants if demande else [],
        "household": demande.household if demande else [],
        "effort": effort_of(candidature) if demande else None,
        "documents": document_states(demande) if demande else [],
        "priorities": priorities,
        "rank": rank,
        "rank_reason": rank_reason,
        "events": list(candidature.events.select_related("actor")),
    }
