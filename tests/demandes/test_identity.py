"""One identity everywhere (issue 13, §3): the legal applicant is the request's person,
not the login."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from accounts.models import User
from candidatures import services as candidature_services
from core.models import OutgoingEmail
from demandes.models import AccessCode, Demande
from tests.accounts.factories import AdvisorFactory, UserFactory, staff_login
from tests.demandes.factories import DemandeFactory, registry_record
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db
NUMBER = "1110520020171G1175"  # Jean DUPONT's request


def text(response):
    html = unescape(response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def ask_code(client, mailoutbox, django_capture_on_commit_callbacks):
    CommuneFactory()
    registry_record(number=NUMBER)

    def do(user):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/demande/importer/", {"number": NUMBER})
        return re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)

    return do


def test_claire_is_told_the_request_is_jean_duponts_and_must_confirm(client, ask_code):
    claire = UserFactory(first_name="Claire", last_name="Martin")
    code = ask_code(claire)
    page = text(client.get("/demande/code/"))
    assert "Cette demande de logement social est au nom de Jean DUPONT" in page
    assert "votre compte au nom de Claire Martin" in page

    refused = text(client.post("/demande/code/", {"code": code}))
    assert "Confirmez que vous êtes le demandeur ou le co-demandeur de cette demande" in refused
    assert not Demande.objects.exists()
    assert AccessCode.objects.get().used_at is None  # the code still works

    client.post("/demande/code/", {"code": code, "confirm_identity": "on"})
    demande = Demande.objects.get(user=claire)
    assert demande.identity_mismatch is True and demande.identity_confirmed_at is not None

    staff_login(client, AdvisorFactory())
    listing = text(client.get("/admin/demandes/demande/?identity_mismatch__exact=1"))
    assert NUMBER in listing
    change = text(client.get(f"/admin/demandes/demande/{demande.pk}/change/"))
    assert "ATTENTION : nom différent de ceux de la demande" in change
    assert "Claire Martin" in change and "Jean DUPONT" in change


def test_the_applicant_himself_is_not_asked_whatever_the_accents_and_case(client, ask_code):
    jean = UserFactory(first_name="jean", last_name="Dupont")
    code = ask_code(jean)
    assert "est au nom de" not in text(client.get("/demande/code/"))
    client.post("/demande/code/", {"code": code})
    assert Demande.objects.get(user=jean).identity_mismatch is False


def test_emails_about_a_candidature_go_to_the_request_contact_and_name_its_applicants(
    ceilings, django_capture_on_commit_callbacks
):
    place = CommuneFactory()
    claire = UserFactory(first_name="Claire", last_name="Martin", email="claire@example.org")
    demande = DemandeFactory(
        user=claire,
        birth_name="DUPONT",
        first_name="Jean",
        usage_name="DUPONT",
        civility=User.Civility.MONSIEUR,
        email="jean.dupont@yopmail.com",
        communes=[place],
        monthly_resources=Decimal("2400"),
        information_confirmed_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        candidature_services.apply(user=claire, offer=OfferFactory(commune=place), demande=demande)
    sent = OutgoingEmail.objects.order_by("pk")
    assert [e.to for e in sent] == ["jean.dupont@yopmail.com", "claire@example.org"]
    for email in sent:
        assert "Demande de logement social n° " + demande.number in email.read_text()
        assert "Monsieur Jean DUPONT" in email.read_text()
        assert "Claire" not in email.read_text()
