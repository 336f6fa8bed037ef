import pytest
from rest_framework.test import APIClient

from api import services
from tests.offres.factories import LandlordMembershipFactory
from tests.territoires.factories import CommuneFactory


def key_client(landlord, name="Logiciel"):
    admin = landlord.members.filter(is_admin=True).first() or LandlordMembershipFactory(
        landlord=landlord, is_admin=True
    )
    key, secret = services.create_key(landlord=landlord, name=name, by=admin.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    client.key = key
    return client


@pytest.fixture
def landlord_a(db):
    return LandlordMembershipFactory(is_admin=True).landlord


@pytest.fixture
def landlord_b(db):
    return LandlordMembershipFactory(is_admin=True).landlord


@pytest.fixture
def api_a(landlord_a):
    return key_client(landlord_a)


@pytest.fixture
def api_b(landlord_b):
    return key_client(landlord_b)


@pytest.fixture
def saint_ouen(db):
    return CommuneFactory()
