"""Pages and files holding personal data are never cached (``private, no-store``); the
contact form is rate-limited like the sign-up."""

import pytest
from django.utils import timezone

from candidatures.workflow import Status
from core.models import ContactMessage
from tests.accounts.factories import AdvisorFactory, staff_login
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import LandlordMembershipFactory, OfferFactory

pytestmark = pytest.mark.django_db


def no_store(response):
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value


def test_personal_pages_and_files_are_not_cached(client):
    membership = LandlordMembershipFactory()
    demande = DemandeFactory(information_confirmed_at=timezone.now())
    candidature = CandidatureFactory(
        demande=demande, offer=OfferFactory(landlord=membership.landlord), status=Status.FORWARDED
    )
    client.force_login(demande.user)
    for url in ("/ma-situation/", "/candidatures/", "/compte/", "/compte/mes-donnees.json"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url

    client.force_login(membership.user)
    for url in (
        f"/bailleur/candidatures/{candidature.pk}/",
        f"/bailleur/candidatures/{candidature.pk}/dossier.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url

    staff_login(client, AdvisorFactory())
    assert no_store(client.get(f"/admin/candidatures/candidature/{candidature.pk}/change/"))


def test_public_pages_stay_cacheable(client):
    assert not no_store(client.get("/offres/"))
    assert not no_store(client.get("/"))


def test_the_contact_form_is_rate_limited_like_the_sign_up(client):
    message = {
        "name": "Jean Dupont",
        "email": "jean@example.org",
        "subject": "autre",
        "message": "Bonjour",
    }
    statuses = [client.post("/contact/", message).status_code for _ in range(11)]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    assert ContactMessage.objects.count() == 10
