"""The landlord space at scale: "Mes offres" searched, filtered, sorted, paginated with
counts; "Candidatures transmises" filtered and paginated, ranks kept."""

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from candidatures.workflow import Status
from offres.models import Offer
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


def titles(page):
    return re.findall(r'<h2 class="h6 mb-1">([^<]+)</h2>', page)


@pytest.fixture
def staff(client):
    membership = LandlordMembershipFactory(is_admin=True)
    client.force_login(membership.user)
    return membership


def test_my_offers_are_searched_filtered_sorted_and_counted(client, staff):
    today = timezone.localdate()
    lyon = CommuneFactory(
        insee_code="69381",
        name="Lyon 1er",
        postal_code="69001",
        department=DepartmentFactory(code="69", name="Rhône"),
    )
    landlord = staff.landlord
    OfferFactory(landlord=landlord, title="T2 Saint-Ouen", reference="SO-1", typology=2)
    OfferFactory(
        landlord=landlord,
        title="T4 Lyon",
        reference="LY-1",
        typology=4,
        commune=lyon,
        deadline=today + datetime.timedelta(days=5),
    )
    OfferFactory(
        landlord=landlord,
        title="T3 brouillon",
        reference="BR-1",
        typology=3,
        status=Offer.Status.DRAFT,
        published_at=None,
    )
    OfferFactory(title="Offre d'un autre bailleur")
    page = text(client.get("/bailleur/"))
    assert sorted(titles(page)) == ["T2 Saint-Ouen", "T3 brouillon", "T4 Lyon"]
    assert re.search(r"Publiée <span[^>]*>2</span>", page)
    assert re.search(r"Brouillon <span[^>]*>1</span>", page)
    assert titles(text(client.get("/bailleur/", {"q": "ly-1"}))) == ["T4 Lyon"]
    assert titles(text(client.get("/bailleur/", {"q": "lyon"}))) == ["T4 Lyon"]
    assert titles(text(client.get("/bailleur/", {"q": "Saint-Ouen", "tri": "title"}))) == [
        "T2 Saint-Ouen",
        "T3 brouillon",
    ]
    assert titles(text(client.get("/bailleur/", {"statut": Offer.Status.DRAFT}))) == [
        "T3 brouillon"
    ]
    assert titles(text(client.get("/bailleur/", {"typologie": 4}))) == ["T4 Lyon"]
    assert titles(text(client.get("/bailleur/", {"departement": "69"}))) == ["T4 Lyon"]
    soon = (today + datetime.timedelta(days=10)).isoformat()
    assert titles(text(client.get("/bailleur/", {"date_limite_au": soon}))) == ["T4 Lyon"]
    by_deadline = titles(text(client.get("/bailleur/", {"tri": "deadline"})))
    assert by_deadline[0] == "T4 Lyon"
    by_reference = titles(text(client.get("/bailleur/", {"tri": "reference"})))
    assert by_reference == ["T3 brouillon", "T4 Lyon", "T2 Saint-Ouen"]
    # A bad value is ignored with a French message, never a 500.
    response = client.get("/bailleur/", {"statut": "n'importe", "date_limite_du": "hier"})
    assert response.status_code == 200 and "Sélectionnez un choix valide" in text(response)


def test_forwarded_candidatures_are_counted_per_offer_and_link_to_their_list(client, staff):
    offer = OfferFactory(landlord=staff.landlord, title="T2 demandé")
    for _ in range(2):
        CandidatureFactory(offer=offer, status=Status.FORWARDED)
    CandidatureFactory(offer=offer, status=Status.VALIDATED)  # not forwarded: not counted
    page = text(client.get("/bailleur/"))
    assert "2 candidatures transmises" in page
    listing = text(client.get("/bailleur/candidatures/", {"offre": offer.pk}))
    assert (
        listing.count("Voir le dossier") == 2 and "Offre : <strong>T2 demandé</strong>" in listing
    )


def test_my_offers_are_paginated_with_a_constant_query_count(
    client, staff, django_assert_num_queries
):
    commune = CommuneFactory()
    OfferFactory(landlord=staff.landlord, commune=commune)
    with django_assert_num_queries(7):
        client.get("/bailleur/")
    Offer.objects.bulk_create(
        [
            Offer(
                landlord=staff.landlord,
                title=f"Offre {n}",
                reference=f"V-{n}",
                typology=2,
                surface=40,
                rent=400,
                financing=Offer.Financing.PLUS,
                address="1 rue",
                commune=commune,
                available_from=timezone.localdate(),
                deadline=timezone.localdate(),
            )
            for n in range(60)
        ]
    )
    with django_assert_num_queries(7):
        page = text(client.get("/bailleur/", {"page": 2}))
    assert len(titles(page)) == 25 and "Page 2 sur 3" in page
    assert "61 offres" in page


def test_forwarded_candidatures_are_filtered_by_status_and_committee_date_keeping_ranks(
    client, staff
):
    offer = OfferFactory(landlord=staff.landlord)
    first = CandidatureFactory(
        offer=offer, status=Status.FORWARDED, demande=DemandeFactory(legal_priority=True)
    )
    second = CandidatureFactory(
        offer=offer,
        status=Status.NOT_ATTRIBUTED,
        committee_on=datetime.date(2026, 10, 1),
        demande=DemandeFactory(legal_priority=False),
    )
    whole = text(client.get("/bailleur/candidatures/"))
    assert whole.count("Voir le dossier") == 2
    only = text(client.get("/bailleur/candidatures/", {"statut": Status.NOT_ATTRIBUTED}))
    assert only.count("Voir le dossier") == 1 and second.number in only
    assert first.number not in only
    dated = text(client.get("/bailleur/candidatures/", {"commission_du": "2026-09-30"}))
    assert second.number in dated and first.number not in dated
    # The rank is the offer's, whatever the filter.
    assert re.search(rf"Rang (\d) · demande {second.number}", only).group(1) == re.search(
        rf"Rang (\d) · demande {second.number}", whole
    ).group(1)


def test_forwarded_candidatures_are_paginated_keeping_the_filter_and_the_offers_ranks(
    client, staff
):
    offer = OfferFactory(landlord=staff.landlord, title="T3 très demandé")
    for _ in range(27):
        CandidatureFactory(offer=offer, status=Status.FORWARDED)
    CandidatureFactory(offer=OfferFactory(landlord=staff.landlord), status=Status.FORWARDED)
    first = text(client.get("/bailleur/candidatures/", {"offre": offer.pk}))
    assert "27 candidatures" in first and "Page 1 sur 2" in first
    assert first.count("Voir le dossier") == 25
    assert f'href="?offre={offer.pk}&page=2">Suivante' in first  # the filter is kept
    second = text(client.get("/bailleur/candidatures/", {"offre": offer.pk, "page": 2}))
    assert "Page 2 sur 2" in second and second.count("Voir le dossier") == 2
    assert re.findall(r"Rang (\d+) · demande", second) == ["26", "27"]
    whole = text(client.get("/bailleur/candidatures/"))
    assert "28 candidatures" in whole and whole.count("Voir le dossier") == 25
