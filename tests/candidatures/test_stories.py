"""Issue 14, point by point, as the people concerned live it: every page, email,
notification and PDF tells the same story, with the facts people act on."""

import datetime
import re
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone
from pypdf import PdfReader

from candidatures import services
from candidatures.models import Candidature, CandidatureEvent, Notification
from candidatures.workflow import TRANSITIONS, Decision, Status
from tests.accounts.factories import AdvisorFactory
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import LandlordFactory, LandlordMembershipFactory, OfferFactory

pytestmark = pytest.mark.django_db
PARIS = datetime.timezone(datetime.timedelta(hours=1))
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def text(response):
    page = re.sub(r"<[^>]+>", " ", unescape(response.content.decode()))
    return re.sub(r"\s+", " ", page.translate(SPACES))


def flat(value):
    return re.sub(r"\s+", " ", value.translate(SPACES))


def ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def landlord():
    return LandlordFactory(name="Seine-Saint-Denis Habitat", contact_phone="0148123456")


@pytest.fixture
def offer(landlord):
    return OfferFactory(landlord=landlord, address="3 rue Pasteur", rent=Decimal("450"))


@pytest.fixture
def staff(landlord):
    return LandlordMembershipFactory(landlord=landlord).user


def forwarded(offer, **demande):
    return CandidatureFactory(
        offer=offer, status=Status.FORWARDED, demande=DemandeFactory(**demande)
    )


def act(candidature, name, actor, **facts):
    role = TRANSITIONS[name].role
    return services.transition(candidature, name, actor=actor, role=role, **facts)


# 1. Emails carry the facts -----------------------------------------------------------


def test_the_visit_email_gives_date_time_address_and_contact_and_a_new_date_is_one_email(
    client, offer, staff, mailoutbox, django_capture_on_commit_callbacks
):
    candidature = forwarded(offer)
    visit = timezone.make_aware(datetime.datetime.combine(ago(-5), datetime.time(10, 30)))
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(staff)
        client.post(
            f"/bailleur/candidatures/{candidature.pk}/visite/",
            {"visit_at": timezone.localtime(visit).strftime("%Y-%m-%dT%H:%M")},
        )
    email = flat(mailoutbox[-1].body)
    when = f"{timezone.localtime(visit):%d/%m/%Y} à 10h30"
    assert mailoutbox[-1].subject == f"AL'in : visite programmée le {when}"
    assert f"Visite prévue le {when}" in email
    assert f"Adresse : 3 rue Pasteur, {offer.commune.postal_code} {offer.commune.name}" in email
    assert "Contact du bailleur : Seine-Saint-Denis Habitat, 01 48 12 34 56" in email
    client.force_login(candidature.applicant)
    assert f"Visite prévue le {when}" in text(client.get("/candidatures/"))  # same fact

    later = visit + datetime.timedelta(days=2, hours=4)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/bailleur/candidatures/{candidature.pk}/visite/",
            {"visit_at": timezone.localtime(later).strftime("%Y-%m-%dT%H:%M")},
        )
    new = f"{timezone.localtime(later):%d/%m/%Y} à 14h30"
    to_applicant = [m for m in mailoutbox if m.to == [candidature.applicant.email]]
    assert [m.subject for m in to_applicant] == [
        f"AL'in : visite programmée le {when}",
        f"AL'in : visite reprogrammée au {new}",
    ]
    assert "Visite reprogrammée" in to_applicant[-1].body
    assert f"Visite prévue le {new}" in flat(to_applicant[-1].body)
    events = CandidatureEvent.objects.filter(candidature=candidature)
    assert [e.transition for e in events] == ["schedule_visit", "reschedule_visit"]


