"""The eligibility rules read the other way (which requests may apply to one offer),
against the same brute-force check as the offers' list: the immediate alerts rely on it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offres.eligibility import (
    LARGEST_DISTINCT_SIZE,
    allowed_typologies,
    demandes_open_to,
    explain,
    minimum_surface,
)
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.offres.test_eligibility import WISHES, hypothesis_places
from tests.territoires.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_the_household_rules_do_not_change_from_eight_persons_up():
    for size in range(LARGEST_DISTINCT_SIZE, 40):
        assert allowed_typologies(size) == allowed_typologies(LARGEST_DISTINCT_SIZE)
        assert minimum_surface(size) == minimum_surface(LARGEST_DISTINCT_SIZE)


households = st.lists(
    st.fixed_dictionaries(
        {
            "size": st.integers(1, 11),
            "income": st.integers(5_000, 110_000),
            "resources": st.integers(300, 6_000),
            "allowance": st.sampled_from([0, 0, 150, 320]),
            "wish": st.sampled_from(sorted(WISHES)),
        }
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    households=households,
    typology=st.integers(1, 6),
    surface=st.integers(8, 110),
    rent=st.integers(150, 1500),
    charges=st.integers(0, 200),
    financing=st.sampled_from(["PLAI", "PLUS", "PLS", "PLI"]),
    place=st.sampled_from(["saint-ouen", "aubervilliers", "bordeaux", "paris-11", "evry"]),
    status=st.sampled_from(["publiee", "publiee", "cloturee"]),
    days_left=st.integers(-1, 30),
)
def test_the_requests_an_offer_is_open_to_equal_a_brute_force_check(
    ceilings, households, typology, surface, rent, charges, financing, place, status, days_left
):
    places = hypothesis_places()
    demandes = []
    for h in households:
        communes, departments = WISHES[h["wish"]]
        demandes.append(
            DemandeFactory(
                household_size=h["size"],
                household_category=min(h["size"], 6),
                extra_persons=max(0, h["size"] - 6),
                fiscal_income=h["income"],
                monthly_resources=Decimal(h["resources"]),
                housing_allowance=Decimal(h["allowance"]),
                communes=[places[c] for c in communes],
                departments=[DepartmentFactory(code=d) for d in departments],
            )
        )
    offer = OfferFactory(
        typology=typology,
        surface=Decimal(surface),
        rent=Decimal(rent),
        charges=Decimal(charges),
        financing=financing,
        commune=places[place],
        status=status,
        deadline=timezone.localdate() + datetime.timedelta(days=days_left),
    )
    in_sql = set(demandes_open_to(offer).values_list("pk", flat=True))
    brute = {d.pk for d in demandes if not explain(offer, d)}
    assert in_sql == brute
    offer.delete()
    for demande in demandes:
        demande.user.delete()
