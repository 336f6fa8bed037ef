"""One identity in the landlords' API too (issue 13, §3): a forwarded candidature's
"demandeur" is the request's applicant(s), never the account holder's name."""

import datetime

import pytest

from accounts.models import User
from candidatures.workflow import Status
from tests.accounts.factories import UserFactory
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_the_api_names_the_requests_applicants_not_the_account_holder(api_a, landlord_a):
    claire = UserFactory(first_name="Claire", last_name="Martin")
    demande = DemandeFactory(
        user=claire,
        civility=User.Civility.MONSIEUR,
        first_name="Jean",
        birth_name="DUPONT",
        coapplicant={
            "civility": User.Civility.MADAME,
            "first_name": "Marie",
            "birth_name": "TRAN",
            "usage_name": "NGUYEN",
            "birth_date": datetime.date(1991, 3, 2),
        },
    )
    candidature = CandidatureFactory(
        demande=demande, offer=OfferFactory(landlord=landlord_a), status=Status.FORWARDED
    )
    listed = api_a.get("/api/v1/candidatures/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    one = api_a.get(f"/api/v1/candidatures/{candidature.pk}/").json()
    for row in (rows[0], one):
        assert row["demandeur"] == "Monsieur Jean DUPONT et Madame Marie NGUYEN"
