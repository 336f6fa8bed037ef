"""Supporting documents (pièces justificatives) required to apply, by situation.

From the arrêté du 22 décembre 2020 (list of documents for the study of a file) as
summarised in ../shared/domain.md. The applicant deposits them on the national site
and confirms it here.
"""

from dataclasses import dataclass

from .models import Demande


@dataclass(frozen=True)
class Document:
    kind: str
    title: str
    detail: str


IDENTITY = Document(
    "identite",
    "Pièce d'identité",
    "Carte d'identité, passeport ou titre de séjour de chaque adulte du ménage.",
)
TAX_N2 = Document(
    "avis_imposition_n2",
    "Avis d'imposition N-2",
    "Avis d'imposition (ou de non-imposition) de chaque personne du ménage.",
)
TAX_N1 = Document(
    "avis_imposition_n1", "Avis d'imposition N-1", "Si disponible, l'avis de l'année dernière."
)
PAYSLIPS = Document(
    "bulletins_salaire", "Justificatifs de ressources", "Vos 3 derniers bulletins de salaire."
)
OTHER_INCOME = Document(
    "justificatif_ressources",
    "Justificatifs de ressources",
    "Attestations de pension, d'allocations ou d'indemnités (France Travail, CAF...).",
)
FAMILY = Document(
    "situation_familiale",
    "Situation familiale",
    "Livret de famille, acte de mariage ou de PACS, jugement de divorce le cas échéant.",
)
HOUSING = Document(
    "logement_actuel", "Logement actuel", "Quittances de loyer ou attestation d'hébergement."
)
CONTRACT = Document(
    "contrat_travail",
    "Situation professionnelle",
    "Contrat de travail ou attestation de l'employeur.",
)
DISABILITY = Document("handicap", "Handicap", "Carte mobilité inclusion ou décision de la MDPH.")

EMPLOYED = {
    Demande.ProfessionalSituation.CDI,
    Demande.ProfessionalSituation.PUBLIC,
    Demande.ProfessionalSituation.CDD,
    Demande.ProfessionalSituation.APPRENTICE,
}


def required_documents(demande):
    """The documents this applicant must have deposited before applying."""
    documents = [IDENTITY, TAX_N2, TAX_N1]
    if demande.professional_situation in EMPLOYED:
        documents += [PAYSLIPS, CONTRACT]
    else:
        documents.append(OTHER_INCOME)
    if demande.household_size > 1 or demande.co_applicant:
        documents.append(FAMILY)
    documents.append(HOUSING)
    if demande.reduced_mobility or any(m.get("handicap") for m in demande.household_members):
        documents.append(DISABILITY)
    return documents


def document_states(demande):
    """Each required document with whether the registry says it was deposited."""
    deposited = set(demande.documents)
    return [(doc, doc.kind in deposited) for doc in required_documents(demande)]
