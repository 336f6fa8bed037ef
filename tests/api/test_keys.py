"""The landlord administrator creates, names, lists and revokes the API keys."""

from html import unescape

import pytest
from rest_framework.test import APIClient

from api.models import LandlordApiKey
from tests.offres.factories import LandlordMembershipFactory

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


def test_a_key_is_shown_once_stored_hashed_and_revoked_at_once(client):
    admin = LandlordMembershipFactory(is_admin=True)
    client.force_login(admin.user)
    response = client.post("/bailleur/api/", {"name": "Logiciel Ikos"})
    page = text(response)
    key = LandlordApiKey.objects.get(landlord=admin.landlord)
    secret = page.split('user-select-all">', 1)[1].split("<", 1)[0]
    assert secret.startswith(key.prefix + ".") and secret not in key.hashed_key
    assert "elle ne sera plus jamais affichée" in page
    assert secret not in text(client.get("/bailleur/api/"))  # never again
    assert "Logiciel Ikos" in text(client.get("/bailleur/api/"))
    software = APIClient()
    software.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert software.get("/api/v1/offres/").status_code == 200
    assert "Dernière utilisation : jamais" not in text(client.get("/bailleur/api/"))
    client.post(f"/bailleur/api/{key.prefix}/revoquer/")
    response = software.get("/api/v1/offres/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Clé d'API inconnue ou révoquée."}


def test_only_an_administrator_manages_keys_and_only_their_landlords(client):
    admin = LandlordMembershipFactory(is_admin=True)
    member = LandlordMembershipFactory(landlord=admin.landlord)
    client.force_login(admin.user)
    client.post("/bailleur/api/", {"name": "Clé A"})
    key = LandlordApiKey.objects.get()
    client.force_login(member.user)
    assert "Seuls les administrateurs" in text(client.get("/bailleur/api/"))
    client.post("/bailleur/api/", {"name": "Clé B"})
    client.post(f"/bailleur/api/{key.prefix}/revoquer/")
    assert LandlordApiKey.objects.filter(revoked=False).count() == 1
    stranger = LandlordMembershipFactory(is_admin=True)
    client.force_login(stranger.user)
    assert client.post(f"/bailleur/api/{key.prefix}/revoquer/").status_code == 404
    assert "Clé A" not in text(client.get("/bailleur/api/"))
    key.refresh_from_db()
    assert not key.revoked