def test_the_attribution_email_and_notification_give_the_deadline_and_what_silence_means(
    client, offer, staff, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.CANDIDATURES_ANSWER_DAYS = 10
    candidature = forwarded(offer)
    with django_capture_on_commit_callbacks(execute=True):
        act(candidature, "attribute", staff, committee_on=ago(0), committee_rank=1)
    deadline = f"{ago(-10):%d/%m/%Y}"
    email = flat(mailoutbox[-1].body)
    assert f"répondez avant le {deadline}" in mailoutbox[-1].subject
    sentence = (
        f"répondez avant le {deadline} inclus ; sans réponse, la proposition sera considérée "
        "comme refusée"
    )
    assert sentence in email
    assert sentence in flat(mailoutbox[-1].alternatives[0][0])
    client.force_login(candidature.applicant)
    assert sentence in text(client.get("/candidatures/"))  # the page says the same


def test_the_next_ranked_candidate_is_told_the_deadline_when_the_first_declines(
    offer, staff, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = forwarded(offer), forwarded(offer)
    act(first, "attribute", staff, committee_on=ago(0), committee_rank=1)
    act(second, "attribute", staff, committee_on=ago(0), committee_rank=2)
    with django_capture_on_commit_callbacks(execute=True):
        act(first, "decline", first.applicant)
    told = Notification.objects.filter(user=second.applicant).latest("pk").message
    assert "sans réponse, la proposition sera considérée comme refusée" in told
    assert "sans réponse, la proposition sera considérée comme refusée" in flat(
        [m for m in mailoutbox if m.to == [second.applicant.email]][-1].body
    )


def test_the_applicant_is_reminded_three_working_days_before_the_answer_deadline_once(
    offer, staff, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.CANDIDATURES_ANSWER_DAYS = 10
    candidature = forwarded(offer)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=PARIS)):  # Friday
        act(candidature, "attribute_sole", staff, committee_on=datetime.date(2026, 11, 20))
    candidature.refresh_from_db()
    assert candidature.answer_by == datetime.date(2026, 11, 30)  # Monday
    # 3 working days before Monday 30: Wednesday 25.
    for day, sent in [(24, 0), (25, 1), (26, 0), (27, 0)]:
        with (
            time_machine.travel(datetime.datetime(2026, 11, day, 9, 0, tzinfo=PARIS)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert services.remind_answer_due() == sent
    reminder = [m for m in mailoutbox if "rappel" in m.subject]
    assert len(reminder) == 1
    assert reminder[0].subject == (
        "AL'in : rappel — répondez avant le 30/11/2026 à la proposition de logement"
    )
    assert "sans réponse, la proposition sera considérée comme refusée" in flat(reminder[0].body)


# 2. One rank at a time -------------------------------------------------------------


def test_the_provisional_rank_gives_way_to_the_committees_rank_everywhere(client, offer, staff):
    ahead = forwarded(offer, legal_priority=True)
    mine = forwarded(offer)
    client.force_login(mine.applicant)
    before = text(client.get("/candidatures/"))
    assert "Votre rang : 2e sur 2 (rang provisoire, avant la commission)" in before

    # The CALEOL puts the applicant first and the other second.
    act(mine, "attribute", staff, committee_on=ago(0), committee_rank=1)
    act(ahead, "attribute", staff, committee_on=ago(0), committee_rank=2)
    page = text(client.get("/candidatures/"))
    assert f"Votre rang : 1 (rang attribué par la commission CALEOL du {ago(0):%d/%m/%Y})" in page
    assert "sur 2" not in page and "en tête" not in page and "provisoire" not in page
    client.force_login(ahead.applicant)
    other = text(client.get("/candidatures/"))
    assert "Votre rang : 2 (rang attribué par la commission" in other
    assert "Vous êtes en tête" not in other

    client.force_login(staff)
    file = text(client.get(f"/bailleur/candidatures/{ahead.pk}/"))
    assert "Rang 2 — rang attribué par la commission (CALEOL)" in file
    listing = client.get("/bailleur/candidatures/")
    ranks = {c.pk: c.position for c in listing.context["page"].object_list}
    assert ranks == {mine.pk: 1, ahead.pk: 2}
    assert dict(
        Candidature.objects.filter(offer=offer).with_offer_rank().values_list("pk", "offer_rank")
    ) == {mine.pk: 1, ahead.pk: 2}


# 3. Steps mean what they say -------------------------------------------------------


def steps(page):
    return re.findall(
        r"\d (Je postule|Validations|Envoi bailleur|Visite|Commission logement|"
        r"Entrée dans les lieux)[^()]*(?:\([^)]*\) )?\(étape ([^)]+)\)",
        page,
    )


def test_a_visit_to_come_is_planned_not_done_and_no_visit_is_skipped(client, offer, staff):
    candidature = forwarded(offer)
    visit = timezone.now() + datetime.timedelta(days=3)
    act(candidature, "schedule_visit", staff, visit_at=visit)
    client.force_login(candidature.applicant)
    page = text(client.get("/candidatures/"))
    assert (
        f"Visite (Visite prévue le {timezone.localtime(visit):%d/%m/%Y à %Hh%M}) (étape en cours)"
        in page
    )
    assert dict(steps(page))["Visite"] == "en cours"

    without = forwarded(offer)
    act(without, "refuse", staff, committee_on=ago(0), reason="Dossier incomplet")
    # Ended: shown in the history; the tracker of a decision without visit says so.
    other = forwarded(OfferFactory())
    act(
        other,
        "attribute_sole",
        LandlordMembershipFactory(landlord=other.offer.landlord).user,
        committee_on=ago(0),
    )
    client.force_login(other.applicant)
    page = text(client.get("/candidatures/"))
    assert "Visite (Sans visite) (étape sans objet)" in page
    assert dict(steps(page))["Commission logement"] == "franchie"


def test_at_the_move_in_all_six_steps_are_done_and_ma_situation_says_housed(client, offer, staff):
    candidature = forwarded(offer)
    act(candidature, "schedule_visit", staff, visit_at=timezone.now() - datetime.timedelta(days=9))
    act(candidature, "attribute", staff, committee_on=ago(8), committee_rank=1)
    act(candidature, "accept", candidature.applicant)
    act(candidature, "sign_lease", staff, lease_signed_on=ago(2))
    client.force_login(candidature.applicant)
    page = text(client.get("/candidatures/"))
    assert [state for _, state in steps(page)] == ["franchie"] * 6
    assert f"Bail signé le {ago(2):%d/%m/%Y} : vous êtes logé(e)." in page
    candidature.demande.information_confirmed_at = timezone.now()
    candidature.demande.save()
    situation = text(client.get("/ma-situation/"))
    assert f"Vous êtes logé(e) : bail signé le {ago(2):%d/%m/%Y}." in situation
    assert "Mon logement" in situation


# 4. Housed means housed ----------------------------------------------------------------


@pytest.mark.parametrize("end", ["accept", "sign_lease"])
def test_a_housed_applicant_cannot_apply_again_but_still_browses_offers(
    client, offer, staff, end, ceilings
):
    candidature = forwarded(offer)
    act(candidature, "attribute", staff, committee_on=ago(3), committee_rank=1)
    act(candidature, "accept", candidature.applicant)
    if end == "sign_lease":
        act(candidature, "sign_lease", staff, lease_signed_on=ago(1))
    elsewhere = OfferFactory(commune=offer.commune)
    client.force_login(candidature.applicant)
    refused = text(client.post(f"/candidatures/postuler/{elsewhere.pk}/", follow=True))
    expected = "vous ne pouvez plus postuler. Vous pouvez toujours consulter les offres."
    assert expected in refused
    assert Candidature.objects.filter(applicant=candidature.applicant).count() == 1
    assert client.get("/offres/").status_code == 200
    assert expected in text(client.get(f"/offres/{elsewhere.pk}/"))


# 5. Dates that make sense ------------------------------------------------------------


def test_the_landlord_cannot_date_a_decision_before_the_visit_nor_a_lease_in_the_future(
    client, offer, staff
):
    candidature = forwarded(offer)
    act(candidature, "schedule_visit", staff, visit_at=timezone.now() - datetime.timedelta(days=2))
    client.force_login(staff)
    page = text(client.get(f"/bailleur/candidatures/{candidature.pk}/"))
    assert "ne peut être ni dans le futur, ni avant la visite enregistrée" in page  # said first
    refused = text(
        client.post(
            f"/bailleur/candidatures/{candidature.pk}/decision/",
            {"decision": "attribute", "committee_on": ago(5).isoformat(), "rank": "1"},
            follow=True,
        )
    )
    assert "La commission ne peut pas être datée avant la visite du" in refused
    candidature.refresh_from_db()
    assert candidature.status == Status.VISIT and candidature.committee_on is None

    act(candidature, "attribute", staff, committee_on=ago(1), committee_rank=1)
    act(candidature, "accept", candidature.applicant)
    page = text(client.get(f"/bailleur/candidatures/{candidature.pk}/"))
    assert "la date ne peut pas être dans le futur" in page
    refused = text(
        client.post(
            f"/bailleur/candidatures/{candidature.pk}/bail/",
            {"lease_signed_on": ago(-1).isoformat()},
            follow=True,
        )
    )
    assert "ne peut pas être dans le futur : enregistrez l'entrée dans les lieux" in refused
    candidature.refresh_from_db()
    assert candidature.status == Status.ACCEPTED
    with pytest.raises(services.CandidatureError, match="dans le futur"):
        act(candidature, "sign_lease", staff, lease_signed_on=ago(-1))


def test_committee_ranks_are_unique_per_offer(offer, staff):
    first, second = forwarded(offer), forwarded(offer)
    act(first, "attribute", staff, committee_on=ago(0), committee_rank=1)
    with pytest.raises(services.CandidatureError, match="Le rang 1 est déjà attribué"):
        act(second, "attribute", staff, committee_on=ago(0), committee_rank=1)
    second.refresh_from_db()
    assert second.status == Status.FORWARDED
    with pytest.raises(IntegrityError):  # the database holds the rule too
        Candidature.objects.filter(pk=second.pk).update(committee_rank=1)


# 6. Accepting is a decision -----------------------------------------------------------


def test_accepting_asks_for_confirmation_and_says_what_it_ends(client, offer, staff):
    candidature = forwarded(offer)
    act(candidature, "attribute", staff, committee_on=ago(0), committee_rank=1)
    client.force_login(candidature.applicant)
    page = text(client.get(f"/candidatures/{candidature.pk}/accepter/"))
    assert "Accepter ce logement est une décision définitive." in page
    assert "votre recherche de logement s'arrête" in page
    assert "vous ne pourrez plus postuler à d'autres logements" in page
    candidature.refresh_from_db()
    assert candidature.status == Status.ATTRIBUTED  # looking is not answering
    assert client.get(f"/candidatures/{candidature.pk}/peut-etre/").status_code == 404
    assert client.post(f"/candidatures/{candidature.pk}/peut-etre/").status_code == 404
    client.post(f"/candidatures/{candidature.pk}/accepter/")
    candidature.refresh_from_db()
    assert candidature.status == Status.ACCEPTED


# 8. The landlord's file ----------------------------------------------------------------


@pytest.fixture
def family_file(offer):
    demande = DemandeFactory(
        household_size=3,
        household_category=3,
        fiscal_income=21000,
        monthly_resources=Decimal("2000"),
        housing_allowance=Decimal("100"),
        mobile_phone="+33612345678",
        coapplicant={
            "first_name": "Anne",
            "birth_name": "MARTIN",
            "birth_date": datetime.date(1991, 2, 3),
        },
        household_members=[
            {
                "prenom": "Jean",
                "nom_naissance": "DUPONT",
                "date_naissance": "1990-05-17",
                "role": "demandeur",
            },
            {
                "prenom": "Anne",
                "nom_naissance": "MARTIN",
                "date_naissance": "1991-02-03",
                "role": "co-demandeur",
            },
            {"prenom": "Léa", "date_naissance": "2015-01-02", "role": "enfant"},
        ],
        documents=["identite", "avis_imposition_n2"],
    )
    return CandidatureFactory(offer=offer, status=Status.FORWARDED, demande=demande)


def test_the_landlords_file_is_complete_on_the_page_and_in_the_pdf(
    client, offer, staff, family_file
):
    client.force_login(staff)
    page = text(client.get(f"/bailleur/candidatures/{family_file.pk}/"))
    pdf = client.get(f"/bailleur/candidatures/{family_file.pk}/dossier.pdf")
    pages = [flat(p.extract_text()) for p in PdfReader(BytesIO(pdf.content)).pages]
    document = " ".join(pages)
    # rent 450 + charges 50 − allowance 100 = 400 € ÷ 2 000 € = 20,0 %
    facts = [
        "Demandeur 2 Anne MARTIN, né(e) le 03/02/1991",
        "Anne MARTIN — Co-demandeur, ",
        "Léa — Enfant, ",
        "3 personnes, catégorie 3",
        "21 000 €",
        "2 000 €",
        "Taux d'effort 20,0 %",
        "Avis d'imposition N-2 Pièce déposée",
        "Avis d'imposition N-1 Pièce non déposée",
        "Salarié d'une entreprise de 10 salariés et plus",
        "Rang 1 — rang provisoire sur 1 candidature(s) active(s) : en tête du classement",
        "Historique de la candidature",
    ]
    for fact in facts:
        assert fact in page, fact
        assert fact in document, fact
    assert "06 12 34 56 78" in page  # the applicant's contact details on the web page
    assert "déposé " not in document and "déposé)" not in document  # agreement: pièce déposée
    assert "AL'in — Action Logement Services" in pages[0]
    assert "Seine-Saint-Denis Habitat" in pages[0]
    # No orphan: a page never ends with a section title left alone.
    titles = (
        "Ressources et loyer",
        "Pièces justificatives",
        "Priorités et rang",
        "Logement",
        "Historique de la candidature",
    )
    for content in pages[:-1]:
        body = content.split("Dossier " + family_file.number)[0].strip()
        assert not body.endswith(titles), body[-80:]


def test_the_effort_rate_follows_the_official_formula():
    from candidatures.landlord_file import Effort

    effort = Effort(
        rent=Decimal("610"),
        charges=Decimal("80"),
        allowance=Decimal("150"),
        resources=Decimal("1800"),
    )
    assert effort.net_cost == Decimal("540")
    assert effort.rate == Decimal("0.3000")  # (610 + 80 − 150) / 1800
    assert effort.remaining == Decimal("1260")
    assert Effort(Decimal(1), Decimal(0), Decimal(0), Decimal(0)).rate is None


# 9. The end is clean -------------------------------------------------------------------


def test_not_attributed_and_not_selected_carry_their_reason(client, offer, staff):
    refused = forwarded(offer)
    act(refused, "refuse", staff, committee_on=ago(0), reason="Taux d'effort trop élevé")
    winner = forwarded(offer)
    loser = CandidatureFactory(offer=offer, status=Status.VALIDATED)
    act(winner, "attribute_sole", staff, committee_on=ago(0))
    act(winner, "accept", winner.applicant)
    client.force_login(refused.applicant)
    page = text(client.get("/candidatures/"))
    assert "Non attribuée par la commission — motif : Taux d'effort trop élevé" in page
    client.force_login(loser.applicant)
    page = text(client.get("/candidatures/"))
    assert "Non retenue — motif : Le logement a été attribué à un autre candidat." in page


def test_the_landlord_chooses_among_the_five_caleol_decisions_with_their_meaning(
    client, offer, staff
):
    candidature = forwarded(offer)
    client.force_login(staff)
    page = text(client.get(f"/bailleur/candidatures/{candidature.pk}/"))
    for decision in Decision:
        assert decision.label in page
    assert "il est proposé au 1er ; s'il refuse, au suivant" in page
    assert "plafonds de ressources, conditions de séjour" in page
    client.post(
        f"/bailleur/candidatures/{candidature.pk}/decision/",
        {
            "decision": "declare_inadmissible",
            "committee_on": ago(0).isoformat(),
            "reason": "Ressources au-dessus des plafonds PLUS",
        },
    )
    candidature.refresh_from_db()
    assert (candidature.status, candidature.committee_decision) == (
        Status.INADMISSIBLE,
        Decision.INADMISSIBLE,
    )
    client.force_login(candidature.applicant)
    page = text(client.get("/candidatures/"))
    assert "Demande irrecevable — motif : Ressources au-dessus des plafonds PLUS" in page


# Emails mirror the page -----------------------------------------------------------------


def test_every_email_of_the_pipeline_renders_with_its_facts(
    offer, staff, mailoutbox, django_capture_on_commit_callbacks, settings, ceilings
):
    """Each template an applicant's email uses, rendered by the real pipeline."""
    settings.CANDIDATURES_ANSWER_DAYS = 10
    advisor = AdvisorFactory()
    demande = DemandeFactory(communes=[offer.commune])
    visit = timezone.now() - datetime.timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        candidature = services.apply(user=demande.user, offer=offer, demande=demande)
        act(candidature, "validate", advisor)
        services.forward_best(offer=offer, actor=advisor, candidatures=[candidature])
        act(candidature, "schedule_visit", staff, visit_at=visit - datetime.timedelta(days=1))
        act(candidature, "reschedule_visit", staff, visit_at=visit)
        act(candidature, "attribute", staff, committee_on=ago(3), committee_rank=1)
    Candidature.objects.filter(pk=candidature.pk).update(answer_by=ago(-2))
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_answer_due()
        act(candidature, "accept", demande.user)
        act(candidature, "sign_lease", staff, lease_signed_on=ago(1))
    mine = [m for m in mailoutbox if m.to == [demande.user.email]]
    templates = {spec.email for spec in TRANSITIONS.values()} | {
        "candidatures/email/answer_reminder"
    }
    from core.models import OutgoingEmail

    used = set(
        OutgoingEmail.objects.filter(to=demande.user.email).values_list("template", flat=True)
    )
    assert templates <= used | {"candidatures/email/status_changed"}
    assert len(mine) == CandidatureEvent.objects.filter(candidature=candidature).count() + 1
    bodies = [flat(m.body) for m in mine]
    when = f"{timezone.localtime(visit):%d/%m/%Y à %Hh%M}"
    assert any(
        f"Visite effectuée le {when}" in b or f"Visite prévue le {when}" in b for b in bodies
    )
    assert any("sans réponse, la proposition sera considérée comme refusée" in b for b in bodies)
    assert f"Bail signé le {ago(1):%d/%m/%Y} : vous êtes logé(e)." in bodies[-1]
    for message in mine:  # every email in text and HTML, with the link to follow
        assert "/candidatures/" in message.body
        assert message.alternatives[0][1] == "text/html"


def test_while_the_committee_ranked_some_the_others_follow_its_ranks(client, offer, staff):
    # By the rule, ``first`` ranks first; the CALEOL ranks ``second`` first and has not
    # examined ``first`` yet: nobody may read "1er" beside the committee's rank 1.
    first = forwarded(offer, legal_priority=True)
    second = forwarded(offer)
    act(second, "attribute", staff, committee_on=ago(0), committee_rank=1)

    client.force_login(first.applicant)
    page = text(client.get("/candidatures/"))
    assert "Votre rang : 2e sur 2 (rang provisoire, avant la commission)" in page
    assert "classé par la commission d'attribution (CALEOL) (1)" in page
    assert "1er sur" not in page
    client.force_login(staff)
    listing = client.get("/bailleur/candidatures/")
    assert {c.pk: c.position for c in listing.context["page"].object_list} == {
        second.pk: 1,
        first.pk: 2,
    }
    assert dict(
        Candidature.objects.filter(offer=offer).with_offer_rank().values_list("pk", "offer_rank")
    ) == {second.pk: 1, first.pk: 2}


def test_the_landlords_and_advisors_emails_carry_their_facts(
    offer, staff, mailoutbox, django_capture_on_commit_callbacks, ceilings
):
    """The emails the pipeline sends to the landlord (files forwarded, the applicant's
    answer) and to advisors (files waiting) name the request's applicant(s), the offer
    and the link to act on."""
    advisor = AdvisorFactory()
    demande = DemandeFactory(
        communes=[offer.commune],
        birth_name="NGUYEN",
        first_name="Marie",
        coapplicant={
            "birth_name": "NGUYEN",
            "first_name": "Paul",
            "birth_date": datetime.date(1990, 1, 1),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        candidature = services.apply(user=demande.user, offer=offer, demande=demande)
    waiting = timezone.now() - datetime.timedelta(days=7)
    Candidature.objects.filter(pk=candidature.pk).update(applied_at=waiting)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_advisors() == 1
    reminder = next(m for m in mailoutbox if m.to == [advisor.email])
    body = flat(reminder.body)
    names = candidature.applicants_names
    assert "Paul NGUYEN" in names and "Marie NGUYEN" in names
    assert (
        f"- {candidature.number} ({names}) sur « {offer} », déposée le {waiting:%d/%m/%Y}" in body
    )
    assert f"?status__exact={Status.SUBMITTED}" in body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(candidature, "validate", advisor)
        services.forward_best(offer=offer, actor=advisor, candidatures=[candidature])
        act(candidature, "attribute", staff, committee_on=ago(0), committee_rank=1)
        act(candidature, "accept", demande.user)
    to_landlord = [flat(m.body) for m in mailoutbox if m.to == [offer.landlord.contact_email]]
    forwarded_email = next(b for b in to_landlord if "dossier(s) de candidature" in b)
    assert f"« {offer.title} » ({offer.commune.name})" in forwarded_email
    assert f"- demande n° {candidature.number} — {names}" in forwarded_email
    assert "/bailleur/candidatures/" in forwarded_email
    answer = next(b for b in to_landlord if "Le dossier :" in b)
    assert f"demande n° {candidature.number} ({names}) :" in answer
    assert "Le demandeur a accepté le logement : bail à signer." in answer
    assert f"/bailleur/candidatures/{candidature.pk}/" in answer
