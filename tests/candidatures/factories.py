import factory
from django.utils import timezone

from candidatures.models import Candidature
from candidatures.workflow import FORWARDED_OR_LATER, Status
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory


class CandidatureFactory(factory.django.DjangoModelFactory):
    """A candidature in a given state (built directly: for setting up situations only;
    the tests move candidatures with services.transition)."""

    class Meta:
        model = Candidature

    status = Status.SUBMITTED
    demande = factory.SubFactory(DemandeFactory)
    applicant = factory.SelfAttribute("demande.user")
    offer = factory.SubFactory(OfferFactory)
    number = factory.SelfAttribute("demande.number")
    legal_priority = factory.SelfAttribute("demande.legal_priority")
    company_priority = factory.SelfAttribute("demande.company_priority")
    company_designation = factory.SelfAttribute("demande.company_designation")
    first_filed_on = factory.SelfAttribute("demande.first_filed_on")
    forwarded_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in FORWARDED_OR_LATER else None
    )
