"""Chapter "#6 Suivre sa candidature": apply, one active candidature, follow, cancel."""

import re
import threading
from datetime import timedelta
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from candidatures import services
from candidatures.models import Candidature
from candidatures.workflow import Role, Status
from offres.models import Offer
from tests.accounts.factories import CompanyUserFactory
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory


def days_ago(days):
    """A past date: visits, committees and leases are recorded once they happened."""
    import datetime

    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=days)


def text(response):
    return unescape(response.content.decode())


@pytest.fixture
def place(db, ceilings):
    return CommuneFactory()


@pytest.fixture
def applicant(client, place):
    demande = DemandeFactory(
        communes=[place], monthly_resources=Decimal("2400"), information_confirmed_at=timezone.now()
    )
    client.force_login(demande.user)
    return demande


@pytest.mark.django_db
def test_the_applicant_applies_follows_cancels_and_applies_again(client, applicant, place):
    first, second = OfferFactory(commune=place), OfferFactory(commune=place, title="Autre T2")
    page = text(client.get(f"/offres/{first.pk}/"))
    assert "Je postule" in page
    confirm = text(client.get(f"/candidatures/postuler/{first.pk}/"))
    assert "Vous ne pouvez avoir qu'une seule candidature active" in confirm
    done = text(client.post(f"/candidatures/postuler/{first.pk}/", follow=True))
    assert "Ce logement a bien été ajouté à vos candidatures" in done and ">Ok<" in done

    mine = text(client.get("/candidatures/"))
    assert "Mes candidatures en cours" in mine
    assert "T2 | Saint-Ouen-sur-Seine (93) | 500 €" in mine
    assert "Position : Il y a actuellement 1 candidature déposée sur cette offre." in mine.replace(
        "</strong>", ""
    )
    assert 'aria-current="step"' in mine and "Je postule" in mine

    refused = text(client.post(f"/candidatures/postuler/{second.pk}/", follow=True))
    assert "Vous ne pouvez avoir qu'une seule candidature active" in refused
    assert Candidature.objects.count() == 1

    candidature = Candidature.objects.get()
    assert "Annuler cette candidature" in text(
        client.get(f"/candidatures/{candidature.pk}/annuler/")
    )
    client.post(f"/candidatures/{candidature.pk}/annuler/")
    candidature.refresh_from_db()
    assert candidature.status == Status.CANCELLED
    client.post(f"/candidatures/postuler/{second.pk}/")
    assert Candidature.objects.active().get().offer == second
    history = text(client.get("/candidatures/"))
    assert "Historique de mes candidatures" in history and "Annulée" in history


