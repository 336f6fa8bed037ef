"""'Ma situation': the applicant's dashboard once the request is imported (guide, #4)."""

import re
from html import unescape

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client):
    user = UserFactory()
    client.force_login(user)
    return user


def page(client):
    return unescape(client.get("/ma-situation/").content.decode())


def text(html):
    """What a reader sees: tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_signed_out_visitors_sign_in_then_import_their_request(client):
    response = client.get("/ma-situation/")
    assert response.status_code == 302
    assert response.url.endswith("?next=/demande/importer/")


def test_an_applicant_without_a_request_is_sent_to_the_import(client, applicant):
    assert client.get("/ma-situation/").url == "/demande/importer/"


def test_an_imported_request_whose_information_is_not_confirmed_goes_to_the_mini_form(
    client, applicant
):
    DemandeFactory(user=applicant, information_confirmed_at=None)
    assert client.get("/ma-situation/").url == "/demande/informations/"


def test_the_dashboard_counts_the_offers_open_to_the_situation(client, applicant, ceilings):
    saint_ouen = CommuneFactory()
    DemandeFactory(
        user=applicant,
        number="1110520020171G1175",
        information_confirmed_at=timezone.now(),
        communes=[saint_ouen],
        legal_priority=True,
        data_sharing=3,
    )
    OfferFactory(commune=saint_ouen)
    OfferFactory(commune=saint_ouen, typology=2)
    OfferFactory(commune=saint_ouen, typology=4)  # T4: not for one person
    OfferFactory(commune=CommuneFactory(insee_code="93001", name="Aubervilliers"))

    html = page(client)

    assert "Numéro unique : 1110520020171G1175" in html
    assert "1 personne (catégorie 1)" in html
    assert "20\xa0000 €" in html and "2\xa0000 €" in html  # French digit grouping
    assert "Saint-Ouen-sur-Seine (93400)" in html and "Aubervilliers" not in html
    assert "T1 - T2" in html
    assert "CDI" in html
    assert "Mon entreprise voit une grande partie de ma demande" in html
    assert "Public prioritaire." in html
    assert "Dépôt confirmé le 05/01/2026" in html
    assert "2 offres adaptées à votre situation" in text(html)
    assert 'class="btn btn-primary" href="/offres/">Les offres</a>' in html


def test_without_an_adapted_offer_the_dashboard_says_to_widen_the_wishes(client, applicant):
    DemandeFactory(user=applicant, information_confirmed_at=timezone.now())
    html = page(client)
    assert "A ce jour nous n'avons pas d'offre adaptée à votre situation" in html
    assert 'class="btn btn-primary" href="/offres/">Les offres</a>' not in html


def test_the_dashboard_says_why_one_cannot_apply_before_confirming_the_documents(client, applicant):
    DemandeFactory(
        user=applicant, information_confirmed_at=timezone.now(), documents_confirmed_at=None
    )
    html = page(client)
    assert "pour postuler vous devez d'abord confirmer le dépôt de vos pièces" in html
    assert 'href="/demande/pieces-justificatives/"' in html


@pytest.mark.parametrize("offers", [1, 12])
def test_the_dashboard_query_count_does_not_grow_with_offers_or_communes(
    client, applicant, django_assert_num_queries, offers, ceilings
):
    communes = [
        CommuneFactory(insee_code=f"930{n:02d}", name=f"Commune {n}") for n in range(1, offers + 1)
    ]
    DemandeFactory(user=applicant, information_confirmed_at=timezone.now(), communes=communes)
    for commune in communes:
        OfferFactory(commune=commune)
    # session, user, request, its communes, its departments, the ceilings (read once
    # for the count and « Élargir mes souhaits » since issue 19, was twice), offers
    # count, active candidature, the header's lookups, and the widening's grouped query.
    with django_assert_num_queries(10):
        html = page(client)
    assert f"{offers} offre" in text(html)
    # Seen again: the count and the widening come from the cache (offres.freshness).
    with django_assert_num_queries(8):
        assert text(page(client)) == text(html)
