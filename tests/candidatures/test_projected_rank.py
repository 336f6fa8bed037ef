"""« Si vous postulez maintenant, vous seriez classé 3e sur 12 »: the rank shown before
applying is the rank the applicant gets by applying, by the same ranking rule."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidatures import services
from candidatures.models import Candidature
from candidatures.selectors import projected_rank
from candidatures.workflow import ACTIVE, Status
from demandes.models import Demande
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db

FACTS = st.fixed_dictionaries(
    {
        "legal_priority": st.booleans(),
        "company_priority": st.booleans(),
        "company_designation": st.booleans(),
        "anonymous": st.booleans(),  # data-sharing choice 1: the designation does not count
        "filed_days_ago": st.sampled_from([100, 400, 400, 900, 2000]),
    }
)


def request_with(facts, **kwargs):
    sharing = Demande.DataSharing
    return DemandeFactory(
        legal_priority=facts["legal_priority"],
        company_priority=facts["company_priority"],
        company_designation=facts["company_designation"],
        data_sharing=sharing.ANONYMOUS if facts["anonymous"] else sharing.MOST,
        first_filed_on=timezone.localdate() - datetime.timedelta(days=facts["filed_days_ago"]),
        **kwargs,
    )


def real_rank(candidature):
    # Read every position: a filter on the pk would rank that one row alone.
    ranked = Candidature.objects.active().filter(offer=candidature.offer).ranked()
    return dict(ranked.values_list("pk", "position"))[candidature.pk]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    others=st.lists(
        st.tuples(FACTS, st.sampled_from([Status.SUBMITTED, Status.FORWARDED, Status.CANCELLED])),
        max_size=8,
    ),
    mine=FACTS,
)
def test_the_projected_rank_is_the_rank_obtained_by_applying(ceilings, others, mine):
    place = CommuneFactory()
    offer = OfferFactory(commune=place)
    for facts, status in others:
        CandidatureFactory(offer=offer, status=status, demande=request_with(facts))
    demande = request_with(
        mine,
        communes=[place],
        monthly_resources=Decimal("2400"),
        information_confirmed_at=timezone.now(),
    )

    projection = projected_rank(offer, demande)
    candidature = services.apply(user=demande.user, offer=offer, demande=demande)

    assert projection.rank == real_rank(candidature)
    assert (
        projection.competitors == Candidature.objects.filter(offer=offer, status__in=ACTIVE).count()
    )
    assert sum(count for _, count in projection.ahead) == projection.rank - 1
    Candidature.objects.filter(offer=offer).delete()
    offer.delete()


def test_the_offer_page_shows_the_projected_rank_and_mes_candidatures_the_same(client, ceilings):
    place = CommuneFactory()
    offer = OfferFactory(commune=place)
    priority = {"legal_priority": True, "company_priority": False, "company_designation": False}
    older = {"legal_priority": False, "company_priority": False, "company_designation": False}
    CandidatureFactory(
        offer=offer, demande=request_with({**priority, "anonymous": False, "filed_days_ago": 100})
    )
    CandidatureFactory(
        offer=offer, demande=request_with({**older, "anonymous": False, "filed_days_ago": 2000})
    )
    CandidatureFactory(
        offer=offer, demande=request_with({**older, "anonymous": False, "filed_days_ago": 10})
    )
    CandidatureFactory(
        offer=offer,
        status=Status.CANCELLED,
        demande=request_with({**priority, "anonymous": False, "filed_days_ago": 100}),
    )
    demande = request_with(
        {**older, "anonymous": False, "filed_days_ago": 400},
        communes=[place],
        monthly_resources=Decimal("2400"),
        information_confirmed_at=timezone.now(),
    )
    client.force_login(demande.user)

    page = unescape(client.get(f"/offres/{offer.pk}/").content.decode())
    assert "Si vous postulez maintenant, vous seriez classé(e) 3e sur 4." in page
    assert "1 candidat — public prioritaire reconnu par la loi" in page
    assert "1 candidat — demande de logement plus ancienne" in page

    client.post(f"/candidatures/postuler/{offer.pk}/")
    mine = unescape(client.get("/candidatures/").content.decode()).replace("</strong>", "")
    assert "Votre rang : 3e sur 4" in mine
