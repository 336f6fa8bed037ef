"""One validation for an offer, whoever writes it: the web form, import_offres (and the
API, tests/api). The commune is found by name with the applicants' autocomplete."""

import datetime
import json
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from offres import services
from offres.models import Offer
from tests.offres.factories import LandlordMembershipFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def staff(client):
    membership = LandlordMembershipFactory()
    client.force_login(membership.user)
    return membership


def form_data(**overrides):
    return {
        "reference": "R-1",
        "title": "T2 lumineux",
        "kind": "appartement",
        "typology": "2",
        "surface": "43",
        "floor": "1",
        "rent": "450",
        "charges": "50",
        "financing": "PLUS",
        "address": "1 rue de Paris",
        "commune_code": "Saint-Ouen-sur-Seine (93400)",
        "available_from": in_days(30),
        "deadline": in_days(15),
        **overrides,
    }


def test_the_offer_form_finds_the_commune_by_name_like_the_applicants_search(client, staff):
    saint_ouen = CommuneFactory()
    CommuneFactory(insee_code="93001", name="Aubervilliers", postal_code="93300")
    options = client.get("/offres/lieux/", {"commune_code": "saint-ou"}).content.decode()
    assert 'value="Saint-Ouen-sur-Seine (93400)"' in options
    assert "Seine-Saint-Denis (93)" not in options  # a commune, not a department
    page = client.get("/bailleur/offres/nouvelle/").content.decode()
    assert 'list="communes-suggestions"' in page and 'id="communes-suggestions"' in page
    client.post("/bailleur/offres/nouvelle/", form_data())
    assert Offer.objects.get(reference="R-1").commune == saint_ouen
    client.post(
        "/bailleur/offres/nouvelle/", form_data(reference="R-2", commune_code="aubervilliers")
    )
    assert Offer.objects.get(reference="R-2").commune.insee_code == "93001"
    edit = unescape(
        client.get(
            f"/bailleur/offres/{Offer.objects.get(reference='R-2').pk}/modifier/"
        ).content.decode()
    )
    assert 'value="Aubervilliers (93001)"' in edit


def test_a_rule_is_the_same_for_the_web_form_and_the_import(client, staff, tmp_path):
    CommuneFactory()
    too_far = in_days(30 + 400)
    response = client.post("/bailleur/offres/nouvelle/", form_data(deadline=too_far))
    assert "La date limite est trop éloignée de la disponibilité." in unescape(
        response.content.decode()
    )
    path = tmp_path / "offres.json"
    path.write_text(
        json.dumps(
            [
                {
                    "siren_bailleur": staff.landlord.siren,
                    "reference": "IMP-1",
                    "titre": "T3",
                    "typologie": 3,
                    "surface": 62,
                    "loyer": 610,
                    "charges": 80,
                    "financement": "PLUS",
                    "adresse": "3 rue Pasteur",
                    "commune_insee": "93070",
                    "disponible_le": in_days(30),
                    "date_limite": too_far,
                }
            ]
        ),
        encoding="utf-8",
    )
    err = StringIO()
    call_command("import_offres", str(path), stdout=StringIO(), stderr=err)
    assert "date_limite : La date limite est trop éloignée de la disponibilité." in err.getvalue()
    with pytest.raises(services.OfferInvalid) as refused:
        services.create_offer(landlord=staff.landlord, **{**services_data(), "deadline": too_far})
    assert refused.value.errors == {
        "deadline": ["La date limite est trop éloignée de la disponibilité."]
    }
    assert not Offer.objects.exists()


def services_data():
    return {
        "title": "T2",
        "typology": 2,
        "surface": "43",
        "rent": "450",
        "charges": "50",
        "financing": Offer.Financing.PLUS,
        "address": "1 rue de Paris",
        "commune": "93070",
        "available_from": in_days(30),
        "deadline": in_days(15),
    }


def test_services_report_every_bad_field_in_french_and_change_nothing(staff):
    CommuneFactory()
    offer = services.create_offer(landlord=staff.landlord, reference="A", **services_data())
    with pytest.raises(services.OfferInvalid) as refused:
        services.create_offer(
            landlord=staff.landlord,
            **{
                **services_data(),
                "reference": "A",
                "typology": 9,
                "rent": "-1",
                "commune": "Nulle-Part",
                "title": "",
            },
        )
    errors = refused.value.errors
    assert errors["reference"] == ["Vous avez déjà une offre avec cette référence."]
    assert errors["commune"] == ["Aucune commune ne correspond à « Nulle-Part »."]
    assert "typology" in errors and "title" in errors and "rent" in errors
    with pytest.raises(services.OfferInvalid):
        services.update_offer(offer=offer, surface="0")
    offer.refresh_from_db()
    assert offer.surface > 0 and Offer.objects.count() == 1
