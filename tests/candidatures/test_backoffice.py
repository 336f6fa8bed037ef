"""The advisors' back office, as user stories of an advisor signed in with the
advisors' group (not a superuser): deciding on a candidature from its page, the rank
column, finding anyone."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry

from accounts.models import User
from accounts.roles import apply_role
from candidatures import backoffice, services
from candidatures.models import Candidature, CandidatureEvent
from candidatures.workflow import Role, Status
from offres import eligibility
from tests.accounts.factories import UserFactory, staff_login
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/candidatures/candidature/"


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(response.content.decode())))


def page_of(candidature):
    return f"{CHANGELIST}{candidature.pk}/change/"


def button(candidature, name):
    return f"{CHANGELIST}{candidature.pk}/{name}/"


@pytest.fixture
def advisor(client):
    user = UserFactory(role=User.Role.ADVISOR, is_staff=True, first_name="Inès", last_name="Petit")
    apply_role(user)
    assert not user.is_superuser
    staff_login(client, user)
    return user


@pytest.fixture
def offer(ceilings):
    return OfferFactory(title="T2 Montreuil", rent=Decimal("500"), charges=Decimal("100"))


def apply(offer, **demande):
    demande.setdefault("communes", [offer.commune])
    demande.setdefault("monthly_resources", Decimal("2400"))
    request = DemandeFactory(**demande)
    return services.apply(user=request.user, offer=offer, demande=request)


def test_the_advisor_validates_then_forwards_a_candidature_from_its_page(
    client, advisor, offer, mailoutbox, django_capture_on_commit_callbacks
):
    candidature = apply(
        offer,
        civility=User.Civility.MADAME,
        birth_name="LEROY",
        usage_name="DURAND",
        first_name="Marie",
        housing_allowance=Decimal("120"),
        coapplicant={
            "civility": User.Civility.MONSIEUR,
            "birth_name": "DURAND",
            "first_name": "Paul",
            "birth_date": datetime.date(1988, 2, 1),
        },
        household_size=2,
        household_category=2,
        documents=["identite", "avis_imposition_n2"],
        renewed_on=datetime.date(2026, 3, 1),
    )
    page = text(client.get(page_of(candidature)))
    # What the decision needs, read as a person would.
    assert "Demandeur 1 Madame Marie DURAND (née LEROY), née le 17/05/1990" in page
    assert "Demandeur 2 Monsieur Paul DURAND, né le 01/02/1988" in page
    assert "2 personnes (catégorie 2)" in page
    assert "Loyer charges comprises 600,00 €" in page
    assert "Règle des 3 fois le loyer Respectée : il faut 1 800,00 € de ressources" in page
    # (500 + 100 − 120) / 2 400 = 20 %
    assert "Taux d'effort 20,0 %" in page
    assert "Typologie et surface adaptées au ménage Oui" in page
    assert "Pièce d'identité : déposée" in page
    assert "Avis d'imposition N-1 : non signalée par le registre" in page
    assert "Demande renouvelée le 01/03/2026 : valable jusqu'au 01/03/2027" in page
    assert "Rang 1 sur 1" in page
    assert "Transmises au bailleur pour cette offre : 0 sur 3 au plus." in page
    assert "Vous avez postulé" not in page and "En attente" in page

    client.post(button(candidature, "valider"))
    candidature.refresh_from_db()
    assert candidature.status == Status.VALIDATED
    page = text(client.get(page_of(candidature)))
    assert f"Candidature {candidature.number} validée." in page
    assert "Validée par Action Logement Conseiller Action Logement (Inès Petit)" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(button(candidature, "transmettre"))
    candidature.refresh_from_db()
    assert candidature.status == Status.FORWARDED
    assert "Transmises au bailleur pour cette offre : 1 sur 3" in text(
        client.get(page_of(candidature))
    )
    assert offer.landlord.contact_email in {m.to[0] for m in mailoutbox}
    assert LogEntry.objects.filter(object_id=str(candidature.pk)).count() == 2
    assert [e.actor for e in CandidatureEvent.objects.filter(role=Role.ADVISOR)] == [
        advisor,
        advisor,
    ]


def test_an_invalidation_without_a_reason_is_refused(client, advisor, offer):
    candidature = apply(offer)
    page = text(client.post(button(candidature, "invalider"), {"code": ""}, follow=True))
    assert "Candidature non invalidée : Choisissez le motif de l'invalidation." in page
    page = text(client.post(button(candidature, "invalider"), {"code": "autre"}, follow=True))
    assert "Précisez le motif de l'invalidation." in page
    candidature.refresh_from_db()
    assert candidature.status == Status.SUBMITTED

    client.post(
        button(candidature, "invalider"),
        {"code": "pieces", "details": "Bulletins de salaire manquants"},
    )
    candidature.refresh_from_db()
    assert candidature.status == Status.INVALIDATED
    assert candidature.decision_reason == (
        "Pièces justificatives manquantes ou non conformes : Bulletins de salaire manquants"
    )


def test_the_decision_buttons_only_answer_post(client, advisor, offer):
    candidature = apply(offer)
    assert client.get(button(candidature, "valider")).status_code == 405
    candidature.refresh_from_db()
    assert candidature.status == Status.SUBMITTED


def test_the_rank_column_is_the_offers_rank_whatever_the_search(client, advisor, offer):
    """Issue 14, item 7: a search showed rank 1 for the 4th candidate."""
    ranked = [
        apply(offer, legal_priority=True),
        apply(offer, first_filed_on=datetime.date(2020, 1, 1)),
        apply(offer, first_filed_on=datetime.date(2021, 1, 1)),
        apply(offer, first_filed_on=datetime.date(2022, 1, 1), birth_name="ZOLA"),
    ]
    fourth = ranked[3]

    def rank_shown(url, candidature):
        body = client.get(url).content.decode()
        row = next(r for r in body.split("<tr") if candidature.number in r and "field-rank" in r)
        return re.search(r'<td class="field-rank">([^<]*)</td>', row).group(1)

    assert rank_shown(CHANGELIST, fourth) == "4"
    assert rank_shown(f"{CHANGELIST}?q={fourth.number}", fourth) == "4"
    assert rank_shown(f"{CHANGELIST}?q=zola", fourth) == "4"
    assert rank_shown(f"{CHANGELIST}?status__exact={Status.SUBMITTED}", fourth) == "4"
    services.transition(ranked[0], "cancel", actor=ranked[0].applicant, role=Role.APPLICANT)
    assert rank_shown(f"{CHANGELIST}?q=zola", fourth) == "3"


def test_advisors_forward_in_the_offers_rank_order(client, advisor, offer):
    first, second = apply(offer, legal_priority=True), apply(offer)
    for candidature in (first, second):
        services.transition(candidature, "validate", actor=advisor, role=Role.ADVISOR)
    page = text(client.post(button(second, "transmettre"), follow=True))
    assert (
        "Les candidatures se transmettent dans l'ordre du classement de l'offre : "
        f"{first.number} (rang 1) est validée et classée avant. Aucune n'a été transmise."
    ) in page
    assert not Candidature.objects.filter(status=Status.FORWARDED).exists()
    # Chosen together, they are forwarded in rank order.
    client.post(CHANGELIST, {"action": "forward", "_selected_action": [second.pk, first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.forwarded_at <= second.forwarded_at
    assert {first.status, second.status} == {Status.FORWARDED}


def test_the_cap_of_forwarded_files_is_visible_and_enforced(client, advisor, offer, settings):
    settings.CANDIDATURES_FORWARD_MAX = 1
    first, second = apply(offer, legal_priority=True), apply(offer)
    for candidature in (first, second):
        services.transition(candidature, "validate", actor=advisor, role=Role.ADVISOR)
    client.post(button(first, "transmettre"))
    page = client.get(page_of(second)).content.decode()
    assert "<strong>1 sur 1</strong>" in page
    assert re.search(r"<button[^>]*disabled[^>]*>Transmettre au bailleur", page)
    page = text(client.post(button(second, "transmettre"), follow=True))
    assert "Au plus 1 candidatures peuvent être transmises" in page
    second.refresh_from_db()
    assert second.status == Status.VALIDATED


def test_the_landlord_pdf_opens_from_the_candidatures_page(client, advisor, offer):
    candidature = apply(offer)
    assert "dossier.pdf" in client.get(page_of(candidature)).content.decode()
    response = client.get(f"{CHANGELIST}{candidature.pk}/dossier.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_every_eligibility_rule_has_a_french_title():
    assert {rule.__name__ for _, rule in eligibility.RULES} <= set(backoffice.RULE_TITLES)


def test_advisors_find_anyone(client, advisor, offer):
    # Names no factory draws (Faker's French names would match a common one by chance).
    marie = apply(
        offer,
        birth_name="ABELARDINE",
        usage_name="BRISEVILLE",
        siret="73282932000074",
        coapplicant={
            "birth_name": "OKAFOR",
            "first_name": "Chidi",
            "birth_date": datetime.date(1990, 1, 1),
        },
    )
    other = apply(offer, birth_name="CASTAGNIERI")

    def found(query):
        body = client.get(CHANGELIST, {"q": query}).content.decode()
        return {c.number for c in (marie, other) if c.number in body}

    assert found(marie.number) == {marie.number}
    assert found("abelardine") == {marie.number}
    assert found("briseville") == {marie.number}
    assert found("okafor") == {marie.number}
    assert found("73282932000074") == {marie.number}
    assert found(marie.applicant.email) == {marie.number}
    assert found("castagnieri") == {other.number}
