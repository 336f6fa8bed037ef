"""Bad input fails safely (a clear French answer, nothing saved, never a 500), on
PostgreSQL too, where a NUL character or an over-long value in a query is a DataError;
and one bad saved search never stops the others' digests."""

import logging
from html import unescape

import pytest
from django.utils import timezone

from core.models import ContactMessage
from offres import services
from offres.models import Offer, SearchAlert
from tests.accounts.factories import UserFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


@pytest.fixture
def applicant(client):
    demande = DemandeFactory(information_confirmed_at=timezone.now())
    client.force_login(demande.user)
    return demande.user


@pytest.mark.parametrize(
    "url",
    [
        "/offres/lieux/?lieu=Sa%00int",
        "/offres/lieux/?commune_code=93%00400",
        "/offres/?lieu=93%00",
        "/offres/?typologie=2&lieu%00=x",
        "/offres/alertes/desabonnement/abc%00def/",
    ],
)
def test_a_nul_character_in_a_query_is_a_french_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "caractère non autorisé" in text(response)


def test_a_nul_character_in_a_form_saves_nothing(client, applicant):
    response = client.post("/offres/alertes/creer/", {"query": "lieu=Sa\x00int"})
    assert response.status_code == 400
    response = client.post(
        "/contact/",
        {"name": "Jean\x00", "email": "jean@example.org", "subject": "autre", "message": "x"},
    )
    assert response.status_code == 400
    assert not SearchAlert.objects.exists() and not ContactMessage.objects.exists()


def test_over_long_search_values_answer_normally(client):
    CommuneFactory()
    assert client.get("/offres/lieux/", {"lieu": "Saint" * 2000}).status_code == 200
    assert client.get("/offres/", {"lieu": "Saint" * 2000}).status_code == 200


def test_an_alert_is_validated_and_bounded_when_created(client, applicant):
    for query in ("lieu=" + "Saint-" * 400, "loyer_max=beaucoup", "typologie=42"):
        page = text(client.post("/offres/alertes/creer/", {"query": query}, follow=True))
        assert "ne peut pas être enregistrée comme alerte" in page
    assert not SearchAlert.objects.exists()

    client.post("/offres/alertes/creer/", {"query": "typologie=1&typologie=2&lieu=93"})
    alert = SearchAlert.objects.get()
    assert alert.label == "T1 - T2, 93"
    for n in range(services.ALERTS_PER_USER - 1):
        client.post("/offres/alertes/creer/", {"query": f"loyer_max={100 + n}"})
    page = text(client.post("/offres/alertes/creer/", {"query": "pmr=on"}, follow=True))
    assert f"Vous avez déjà {services.ALERTS_PER_USER} alertes" in page
    assert SearchAlert.objects.count() == services.ALERTS_PER_USER


def test_one_bad_alert_does_not_stop_the_others_digests(
    postgres, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    offer = OfferFactory()
    good = SearchAlert.objects.create(user=UserFactory(), query="", label="Toutes les offres")
    # Saved before labels were bounded: the digest's subject line overflows its column.
    bad = SearchAlert.objects.create(user=UserFactory(), query="", label="x" * 255)
    assert [a.pk for a in SearchAlert.objects.all()][0] == bad.pk  # the bad one comes first

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        sent = services.send_alert_digests()

    assert sent == 1
    assert [m.to for m in mailoutbox] == [[good.user.email]]
    assert offer.title in mailoutbox[0].body
    assert f"Alerte {bad.pk}" in caplog.text
    bad.refresh_from_db()
    assert bad.last_sent_at is None  # tried again next time


def test_a_far_away_date_in_the_offer_form_is_refused_in_french(client):
    membership = LandlordMembershipFactory()
    client.force_login(membership.user)
    CommuneFactory()
    response = client.post(
        "/bailleur/offres/nouvelle/",
        {
            "title": "T2 lumineux",
            "kind": "appartement",
            "typology": "2",
            "surface": "43",
            "floor": "1",
            "rent": "450",
            "charges": "50",
            "financing": "PLUS",
            "address": "1 rue de Paris",
            "commune_code": "93400",
            "available_from": "9999-12-31",
            "deadline": "9999-12-30",
        },
    )
    assert response.status_code == 200
    assert "La date doit être dans les deux ans à venir." in text(response)
    assert not Offer.objects.exists()
