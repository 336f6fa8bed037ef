"""« Élargir mes souhaits »: the communes around the wished ones where offers open to the
household wait, with the rank the applicant would have there."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from candidatures.widening import widening_gains
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db
GRAND_PARIS = "200054781"


def text(response):
    return unescape(response.content.decode())


@pytest.fixture
def places():
    return {
        "saint-ouen": CommuneFactory(epci=GRAND_PARIS),
        "aubervilliers": CommuneFactory(
            insee_code="93001", name="Aubervilliers", postal_code="93300", epci=GRAND_PARIS
        ),
        "saint-denis": CommuneFactory(
            insee_code="93066", name="Saint-Denis", postal_code="93200", epci=GRAND_PARIS
        ),
        "bordeaux": CommuneFactory(
            insee_code="33063",
            name="Bordeaux",
            postal_code="33000",
            department=DepartmentFactory(code="33", name="Gironde"),
            epci="243300316",
        ),
    }


@pytest.fixture
def applicant(client, ceilings, places):
    """One person, 1 800 € a month (T1/T2 up to 600 €), request filed in 2022, who wishes
    Saint-Ouen only, where no offer is open to them."""
    demande = DemandeFactory(
        communes=[places["saint-ouen"]],
        monthly_resources=Decimal("1800"),
        first_filed_on=datetime.date(2022, 5, 1),
        legal_priority=False,
        information_confirmed_at=timezone.now(),
        documents_confirmed_at=timezone.now(),
    )
    client.force_login(demande.user)
    return demande


def offers_around(places):
    first = OfferFactory(commune=places["aubervilliers"], title="Aubervilliers A")
    OfferFactory(
        commune=places["aubervilliers"], title="Aubervilliers B", typology=1, surface=Decimal("25")
    )
    OfferFactory(commune=places["aubervilliers"], title="Trop cher", rent=Decimal("700"))
    OfferFactory(commune=places["saint-denis"], title="Saint-Denis")
    OfferFactory(commune=places["bordeaux"], title="Bordeaux, loin")
    # Someone already ranks before the applicant on the first Aubervilliers offer.
    CandidatureFactory(offer=first, demande=DemandeFactory(legal_priority=True))
    return first


def test_ma_situation_lists_the_communes_that_would_open_offers(client, applicant, places):
    offers_around(places)

    page = text(client.get("/ma-situation/"))

    assert "Élargir mes souhaits" in page
    assert "Aubervilliers (93300)</a> : +2 offres (T1, T2), rang estimé 1er à 2e" in page
    assert "Saint-Denis (93200)</a> : +1 offre (T2), rang estimé 1er" in page
    assert page.index("Aubervilliers (93300)") < page.index("Saint-Denis (93200)")  # best first
    assert "Bordeaux" not in page and "demande-logement-social.gouv.fr" in page


def test_the_link_shows_the_offers_of_that_commune(client, applicant, places):
    offers_around(places)

    page = text(client.get("/offres/?elargir=93001"))

    assert "hors de vos souhaits actuels" in page
    assert "2 résultats correspondant à votre recherche" in page
    assert "Trop cher" not in page and "Saint-Denis" not in page.split("résultats")[1]
    # Without the wish, applying stays refused: the offer page says why.
    assert text(client.get("/offres/?elargir=%00")).count("hors de vos souhaits") == 0


def test_the_empty_list_offers_the_same_way_out(client, applicant, places):
    offers_around(places)
    page = text(client.get("/offres/"))
    assert "pas d'offre adaptée à votre situation" in page
    assert "Aubervilliers (93300)</a> : +2 offres" in page


def test_a_wished_commune_or_a_refused_offer_is_no_gain(applicant, places):
    OfferFactory(commune=places["saint-ouen"], typology=4, surface=Decimal("80"))
    OfferFactory(commune=places["aubervilliers"], typology=4, surface=Decimal("80"))
    assert widening_gains(applicant) == []


def test_the_query_count_does_not_grow_with_the_offers(
    applicant, places, django_assert_num_queries
):
    offers_around(places)
    with django_assert_num_queries(4) as few:
        gains = widening_gains(applicant)
    for _ in range(30):
        OfferFactory(commune=places["saint-denis"])
    with django_assert_num_queries(len(few.captured_queries)):
        more = widening_gains(applicant)
    assert [g.name for g in gains] == ["Aubervilliers", "Saint-Denis"]
    assert [g.name for g in more] == ["Saint-Denis", "Aubervilliers"]
