"""The advisors' back office, the points of issue 15 the other stories leave out, each
signed in as an advisor of the advisors' group: the candidatures list filtered by
waiting time, department and landlord; the invalidation page keeping the site's title;
the request's page read as a person would (no code, no JSON)."""

import datetime
import re
from html import unescape

import pytest
import time_machine

from accounts.models import User
from candidatures.models import Candidature
from candidatures.workflow import Status
from demandes.models import DataSharingChange, Demande
from tests.accounts.factories import AdvisorFactory, staff_login
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/candidatures/candidature/"
PARIS = datetime.timezone(datetime.timedelta(hours=2))  # summer time
# Tuesday 12 May 2026: Friday 8 May is a public holiday, so 2 working days before is
# Thursday 7 May.
TODAY = datetime.datetime(2026, 5, 12, 10, 0, tzinfo=PARIS)


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(response.content.decode())))


@pytest.fixture
def advisor(client):
    user = AdvisorFactory(first_name="Inès", last_name="Petit")
    staff_login(client, user)
    return user


def deposited(at, offer):
    candidature = CandidatureFactory(offer=offer)
    Candidature.objects.filter(pk=candidature.pk).update(applied_at=at)
    return candidature


@time_machine.travel(TODAY, tick=False)
def test_advisors_filter_by_waiting_time_department_and_landlord(client, advisor):
    saint_ouen = OfferFactory(title="T2 Saint-Ouen")
    paris = OfferFactory(
        title="T3 Paris",
        commune=CommuneFactory(
            insee_code="75111",
            name="Paris 11e",
            postal_code="75011",
            department=DepartmentFactory(code="75", name="Paris"),
        ),
    )
    late = deposited(datetime.datetime(2026, 5, 6, 16, 0, tzinfo=PARIS), saint_ouen)
    on_time = deposited(datetime.datetime(2026, 5, 7, 9, 0, tzinfo=PARIS), paris)
    long_ago = deposited(datetime.datetime(2026, 4, 27, 9, 0, tzinfo=PARIS), paris)
    validated = CandidatureFactory(offer=saint_ouen, status=Status.VALIDATED)

    def shown(**query):
        page = client.get(CHANGELIST, query).content.decode()
        return {c for c in (late, on_time, long_ago, validated) if f">{c.number}<" in page}

    everything = text(client.get(CHANGELIST))
    for title in ("Par attente de validation", "Par département", "Par statut"):
        assert title in everything
    assert shown(attente="en_retard") == {late, long_ago}
    assert shown(attente="dans_le_delai") == {on_time}
    assert shown(attente="plus_5") == {long_ago}
    assert shown(departement="75") == {on_time, long_ago}
    assert shown(departement="93") == {late, validated}
    assert shown(offer__landlord__id__exact=paris.landlord_id) == {on_time, long_ago}
    assert shown(status__exact=Status.VALIDATED) == {validated}


def test_the_invalidation_page_keeps_the_sites_title(client, advisor):
    candidature = CandidatureFactory()
    response = client.post(
        CHANGELIST, {"action": "invalidate", "_selected_action": [candidature.pk]}
    )
    page = response.content.decode()
    assert "<title>Invalider des candidatures | AL&#x27;in administration</title>" in page
    assert "AL&#x27;in — administration Action Logement" in page
    assert "Motif de l&#x27;invalidation" in page
    candidature.refresh_from_db()
    assert candidature.status == Status.SUBMITTED


def test_the_request_reads_as_a_person_would(client, advisor):
    demande = DemandeFactory(
        civility=User.Civility.MADAME,
        desired_typologies=[1, 2],
        documents=["identite", "bulletins_salaire"],
        data_sharing=Demande.DataSharing.IDENTITY,
    )
    DataSharingChange.objects.create(
        demande=demande, choice=Demande.DataSharing.ANONYMOUS, by_default=True
    )
    DataSharingChange.objects.create(demande=demande, choice=Demande.DataSharing.IDENTITY)
    page = text(client.get(f"/admin/demandes/demande/{demande.pk}/change/"))
    assert "Civilité : Madame" in page
    assert "Typologies souhaitées : T1, T2" in page
    assert "Pièce d'identité" in page and "Bulletins de salaire" in page
    assert "Mon entreprise voit mes nom, prénom et date de naissance" in page
    assert "Je souhaite rester anonyme" in page  # the history of the choice
    assert "[1, 2]" not in page and "bulletins_salaire" not in page


def test_the_candidatures_page_says_its_rank_why_and_the_offers_order(client, advisor, ceilings):
    from candidatures import services
    from candidatures.workflow import Role

    offer = OfferFactory()

    def apply(**facts):
        demande = DemandeFactory(communes=[offer.commune], **facts)
        return services.apply(user=demande.user, offer=offer, demande=demande)

    prioritaire = apply(legal_priority=True)
    middle = apply(first_filed_on=datetime.date(2020, 1, 1))
    last = apply(first_filed_on=datetime.date(2023, 1, 1))
    services.transition(middle, "validate", actor=advisor, role=Role.ADVISOR)

    page = text(client.get(f"{CHANGELIST}{middle.pk}/change/"))
    assert "Rang 2 sur 3 candidatures actives" in page
    assert f"Classée après {prioritaire.number} : public prioritaire reconnu par la loi" in page
    assert f"Classée avant {last.number} : demande de logement plus ancienne" in page
    order = [
        page.index(c.number, page.index("dans l'ordre du classement"))
        for c in (
            prioritaire,
            middle,
            last,
        )
    ]
    assert order == sorted(order)
    # The history: who did what, in French.
    assert "Validée par Action Logement Conseiller Action Logement (Inès Petit)" in page
