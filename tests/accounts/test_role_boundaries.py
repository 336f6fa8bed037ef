"""Each role stays in its space: only applicants import a request, fill the mini-form,
apply and create alerts; the others get a French 403 page that says where their space
is. A role changed in the admin closes the old space at once."""

from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from accounts.models import User
from candidatures.models import Candidature
from demandes.models import AccessCode
from offres.models import SearchAlert
from tests.accounts.factories import AdvisorFactory, CompanyUserFactory, staff_login
from tests.demandes.factories import DemandeFactory, registry_record
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


def test_a_landlord_cannot_apply_to_its_own_offer_even_with_a_request(client, ceilings):
    place = CommuneFactory()
    membership = LandlordMembershipFactory()
    # A former applicant who became landlord staff still has a request.
    DemandeFactory(
        user=membership.user,
        communes=[place],
        monthly_resources=Decimal("2400"),
        information_confirmed_at=timezone.now(),
    )
    offer = OfferFactory(landlord=membership.landlord, commune=place)
    client.force_login(membership.user)

    response = client.post(f"/candidatures/postuler/{offer.pk}/")

    assert response.status_code == 403
    page = text(response)
    assert "réservée aux demandeurs" in page
    assert "Votre espace est ici" in page and 'href="/bailleur/"' in page
    assert not Candidature.objects.exists()
    assert client.get(f"/candidatures/postuler/{offer.pk}/").status_code == 403


def test_a_company_account_cannot_import_a_request(client):
    registry_record(number="1110520020171G1175")
    client.force_login(CompanyUserFactory())
    response = client.post("/demande/importer/", {"number": "1110520020171G1175"})
    assert response.status_code == 403
    assert "Accès refusé" in text(response)
    assert not AccessCode.objects.exists()


def test_an_advisor_cannot_create_an_alert_and_is_sent_to_the_admin(client):
    staff_login(client, AdvisorFactory())
    response = client.post("/offres/alertes/creer/", {"query": "lieu=93"})
    assert response.status_code == 403
    assert 'href="/admin/"' in text(response)
    assert not SearchAlert.objects.exists()


def test_a_landlord_cannot_fill_the_applicants_mini_form(client):
    membership = LandlordMembershipFactory()
    DemandeFactory(user=membership.user)
    client.force_login(membership.user)
    assert client.get("/demande/informations/").status_code == 403


def test_a_role_changed_in_the_admin_closes_the_landlord_space_at_once(client):
    membership = LandlordMembershipFactory()
    landlord_user = membership.user
    client.force_login(landlord_user)
    assert client.get("/bailleur/").status_code == 200

    advisor_client = client.__class__()
    staff_login(advisor_client, AdvisorFactory())
    response = advisor_client.post(
        f"/admin/accounts/user/{landlord_user.pk}/change/",
        {
            "email": landlord_user.email,
            "role": User.Role.APPLICANT,
            "civility": landlord_user.civility,
            "last_name": landlord_user.last_name,
            "first_name": landlord_user.first_name,
            "mobile_phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, text(response)[:2000]

    # The same session, the next request: the landlord space is gone.
    assert client.get("/bailleur/").status_code == 404
    assert client.get("/demande/importer/").status_code == 200
