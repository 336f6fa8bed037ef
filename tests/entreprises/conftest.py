from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.demandes.factories import DemandeFactory
from tests.entreprises.factories import CompanyMembershipFactory, siret_of
from tests.territoires.factories import CommuneFactory


@pytest.fixture
def hr(db):
    """An HR member (the company's administrator) of a company of 250+ employees."""
    return CompanyMembershipFactory()


@pytest.fixture
def company(hr):
    return hr.company


@pytest.fixture
def place(db, ceilings):
    return CommuneFactory()


@pytest.fixture
def employee(company, place):
    """Build an employee's request linked to the company by its SIRET, at a choice."""

    def make(choice, **fields):
        fields.setdefault("renewed_on", timezone.localdate() - timedelta(days=30))
        return DemandeFactory(
            siret=siret_of(company),
            data_sharing=choice,
            communes=[place],
            monthly_resources=Decimal("2400"),
            information_confirmed_at=timezone.now(),
            **fields,
        )

    return make
