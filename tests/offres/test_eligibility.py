"""Each eligibility rule at its boundaries, and the SQL list against a brute-force check."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offres.eligibility import explain, minimum_surface
from offres.models import Offer
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return CommuneFactory()  # Saint-Ouen-sur-Seine: zone "Paris et communes limitrophes"


def is_open(offer, demande):
    return Offer.objects.open_to(demande).filter(pk=offer.pk).exists()


def test_resources_exactly_three_times_the_rent_are_enough(ceilings, commune):
    demande = DemandeFactory(monthly_resources=Decimal("1350"), communes=[commune])
    offer = OfferFactory(rent=Decimal("400"), charges=Decimal("50"), commune=commune)
    assert is_open(offer, demande) and explain(offer, demande) == []


def test_one_euro_under_three_times_the_rent_is_refused(ceilings, commune):
    demande = DemandeFactory(monthly_resources=Decimal("1349"), communes=[commune])
    offer = OfferFactory(rent=Decimal("400"), charges=Decimal("50"), commune=commune)
    assert not is_open(offer, demande)
    [reason] = explain(offer, demande)
    assert reason == (
        "Vos ressources (1\u202f349\u00a0€ par mois, aide au logement comprise) doivent "
        "représenter environ 3 fois le loyer charges comprises (450\u00a0€)."
    )


def test_the_housing_allowance_counts_in_the_resources(ceilings, commune):
    demande = DemandeFactory(
        monthly_resources=Decimal("1200"), housing_allowance=Decimal("150"), communes=[commune]
    )
    offer = OfferFactory(rent=Decimal("400"), charges=Decimal("50"), commune=commune)
    assert is_open(offer, demande)


def test_the_affordability_factor_is_a_setting(ceilings, commune, settings):
    settings.AFFORDABILITY_FACTOR = 2.5
    demande = DemandeFactory(monthly_resources=Decimal("1125"), communes=[commune])
    offer = OfferFactory(rent=Decimal("400"), charges=Decimal("50"), commune=commune)
    assert is_open(offer, demande)
    dearer = OfferFactory(rent=Decimal("401"), charges=Decimal("50"), commune=commune)
    assert "environ 2,5 fois le loyer" in explain(dearer, demande)[0]


@pytest.mark.parametrize(("income", "open_"), [(26920, True), (26921, False)])
def test_income_at_the_plus_ceiling_is_accepted_one_euro_over_refused(
    ceilings, commune, income, open_
):
    demande = DemandeFactory(fiscal_income=income, communes=[commune])
    offer = OfferFactory(financing="PLUS", commune=commune)
    assert is_open(offer, demande) is open_
    if not open_:
        assert explain(offer, demande) == [
            "Votre revenu fiscal de référence (26\u202f921\u00a0€) dépasse le plafond de ce "
            "logement PLUS (26\u202f920\u00a0€ pour votre ménage)."
        ]


def test_the_ceiling_depends_on_the_zone_and_the_financing(ceilings):
    other = CommuneFactory(
        insee_code="33063",
        name="Bordeaux",
        postal_code="33000",
        department=DepartmentFactory(code="33", name="Gironde"),
    )
    demande = DemandeFactory(fiscal_income=24000, communes=[other])
    assert not is_open(OfferFactory(financing="PLUS", commune=other), demande)  # 23 403 €
    assert is_open(OfferFactory(financing="PLS", commune=other), demande)  # 130 %: 30 424 €


def test_extra_persons_beyond_category_6_raise_the_ceiling(ceilings, commune):
    demande = DemandeFactory(
        household_size=8,
        household_category=6,
        extra_persons=2,
        fiscal_income=84304 + 2 * 9394,
        monthly_resources=Decimal("9000"),
        communes=[commune],
    )
    offer = OfferFactory(financing="PLUS", typology=6, surface=Decimal("90"), commune=commune)
    assert is_open(offer, demande)


@pytest.mark.parametrize(
    ("size", "allowed"),
    [(1, {1, 2}), (2, {2, 3}), (3, {3, 4}), (4, {4, 5}), (5, {5, 6}), (7, {5, 6})],
)
def test_typology_fits_the_household_size(ceilings, commune, size, allowed):
    demande = DemandeFactory(
        household_size=size,
        household_category=min(size, 6),
        monthly_resources=Decimal("20000"),
        fiscal_income=10000,
        communes=[commune],
    )
    for typology in range(1, 7):
        offer = OfferFactory(typology=typology, surface=Decimal("95"), commune=commune)
        assert is_open(offer, demande) is (typology in allowed), (size, typology)


@pytest.mark.parametrize(
    ("size", "surface"), [(1, 9), (2, 16), (3, 25), (4, 34), (8, 70), (10, 70)]
)
def test_minimum_surface_follows_the_occupancy_norm(size, surface):
    assert minimum_surface(size) == surface


def test_a_dwelling_under_the_minimum_surface_is_refused(ceilings, commune):
    demande = DemandeFactory(
        household_size=2,
        household_category=2,
        communes=[commune],
        monthly_resources=Decimal("3000"),
    )
    assert is_open(OfferFactory(typology=2, surface=Decimal("16"), commune=commune), demande)
    small = OfferFactory(typology=2, surface=Decimal("15.50"), commune=commune)
    assert not is_open(small, demande)
    assert explain(small, demande) == [
        "La surface (15,5 m²) est inférieure au minimum de 16 m² pour 2 personnes."
    ]


def test_only_desired_communes_or_departments(ceilings, commune):
    aubervilliers = CommuneFactory(insee_code="93001", name="Aubervilliers", postal_code="93300")
    demande = DemandeFactory(communes=[commune])
    assert not is_open(OfferFactory(commune=aubervilliers), demande)
    by_department = DemandeFactory(departments=[commune.department])
    assert is_open(OfferFactory(commune=aubervilliers), by_department)


def test_a_request_for_paris_matches_its_arrondissements(ceilings):
    paris = DepartmentFactory(code="75", name="Paris")
    city = CommuneFactory(insee_code="75056", name="Paris", postal_code="75001", department=paris)
    eleventh = CommuneFactory(
        insee_code="75111", name="Paris 11e Arrondissement", postal_code="75011", department=paris
    )
    demande = DemandeFactory(communes=[city], monthly_resources=Decimal("3000"))
    assert is_open(OfferFactory(commune=eleventh), demande)


def test_closed_or_past_deadline_offers_are_not_open(ceilings, commune):
    import datetime

    from django.utils import timezone

    demande = DemandeFactory(communes=[commune])
    closed = OfferFactory(status=Offer.Status.CLOSED, commune=commune)
    past = OfferFactory(deadline=timezone.localdate() - datetime.timedelta(days=1), commune=commune)
    assert not is_open(closed, demande) and not is_open(past, demande)
    assert "plus ouverte" in explain(closed, demande)[0]
    assert "date limite de candidature est dépassée" in explain(past, demande)[0]


offers_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "typology": st.integers(1, 6),
            "surface": st.integers(8, 110),
            "rent": st.integers(150, 1500),
            "charges": st.integers(0, 200),
            "financing": st.sampled_from(["PLAI", "PLUS", "PLS", "PLI"]),
            "place": st.sampled_from(
                ["saint-ouen", "aubervilliers", "bordeaux", "paris-11", "evry"]
            ),
            "status": st.sampled_from(["publiee", "publiee", "publiee", "cloturee"]),
            "days_left": st.integers(-2, 30),
        }
    ),
    min_size=1,
    max_size=8,
)
WISHES = {
    # desired communes, desired departments
    "saint-ouen": (["saint-ouen"], []),
    "paris": (["paris"], []),
    "93": ([], ["93"]),
    "bordeaux + 91": (["bordeaux"], ["91"]),
}


def hypothesis_places():
    paris = DepartmentFactory(code="75", name="Paris")
    essonne = DepartmentFactory(code="91", name="Essonne")
    return {
        "saint-ouen": CommuneFactory(),
        "aubervilliers": CommuneFactory(
            insee_code="93001", name="Aubervilliers", postal_code="93300"
        ),
        "bordeaux": CommuneFactory(
            insee_code="33063",
            name="Bordeaux",
            postal_code="33000",
            department=DepartmentFactory(code="33", name="Gironde"),
        ),
        "paris": CommuneFactory(
            insee_code="75056", name="Paris", postal_code="75001", department=paris
        ),
        "paris-11": CommuneFactory(
            insee_code="75111",
            name="Paris 11e Arrondissement",
            postal_code="75011",
            department=paris,
        ),
        "evry": CommuneFactory(
            insee_code="91228",
            name="Évry-Courcouronnes",
            postal_code="91000",
            department=essonne,
        ),
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    offers=offers_strategy,
    size=st.integers(1, 9),
    income=st.integers(5_000, 110_000),
    resources=st.integers(500, 6_000),
    allowance=st.sampled_from([0, 0, 150, 320]),
    wish=st.sampled_from(sorted(WISHES)),
)
def test_the_sql_list_equals_a_brute_force_check_of_every_rule(
    ceilings, offers, size, income, resources, allowance, wish
):
    """Whatever the offers and the household, the SQL list holds exactly the offers
    that pass every rule checked one by one in Python."""
    import datetime

    from django.utils import timezone

    places = hypothesis_places()
    communes, departments = WISHES[wish]
    demande = DemandeFactory(
        household_size=size,
        household_category=min(size, 6),
        extra_persons=max(0, size - 6),
        fiscal_income=income,
        monthly_resources=Decimal(resources),
        housing_allowance=Decimal(allowance),
        communes=[places[c] for c in communes],
        departments=[DepartmentFactory(code=d) for d in departments],
    )
    today = timezone.localdate()
    created = [
        OfferFactory(
            typology=o["typology"],
            surface=Decimal(o["surface"]),
            rent=Decimal(o["rent"]),
            charges=Decimal(o["charges"]),
            financing=o["financing"],
            commune=places[o["place"]],
            status=o["status"],
            deadline=today + datetime.timedelta(days=o["days_left"]),
        )
        for o in offers
    ]
    in_sql = set(Offer.objects.open_to(demande).values_list("pk", flat=True))
    brute = {o.pk for o in created if not explain(o, demande)}
    assert in_sql == brute
    Offer.objects.filter(pk__in=[o.pk for o in created]).delete()
    demande.user.delete()


def test_a_missing_ceiling_refuses_and_says_why(ceilings, commune):
    from offres.models import ResourceCeiling

    ResourceCeiling.objects.filter(financing="PLUS", zone=commune.zone).delete()
    demande = DemandeFactory(communes=[commune])
    offer = OfferFactory(financing="PLUS", commune=commune)
    assert not is_open(offer, demande)
    assert (
        "plafond de ressources PLUS de la zone de ce logement n'est pas connu"
        in (explain(offer, demande)[0])
    )
    pli = OfferFactory(financing="PLI", commune=commune)
    assert is_open(pli, demande)  # no PLI figures at all: the landlord checks the income


def test_without_any_ceiling_loaded_offers_are_refused_with_the_reason(commune):
    """A database where `load_plafonds` never ran checks incomes all the same: nothing is
    open but the financing the landlord checks itself (PLI)."""
    from offres.models import ResourceCeiling

    assert not ResourceCeiling.objects.exists()
    demande = DemandeFactory(communes=[commune], fiscal_income=Decimal("1000000"))
    for financing in (Offer.Financing.PLAI, Offer.Financing.PLUS, Offer.Financing.PLS):
        offer = OfferFactory(financing=financing, commune=commune)
        assert not is_open(offer, demande)
        assert (
            f"Le plafond de ressources {financing} de la zone de ce logement n'est pas connu"
            in explain(offer, demande)[0]
        )
    assert is_open(OfferFactory(financing=Offer.Financing.PLI, commune=commune), demande)
