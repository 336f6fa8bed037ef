import factory

from candidatures.models import Candidature
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory


class CandidatureFactory(factory.django.DjangoModelFactory):
    """A candidature in a given state (built directly: for setting up situations only;
    the tests move candidatures with services.transition)."""

    class Meta:
        model = Candidature

    demande = factory.SubFactory(DemandeFactory)
    applicant = factory.SelfAttribute("demande.user")
    offer = factory.SubFactory(OfferFactory)
    number = factory.SelfAttribute("demande.number")
    legal_priority = factory.SelfAttribute("demande.legal_priority")
    company_priority = factory.SelfAttribute("demande.company_priority")
    company_designation = factory.SelfAttribute("demande.company_designation")
    first_filed_on = factory.SelfAttribute("demande.first_filed_on")