@pytest.mark.django_db
def test_applying_needs_confirmed_documents_and_an_open_offer(client, applicant, place):
    applicant.documents_confirmed_at = None
    applicant.save()
    offer = OfferFactory(commune=place)
    page = text(client.post(f"/candidatures/postuler/{offer.pk}/", follow=True))
    assert "Confirmez d'abord le dépôt de vos pièces justificatives" in page
    applicant.documents_confirmed_at = timezone.now()
    applicant.save()
    too_big = OfferFactory(commune=place, typology=5, surface=Decimal("100"))
    page = text(client.post(f"/candidatures/postuler/{too_big.pk}/", follow=True))
    assert "Pour un ménage de 1 personne, les logements proposés sont des T1 ou T2." in page
    closed = OfferFactory(commune=place)
    Offer.objects.filter(pk=closed.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    page = text(client.post(f"/candidatures/postuler/{closed.pk}/", follow=True))
    assert "La date limite de candidature est dépassée." in page
    assert not Candidature.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_candidature():
    from django.db import IntegrityError, transaction

    first = CandidatureFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidatureFactory(demande=first.demande, applicant=first.applicant)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_applications_give_exactly_one(postgres, ceilings):
    place = CommuneFactory()
    demande = DemandeFactory(communes=[place], monthly_resources=Decimal("2400"))
    offers = [OfferFactory(commune=place), OfferFactory(commune=place)]
    barrier = threading.Barrier(2)
    outcomes = []

    def apply(offer):
        barrier.wait()
        try:
            services.apply(user=demande.user, offer=offer, demande=demande)
            outcomes.append("ok")
        except services.CandidatureError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    for _ in range(5):
        Candidature.objects.all().delete()
        outcomes.clear()
        threads = [threading.Thread(target=apply, args=(o,)) for o in offers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert Candidature.objects.active().filter(applicant=demande.user).count() == 1
        assert sorted(outcomes)[0].startswith("Vous ne pouvez avoir qu'une seule candidature")
        assert "ok" in outcomes


@pytest.mark.django_db
def test_ranking_rule_and_its_ties():
    import datetime

    offer = OfferFactory()
    older = datetime.date(2020, 1, 1)
    legal = CandidatureFactory(
        offer=offer, demande=DemandeFactory(legal_priority=True, company_priority=False)
    )
    company = CandidatureFactory(
        offer=offer, demande=DemandeFactory(company_priority=True, first_filed_on=older)
    )
    designated = CandidatureFactory(
        offer=offer, demande=DemandeFactory(company_priority=True, company_designation=True)
    )
    tie_first = CandidatureFactory(
        offer=offer, demande=DemandeFactory(company_priority=False, first_filed_on=older)
    )
    tie_second = CandidatureFactory(
        offer=offer, demande=DemandeFactory(company_priority=False, first_filed_on=older)
    )
    order = list(
        Candidature.objects.filter(offer=offer)
        .ranked()
        .order_by("position")
        .values_list("pk", flat=True)
    )
    # Same seniority: the earlier application comes first.
    assert order == [legal.pk, designated.pk, company.pk, tie_first.pk, tie_second.pk]


@pytest.mark.django_db
def test_mes_candidatures_shows_rank_and_reason_with_fixed_queries(
    client, applicant, place, django_assert_num_queries
):
    offer = OfferFactory(commune=place)
    CandidatureFactory(offer=offer, demande=DemandeFactory(legal_priority=True))
    services.apply(user=applicant.user, offer=offer, demande=applicant)
    with django_assert_num_queries(6):
        page = text(client.get("/candidatures/"))
    assert "Il y a actuellement 2 candidatures déposées sur cette offre" in page
    assert "2e sur 2" in page and "salarié d'une entreprise de 10 salariés et plus" in page
    assert "Classées avant vous : public prioritaire reconnu par la loi (1)" in page
    assert "Comment les candidatures sont-elles classées ?" in page


@pytest.mark.django_db
def test_each_party_sees_only_what_is_theirs(client, place):
    candidature = CandidatureFactory(status=Status.VALIDATED)
    stranger = DemandeFactory(communes=[place]).user
    client.force_login(stranger)
    assert client.get(f"/candidatures/{candidature.pk}/annuler/").status_code == 404
    assert client.post(f"/candidatures/{candidature.pk}/accepter/").status_code == 404
    assert "Saint-Ouen" not in text(client.get("/candidatures/"))

    landlord_staff = LandlordMembershipFactory().user
    client.force_login(landlord_staff)
    assert client.get(f"/bailleur/candidatures/{candidature.pk}/").status_code == 404
    own = LandlordMembershipFactory(landlord=candidature.offer.landlord).user
    client.force_login(own)
    assert (
        client.get(f"/bailleur/candidatures/{candidature.pk}/").status_code == 404
    )  # not forwarded

    client.force_login(CompanyUserFactory())
    assert client.get(f"/bailleur/candidatures/{candidature.pk}/").status_code == 404
    assert client.get(f"/candidatures/{candidature.pk}/annuler/").status_code == 404
    candidature.refresh_from_db()
    assert candidature.status == Status.VALIDATED


@pytest.mark.django_db
def test_the_landlord_follows_a_forwarded_file_to_the_move_in(
    client, mailoutbox, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    candidature = CandidatureFactory(status=Status.FORWARDED)
    staff = LandlordMembershipFactory(landlord=candidature.offer.landlord).user
    client.force_login(staff)
    with django_assert_max_num_queries(6):
        listing = text(client.get("/bailleur/candidatures/"))
    assert candidature.number in listing

    pdf = client.get(f"/bailleur/candidatures/{candidature.pk}/dossier.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    content = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert candidature.number in content and "Historique de la candidature" in content

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/bailleur/candidatures/{candidature.pk}/visite/",
            {"visit_at": f"{days_ago(12)}T10:30"},
        )
        client.post(
            f"/bailleur/candidatures/{candidature.pk}/decision/",
            {"decision": "attribute", "committee_on": days_ago(10).isoformat(), "rank": "1"},
        )
    candidature.refresh_from_db()
    assert (candidature.status, candidature.committee_rank) == (Status.ATTRIBUTED, 1)
    assert len(mailoutbox) == 2

    refused = text(
        client.post(
            f"/bailleur/candidatures/{candidature.pk}/decision/",
            {"decision": "refuse", "committee_on": days_ago(10).isoformat()},
            follow=True,
        )
    )
    assert "Indiquez le motif ou la condition." in refused

    services.transition(candidature, "accept", actor=candidature.applicant, role=Role.APPLICANT)
    client.post(
        f"/bailleur/candidatures/{candidature.pk}/bail/",
        {"lease_signed_on": days_ago(7).isoformat()},
    )
    candidature.refresh_from_db()
    assert candidature.status == Status.MOVED_IN


@pytest.mark.django_db
def test_deleting_the_request_cancels_the_active_candidature(client, applicant, place):
    offer = OfferFactory(commune=place)
    services.apply(user=applicant.user, offer=offer, demande=applicant)
    client.post("/demande/supprimer/", {"confirm": "on"})
    assert Candidature.objects.get().status == Status.CANCELLED


@pytest.mark.django_db
def test_notifications_have_an_unread_count(client, applicant, place):
    services.apply(user=applicant.user, offer=OfferFactory(commune=place), demande=applicant)
    page = re.sub(r"<[^>]+>", "", text(client.get("/")))
    assert "Notifications 1 non lue(s)" in page
    listing = text(client.get("/candidatures/notifications/"))
    assert "Vous avez postulé sur ce logement." in listing
    # Reading the page (a GET) changes nothing; "Tout marquer comme lu" (a POST) does.
    assert "Notifications 1 non lue(s)" in re.sub(r"<[^>]+>", "", text(client.get("/")))
    assert "Tout marquer comme lu" in listing
    client.post("/candidatures/notifications/")
    assert "non lue(s)" not in text(client.get("/"))
