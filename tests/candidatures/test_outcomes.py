"""« Résultats des attributions »: what applicants learn from the offers allocated in the
last 12 months, and what they can never learn (who won, their number, a small group)."""

import datetime
from collections import Counter
from html import unescape
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from candidatures import outcomes, services
from candidatures.models import AllocationOutcome
from candidatures.tasks import refresh_outcomes
from candidatures.workflow import Role, Status
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory, DepartmentFactory


def text(response):
    return unescape(response.content.decode())


def allocate(
    *, commune, legal_priority=False, designation=False, filed_years_ago=3, others=2, typology=2
):
    """An offer published 20 days ago, ``others`` + 1 applicants, the winner accepts
    through the pipeline (as on « Mes candidatures »)."""
    published = timezone.now() - datetime.timedelta(days=20)
    offer = OfferFactory(commune=commune, typology=typology, published_at=published)
    winner = CandidatureFactory(
        offer=offer,
        status=Status.ATTRIBUTED,
        committee_rank=1,
        answer_by=timezone.localdate() + datetime.timedelta(days=10),
        demande=DemandeFactory(
            legal_priority=legal_priority,
            company_designation=designation,
            first_filed_on=timezone.localdate()
            - datetime.timedelta(days=365 * filed_years_ago + 5),
        ),
    )
    for _ in range(others):
        CandidatureFactory(offer=offer, status=Status.FORWARDED)
    services.transition(winner, "accept", actor=winner.applicant, role=Role.APPLICANT)
    return winner


@pytest.fixture
def saint_ouen(db):
    return CommuneFactory()


@pytest.mark.django_db
def test_an_allocated_offer_is_published_without_anything_that_names_the_winner(client, saint_ouen):
    winner = allocate(commune=saint_ouen, others=3)

    assert refresh_outcomes.delay().get() == 1
    page = text(client.get("/resultats-des-attributions/"))

    assert "1 logement attribué" in page
    assert "T2 | Saint-Ouen-sur-Seine (93) | 500 €" in page
    assert 'Candidatures reçues</dt><dd class="col-5">4<' in page
    assert "20 jours" in page
    demande = winner.demande
    for secret in (demande.number, demande.birth_name, demande.first_name, winner.applicant.email):
        assert secret not in page
    assert demande.first_filed_on.strftime("%d/%m/%Y") not in page
    # One allocation alone: its winner's profile is not published.
    assert "Non publié (moins de 5 attributions comparables)" in page
    assert "prioritaire : non" not in page.lower()


@pytest.mark.django_db
def test_a_profile_is_detailed_only_when_five_allocations_share_it(client, saint_ouen):
    for _ in range(6):
        allocate(commune=saint_ouen, filed_years_ago=4)
    for _ in range(2):
        allocate(commune=saint_ouen, legal_priority=True, filed_years_ago=4)
    outcomes.refresh()

    page = text(client.get("/resultats-des-attributions/"))

    # Two priority winners: splitting by priority would show a group of 2, so nobody's
    # priority is shown, not even the six others' (they would give the two away).
    assert "Toutes situations confondues : 8 attributions" in page
    assert "prioritaire" not in page.lower().replace("public prioritaire, ", "")

    for _ in range(3):
        allocate(commune=saint_ouen, legal_priority=True, filed_years_ago=1)
    outcomes.refresh()
    page = text(client.get("/resultats-des-attributions/"))
    assert (
        "Prioritaire : non ; désigné par son entreprise : non ; ancienneté de la demande : "
        "3 à 5 ans ; ancienneté exacte : 4 ans : 6 attributions" in page
    )
    # Five priority winners, but with 4 and 1 years of seniority: no finer split.
    assert "Prioritaire : oui ; désigné par son entreprise : non : 5 attributions" in page


@pytest.mark.django_db
def test_only_the_last_twelve_months_are_published(client, saint_ouen):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=400)):
        allocate(commune=saint_ouen)
    allocate(commune=saint_ouen)
    outcomes.refresh()
    assert AllocationOutcome.objects.count() == 1
    assert "1 logement attribué" in text(client.get("/resultats-des-attributions/"))


@pytest.mark.django_db
def test_the_results_are_filtered_by_department_and_typology(client, saint_ouen):
    bordeaux = CommuneFactory(
        insee_code="33063",
        name="Bordeaux",
        postal_code="33000",
        department=DepartmentFactory(code="33", name="Gironde"),
    )
    allocate(commune=saint_ouen, typology=2)
    allocate(commune=saint_ouen, typology=3)
    allocate(commune=bordeaux, typology=2)
    outcomes.refresh()

    page = text(client.get("/resultats-des-attributions/?departement=93&typologie=2"))
    assert "1 logement attribué" in page and "Saint-Ouen" in page and "| Bordeaux" not in page
    assert "Gironde (33)" in page  # a department with results is offered in the filter

    page = text(client.get("/resultats-des-attributions/?typologie=abc&departement=00"))
    assert "Sélectionnez un choix valide" in page
    assert "3 logements attribués" in page  # a bad filter filters nothing


class Facts(SimpleNamespace):
    band = ""


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.booleans(), st.integers(min_value=0, max_value=12)),
        max_size=60,
    )
)
def test_every_published_band_is_shared_by_five_and_no_group_can_be_subtracted(rows):
    facts = [Facts(legal_priority=p, company_designation=d, seniority_years=y) for p, d, y in rows]
    outcomes.assign_bands(facts)
    counts = Counter(f.band for f in facts)
    if len(facts) < outcomes.MIN_GROUP:
        assert set(counts) <= {outcomes.UNPUBLISHED}
        return
    assert all(count >= outcomes.MIN_GROUP for count in counts.values())
    # A band is a prefix path of the criteria tree: two bands never overlap, so no count
    # is the difference of two published counts.
    paths = {tuple(band.split(" ; ")) for band in counts}
    for a in paths:
        for b in paths:
            if a != b:
                common = min(len(a), len(b))
                assert a[:common] != b[:common], (a, b)
