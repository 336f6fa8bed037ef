"""A landlord's software publishes and manages its offers through the API, with the same
rules as the landlord space."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from api.models import ApiCall, IdempotentRequest
from offres.models import Offer
from tests.offres.factories import OfferFactory

pytestmark = pytest.mark.django_db


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def offer_json(**overrides):
    return {
        "reference": "LOG-1",
        "titre": "T3 avec balcon",
        "typologie": 3,
        "surface": "62.5",
        "loyer": "610.00",
        "charges": "80",
        "financement": "PLUS",
        "adresse": "3 rue Pasteur",
        "commune": "93070",
        "disponible_le": in_days(40),
        "date_limite": in_days(20),
        **overrides,
    }


def jpeg():
    buffer = BytesIO()
    Image.new("RGB", (800, 600), (120, 160, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("facade.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_software_creates_publishes_and_the_applicants_search_shows_it(
    api_a, landlord_a, saint_ouen, client
):
    response = api_a.post("/api/v1/offres/", offer_json(publier=True), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["statut"] == Offer.Status.PUBLISHED and body["commune"] == "Saint-Ouen-sur-Seine"
    assert body["loyer"] == "610.00" and body["candidatures_transmises"] == 0
    offer = Offer.objects.get(pk=body["id"])
    assert offer.landlord == landlord_a and offer.published_at
    assert "T3 avec balcon" in client.get("/offres/", {"lieu": "93400"}).content.decode()


def test_invalid_data_get_a_french_message_per_field_and_nothing_is_created(api_a, saint_ouen):
    response = api_a.post(
        "/api/v1/offres/",
        offer_json(titre="", typologie=9, commune="Nulle-Part", date_limite=in_days(500)),
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Données invalides."
    assert set(body["errors"]) == {"titre", "typologie"}  # the JSON first, then the rules
    response = api_a.post(
        "/api/v1/offres/",
        offer_json(commune="Nulle-Part", date_limite=in_days(500)),
        format="json",
    )
    assert response.json()["errors"] == {
        "commune": ["Aucune commune ne correspond à « Nulle-Part »."],
        "date_limite": ["La date limite est trop éloignée de la disponibilité."],
    }
    response = api_a.post("/api/v1/offres/", "{pas du json", content_type="application/json")
    assert response.status_code == 400 and "JSON invalide" in response.json()["detail"]
    assert not Offer.objects.exists()


def test_update_publish_close_follow_the_landlord_space_rules(api_a, landlord_a, saint_ouen):
    offer = OfferFactory(landlord=landlord_a, status=Offer.Status.DRAFT, published_at=None)
    response = api_a.patch(f"/api/v1/offres/{offer.pk}/", {"loyer": "500"}, format="json")
    assert response.status_code == 200 and response.json()["loyer"] == "500.00"
    assert api_a.post(f"/api/v1/offres/{offer.pk}/cloturer/").json() == {
        "detail": "Seule une offre publiée peut être clôturée."
    }
    assert api_a.post(f"/api/v1/offres/{offer.pk}/publier/").json()["statut"] == "publiee"
    response = api_a.post(f"/api/v1/offres/{offer.pk}/cloturer/")
    assert response.status_code == 200 and response.json()["statut"] == "cloturee"
    response = api_a.patch(f"/api/v1/offres/{offer.pk}/", {"surface": "0"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["surface"][0].startswith("La surface doit être positive")


def test_photos_are_checked_like_in_the_landlord_space(api_a, landlord_a):
    offer = OfferFactory(landlord=landlord_a)
    response = api_a.post(
        f"/api/v1/offres/{offer.pk}/photos/", {"photos": [jpeg(), jpeg()]}, format="multipart"
    )
    assert response.status_code == 201 and len(response.json()["photos"]) == 2
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = api_a.post(
        f"/api/v1/offres/{offer.pk}/photos/", {"photos": [fake]}, format="multipart"
    )
    assert response.status_code == 400
    assert "n'est pas une image valide" in response.json()["errors"]["photos"][0]
    assert offer.photos.count() == 2


def test_an_idempotent_retry_creates_nothing_twice(api_a, saint_ouen):
    headers = {"HTTP_IDEMPOTENCY_KEY": "creation-log-1"}
    first = api_a.post("/api/v1/offres/", offer_json(), format="json", **headers)
    again = api_a.post("/api/v1/offres/", offer_json(), format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Offer.objects.count() == 1
    other = api_a.post("/api/v1/offres/", offer_json(reference="LOG-2"), format="json", **headers)
    assert other.status_code == 422 and Offer.objects.count() == 1
    # A refused write is kept too: the retry gets the same refusal.
    bad = {"HTTP_IDEMPOTENCY_KEY": "bad-1"}
    assert api_a.post("/api/v1/offres/", {}, format="json", **bad).status_code == 400
    assert api_a.post("/api/v1/offres/", {}, format="json", **bad).status_code == 400
    assert IdempotentRequest.objects.count() == 2


def test_another_landlords_key_gets_404_and_never_lists_our_offers(api_a, api_b, landlord_a):
    offer = OfferFactory(landlord=landlord_a)
    assert api_b.get(f"/api/v1/offres/{offer.pk}/").status_code == 404
    assert (
        api_b.patch(f"/api/v1/offres/{offer.pk}/", {"loyer": "1"}, format="json").status_code == 404
    )
    assert api_b.post(f"/api/v1/offres/{offer.pk}/cloturer/").status_code == 404
    assert api_b.get("/api/v1/offres/").json()["results"] == []
    assert [o["id"] for o in api_a.get("/api/v1/offres/").json()["results"]] == [offer.pk]
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED and offer.rent != 1


def test_no_key_or_a_bad_key_is_401_in_french(client, api_a):
    response = client.get("/api/v1/offres/")
    assert response.status_code == 401 and "Api-Key" in response.json()["detail"]
    response = client.get("/api/v1/offres/", HTTP_AUTHORIZATION="Api-Key faux.faux")
    assert response.json() == {"detail": "Clé d'API inconnue ou révoquée."}


def test_list_filters_and_cursor_pagination(api_a, landlord_a, saint_ouen):
    for n in range(5):
        OfferFactory(landlord=landlord_a, reference=f"R{n}", typology=2 + n % 2)
    OfferFactory(landlord=landlord_a, reference="D", status=Offer.Status.DRAFT, published_at=None)
    page = api_a.get("/api/v1/offres/", {"taille": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    seen = [o["reference"] for o in page["results"]]
    while page["next"]:
        page = api_a.get(page["next"]).json()
        seen += [o["reference"] for o in page["results"]]
    assert sorted(seen) == ["D", "R0", "R1", "R2", "R3", "R4"]
    drafts = api_a.get("/api/v1/offres/", {"statut": "brouillon"}).json()["results"]
    assert [o["reference"] for o in drafts] == ["D"]
    t3 = api_a.get("/api/v1/offres/", {"typologie": 3, "departement": "93"}).json()["results"]
    assert sorted(o["reference"] for o in t3) == ["R1", "R3"]
    response = api_a.get("/api/v1/offres/", {"typologie": 12})
    assert response.status_code == 400 and "typologie" in response.json()["errors"]


def test_every_call_is_logged_and_shown_to_the_landlord(api_a, landlord_a, client):
    api_a.get("/api/v1/offres/")
    api_a.get("/api/v1/offres/999999/")
    calls = list(ApiCall.objects.order_by("pk").values_list("method", "path", "status", "key"))
    assert calls == [
        ("GET", "/api/v1/offres/", 200, api_a.key.pk),
        ("GET", "/api/v1/offres/999999/", 404, api_a.key.pk),
    ]
    client.force_login(landlord_a.members.get(is_admin=True).user)
    page = client.get("/bailleur/api/").content.decode()
    assert "GET /api/v1/offres/999999/" in page and "404" in page
    api_a.key.refresh_from_db()
    assert api_a.key.last_used_at is not None


def test_rate_limit_per_key_answers_429_with_retry_after(api_a, api_b, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "3/min"},
    }
    for _ in range(3):
        assert api_a.get("/api/v1/offres/").status_code == 200
    response = api_a.get("/api/v1/offres/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Trop de requêtes avec cette clé")
    assert api_b.get("/api/v1/offres/").status_code == 200  # per key


def test_the_schema_and_its_documentation_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/offres/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "https://" not in docs.replace("https://swagger", "")


def test_an_abandoned_first_attempt_does_not_block_the_retry_forever(api_a, saint_ouen):
    headers = {"HTTP_IDEMPOTENCY_KEY": "coupure-1"}
    assert api_a.post("/api/v1/offres/", offer_json(), format="json", **headers).status_code == 201
    # As if the first attempt were still running (its process killed before answering).
    Offer.objects.all().delete()
    record = IdempotentRequest.objects.get(idempotency_key="coupure-1")
    IdempotentRequest.objects.filter(pk=record.pk).update(status=None, body=None)
    retry = api_a.post("/api/v1/offres/", offer_json(), format="json", **headers)
    assert retry.status_code == 409 and not Offer.objects.exists()
    IdempotentRequest.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    retry = api_a.post("/api/v1/offres/", offer_json(), format="json", **headers)
    assert retry.status_code == 201 and Offer.objects.count() == 1
