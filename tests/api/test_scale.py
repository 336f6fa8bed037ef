"""At real scale: a landlord's software publishes 1 000 offers, one request each, and the
applicants' search shows them; the list endpoints cost the same SQL at 10 and 10 000
offers."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from candidatures.workflow import Status
from offres.models import Offer
from tests.candidatures.factories import CandidatureFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_software_publishes_1000_offers_one_request_each_and_the_search_shows_them(
    api_a, landlord_a, client, settings
):
    # A bulk publisher's key gets a rate above the default 600/min (API_KEY_RATE), as an
    # operator would grant it; on a fast machine the 1 000 calls take under a minute.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "2000/min"},
    }
    CommuneFactory()
    today = timezone.localdate()
    for n in range(1000):
        response = api_a.post(
            "/api/v1/offres/",
            {
                "reference": f"LOG-{n:04d}",
                "titre": f"Logement {n:04d}",
                "typologie": 1 + n % 6,
                "surface": "45",
                "loyer": "480",
                "charges": "60",
                "financement": "PLUS",
                "adresse": f"{n} rue de la République",
                "commune": "93070",
                "disponible_le": (today + datetime.timedelta(days=30)).isoformat(),
                "date_limite": (today + datetime.timedelta(days=20)).isoformat(),
                "publier": True,
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"publication-{n}",
        )
        assert response.status_code == 201, response.json()
    assert Offer.objects.published().filter(landlord=landlord_a).count() == 1000
    page = client.get("/offres/", {"lieu": "93400", "vue": "liste"}).content.decode()
    shown = re.search(r"([\d\s\u202f\xa0]+) résultats correspondant", page).group(1)
    assert re.sub(r"\D", "", shown) == "1000"
    assert page.count("Logement 0") >= 12  # a full first page of them


def bulk_offers(landlord, commune, count, start=0):
    today = timezone.localdate()
    Offer.objects.bulk_create(
        [
            Offer(
                landlord=landlord,
                reference=f"V-{start + n}",
                title=f"Offre {n}",
                typology=1 + n % 6,
                surface=Decimal("40"),
                rent=Decimal("400"),
                financing=Offer.Financing.PLUS,
                address="1 rue",
                commune=commune,
                available_from=today,
                deadline=today + datetime.timedelta(days=30),
                status=Offer.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )


# Authentication (key, then its last use), the page, the photos, the call's log row.
OFFER_LIST_QUERIES = 5
# Authentication (2), the page, the call's log row.
CANDIDATURE_LIST_QUERIES = 4


def test_list_endpoints_cost_the_same_at_10_and_10000_offers(
    api_a, landlord_a, django_assert_num_queries
):
    commune = CommuneFactory()
    bulk_offers(landlord_a, commune, 10)
    offers = list(Offer.objects.filter(landlord=landlord_a)[:3])
    for offer in offers:
        CandidatureFactory(offer=offer, status=Status.FORWARDED)
    with django_assert_num_queries(OFFER_LIST_QUERIES):
        small = api_a.get("/api/v1/offres/", {"statut": "publiee"}).json()
    with django_assert_num_queries(CANDIDATURE_LIST_QUERIES):
        api_a.get("/api/v1/candidatures/")
    bulk_offers(landlord_a, commune, 9990, start=10)
    for offer in Offer.objects.filter(landlord=landlord_a).order_by("-pk")[:20]:
        CandidatureFactory(offer=offer, status=Status.FORWARDED)
    with django_assert_num_queries(OFFER_LIST_QUERIES):
        large = api_a.get("/api/v1/offres/", {"statut": "publiee"}).json()
    with django_assert_num_queries(OFFER_LIST_QUERIES):
        following = api_a.get(large["next"]).json()
    with django_assert_num_queries(CANDIDATURE_LIST_QUERIES):
        candidatures = api_a.get("/api/v1/candidatures/").json()
    assert len(small["results"]) == 10 and len(large["results"]) == 50
    assert len(following["results"]) == 50 and len(candidatures["results"]) == 23
    assert Offer.objects.filter(landlord=landlord_a).count() == 10000
