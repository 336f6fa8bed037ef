"""The pipeline seen by its three parties: applying again, the committee's order,
forwarding caps, what the landlord keeps seeing, the background tasks, the emails and
the cost of the main pages."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from candidatures import services
from candidatures.models import Candidature, CandidatureEvent, Notification
from candidatures.workflow import Role, Status
from offres.models import Offer
from tests.accounts.factories import AdvisorFactory, staff_login
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db

PARIS = datetime.timezone(datetime.timedelta(hours=1))


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(response.content.decode())))


@pytest.fixture
def place(ceilings):
    return CommuneFactory()


@pytest.fixture
def demande(place):
    return DemandeFactory(communes=[place], monthly_resources=Decimal("2400"))


@pytest.fixture
def advisor():
    return AdvisorFactory()


def test_after_an_invalidation_or_a_refusal_the_applicant_applies_again(
    client, demande, place, advisor
):
    first, second, third = (OfferFactory(commune=place) for _ in range(3))
    client.force_login(demande.user)
    client.post(f"/candidatures/postuler/{first.pk}/")
    candidature = Candidature.objects.get()
    services.transition(
        candidature, "invalidate", actor=advisor, role=Role.ADVISOR, reason="Pièces manquantes"
    )
    page = text(client.get("/candidatures/"))
    assert "Vous n'avez pas de candidature en cours" in page
    assert "Action Logement n'a pas validé votre candidature" in page
    assert "Pièces manquantes" in page

    client.post(f"/candidatures/postuler/{second.pk}/")
    again = Candidature.objects.active().get()
    services.transition(again, "validate", actor=advisor, role=Role.ADVISOR)
    services.forward_best(offer=second, actor=advisor, candidatures=[again])
    services.transition(
        again,
        "refuse",
        actor=LandlordMembershipFactory(landlord=second.landlord).user,
        role=Role.LANDLORD,
        reason="Taux d'effort trop élevé",
        committee_on=timezone.localdate(),
    )
    client.post(f"/candidatures/postuler/{third.pk}/")
    assert Candidature.objects.active().get().offer == third
    assert Candidature.objects.filter(applicant=demande.user).count() == 3


def test_the_committees_order_decides_who_may_accept_first(client, mailoutbox):
    offer = OfferFactory()
    first = CandidatureFactory(offer=offer, status=Status.FORWARDED)
    second = CandidatureFactory(offer=offer, status=Status.FORWARDED)
    third = CandidatureFactory(offer=offer, status=Status.VISIT)
    staff = LandlordMembershipFactory(landlord=offer.landlord).user
    for candidature, rank in ((first, 1), (second, 2)):
        services.transition(
            candidature,
            "attribute",
            actor=staff,
            role=Role.LANDLORD,
            committee_on=timezone.localdate(),
            committee_rank=rank,
        )

    client.force_login(second.applicant)
    page = text(client.get("/candidatures/"))
    assert "Le logement est d'abord proposé au candidat classé avant vous" in page
    assert "J'accepte ce logement" not in page
    refused = text(client.post(f"/candidatures/{second.pk}/accepter/", follow=True))
    assert "Le logement est d'abord proposé au candidat classé avant vous" in refused
    second.refresh_from_db()
    assert second.status == Status.ATTRIBUTED

    services.transition(first, "decline", actor=first.applicant, role=Role.APPLICANT)
    assert Notification.objects.filter(
        user=second.applicant, message__startswith="Le candidat classé avant vous a refusé"
    ).exists()
    page = text(client.get("/candidatures/"))
    assert "J'accepte ce logement" in page
    client.post(f"/candidatures/{second.pk}/accepter/")

    offer.refresh_from_db()
    statuses = {c.pk: c.status for c in Candidature.objects.filter(offer=offer)}
    assert offer.status == Offer.Status.ALLOCATED
    assert statuses == {
        first.pk: Status.DECLINED,
        second.pk: Status.ACCEPTED,
        third.pk: Status.NOT_SELECTED,
    }
    assert "Le logement a été attribué à un autre candidat." in (
        Candidature.objects.get(pk=third.pk).decision_reason
    )


def test_forwarding_is_capped_per_offer_and_all_or_nothing(client, advisor, settings):
    settings.CANDIDATURES_FORWARD_MAX = 3
    offer = OfferFactory()
    validated = [CandidatureFactory(offer=offer, status=Status.VALIDATED) for _ in range(4)]
    staff_login(client, advisor)
    page = text(
        client.post(
            "/admin/candidatures/candidature/",
            {"action": "forward", "_selected_action": [c.pk for c in validated]},
            follow=True,
        )
    )
    assert "Au plus 3 candidatures peuvent être transmises au bailleur" in page
    assert "0 déjà transmise(s), 4 choisie(s). Aucune n'a été transmise." in page
    assert not Candidature.objects.filter(status=Status.FORWARDED).exists()

    page = text(
        client.post(
            "/admin/candidatures/candidature/",
            {"action": "forward", "_selected_action": [c.pk for c in validated[:3]]},
            follow=True,
        )
    )
    assert "3 candidature(s) transmise(s)." in page
    assert LogEntry.objects.filter(change_message="Transmise au bailleur").count() == 3
    with pytest.raises(services.CandidatureError, match="3 déjà transmise"):
        services.forward_best(offer=offer, actor=advisor, candidatures=validated[3:])

    # A forwarded applicant cancels: the place goes to the next validated candidature.
    services.transition(validated[0], "cancel", actor=validated[0].applicant, role=Role.APPLICANT)
    services.forward_best(offer=offer, actor=advisor, candidatures=validated[3:])
    assert Candidature.objects.active().filter(offer=offer, forwarded_at__isnull=False).count() == 3


def test_the_landlord_keeps_seeing_a_forwarded_file_that_was_cancelled(client):
    candidature = CandidatureFactory(status=Status.VISIT)
    staff = LandlordMembershipFactory(landlord=candidature.offer.landlord).user
    services.transition(
        candidature, "cancel", actor=candidature.applicant, role=Role.APPLICANT, reason="Trouvé"
    )
    client.force_login(staff)
    listing = text(client.get("/bailleur/candidatures/"))
    assert candidature.number in listing and "Annulée" in listing
    detail = text(client.get(f"/bailleur/candidatures/{candidature.pk}/"))
    assert "Candidature annulée par le demandeur. — Trouvé" in detail
    assert "Aucune action à mener." in detail


def test_the_landlord_is_refused_a_decision_without_a_committee_date(client):
    candidature = CandidatureFactory(status=Status.FORWARDED)
    client.force_login(LandlordMembershipFactory(landlord=candidature.offer.landlord).user)
    page = text(
        client.post(
            f"/bailleur/candidatures/{candidature.pk}/decision/",
            {"decision": "attribute", "rank": "1"},
            follow=True,
        )
    )
    assert "Indiquez la date de la commission." in page
    candidature.refresh_from_db()
    assert candidature.status == Status.FORWARDED


def test_advisors_are_reminded_after_two_working_days(
    mailoutbox, django_capture_on_commit_callbacks
):
    advisor = AdvisorFactory(email="claire@alin.example")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=PARIS)):  # Friday
        waiting = CandidatureFactory()
    CandidatureFactory(status=Status.VALIDATED)  # looked at already
    for day, expected in [(23, 0), (24, 0), (25, 1)]:  # Monday, Tuesday: not yet; Wednesday
        with (
            time_machine.travel(datetime.datetime(2026, 11, day, 8, 0, tzinfo=PARIS)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert services.remind_advisors() == expected
    assert [m.to for m in mailoutbox] == [[advisor.email]]
    assert waiting.number in mailoutbox[0].body
    assert "1 candidature(s) en attente de validation" in mailoutbox[0].subject


@given(today=st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)))
def test_two_working_days_ago_matches_counting_days_one_by_one(today):
    start = services.working_days_ago(today, 2)
    # From ``start`` to yesterday: exactly 2 working days, so a candidature deposited
    # before ``start`` has waited more than 2 of them.
    days = [start + datetime.timedelta(days=n) for n in range((today - start).days)]
    assert start.weekday() < 5
    assert sum(day.weekday() < 5 for day in days) == 2


def test_candidatures_end_when_their_offer_is_allocated_or_withdrawn_not_at_its_deadline(
    settings,
):
    settings.CANDIDATURES_DECISION_DELAY_DAYS = 90
    today = timezone.localdate()
    allocated = CandidatureFactory(status=Status.VISIT)
    withdrawn = CandidatureFactory(status=Status.VALIDATED)
    at_deadline = CandidatureFactory(status=Status.FORWARDED)
    long_ago = CandidatureFactory(status=Status.SUBMITTED)
    accepted = CandidatureFactory(status=Status.ACCEPTED)
    Offer.objects.filter(pk__in=[allocated.offer_id, accepted.offer_id]).update(
        status=Offer.Status.ALLOCATED
    )
    Offer.objects.filter(pk=withdrawn.offer_id).update(status=Offer.Status.CLOSED)
    Offer.objects.filter(pk=at_deadline.offer_id).update(
        status=Offer.Status.CLOSED, deadline=today - datetime.timedelta(days=10)
    )
    Offer.objects.filter(pk=long_ago.offer_id).update(
        status=Offer.Status.CLOSED, deadline=today - datetime.timedelta(days=91)
    )

    assert services.end_stale() == 3
    status = dict(Candidature.objects.values_list("pk", "status"))
    assert status[allocated.pk] == status[withdrawn.pk] == status[long_ago.pk]
    assert status[allocated.pk] == Status.NOT_SELECTED
    assert status[at_deadline.pk] == Status.FORWARDED  # the CALEOL has not met yet
    assert status[accepted.pk] == Status.ACCEPTED
    assert services.end_stale() == 0


def test_the_beat_schedule_runs_the_candidatures_tasks(settings):
    from alin.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    tasks = {
        "candidatures.tasks.end_stale",
        "candidatures.tasks.remind_advisors",
        "candidatures.tasks.expire_unanswered",
    }
    assert tasks <= names
    import candidatures.tasks  # noqa: F401 — registers the tasks, as the worker does

    assert tasks <= set(app.tasks)


def test_one_email_in_html_and_text_per_change_of_state(
    client, demande, place, advisor, mailoutbox, django_capture_on_commit_callbacks
):
    offer = OfferFactory(commune=place)
    staff = LandlordMembershipFactory(landlord=offer.landlord).user
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        candidature = services.apply(user=demande.user, offer=offer, demande=demande)
    steps = [
        ("validate", advisor, Role.ADVISOR, {}),
        ("schedule_visit", staff, Role.LANDLORD, {"visit_at": timezone.now()}),
        ("attribute", staff, Role.LANDLORD, {"committee_on": today, "committee_rank": 1}),
        ("accept", demande.user, Role.APPLICANT, {}),
        ("sign_lease", staff, Role.LANDLORD, {"lease_signed_on": today}),
    ]
    for name, actor, role, facts in steps:
        with django_capture_on_commit_callbacks(execute=True):
            services.transition(candidature, name, actor=actor, role=role, **facts)
            if name == "validate":
                services.forward_best(offer=offer, actor=advisor, candidatures=[candidature])
    to_applicant = [m for m in mailoutbox if m.to == [demande.user.email]]
    assert len(to_applicant) == 2 + len(steps) == CandidatureEvent.objects.count()
    # The landlord hears of the forwarded file and of the applicant's answer.
    to_landlord = [m for m in mailoutbox if m.to == [offer.landlord.contact_email]]
    assert len(mailoutbox) == len(to_applicant) + len(to_landlord)
    assert [m.subject for m in to_landlord] == [
        f"AL'in : 1 dossier(s) transmis pour « {offer.title} »",
        f"AL'in : demande n° {demande.number} — Le demandeur a accepté le logement : bail "
        "à signer.",
    ]
    assert f"/bailleur/candidatures/{candidature.pk}/" in to_landlord[1].body
    last = to_applicant[-1]
    assert "Bail signé : bienvenue chez vous !" in last.body
    html, mime = last.alternatives[0]
    assert mime == "text/html" and "Bail signé : bienvenue chez vous !" in html

    client.force_login(demande.user)
    page = text(client.get("/candidatures/"))
    assert "Historique de mes candidatures" in page
    for words in [
        "Vous avez postulé sur ce logement.",
        "Action Logement a validé votre candidature.",
        "Votre dossier a été transmis au bailleur.",
        "Le bailleur a programmé une visite du logement.",
        "La commission d'attribution (CALEOL) vous a attribué le logement.",
        "Bail signé : bienvenue chez vous !",
    ]:
        assert words in page


def _ranking_key(c):
    """The documented rule, written again by hand to check the SQL one."""
    return (
        not c.legal_priority,
        not c.company_priority,
        not c.company_designation,
        c.first_filed_on,
        c.applied_at,
        c.pk,
    )


flags = st.booleans()
profiles = st.lists(
    st.tuples(flags, flags, flags, st.sampled_from([datetime.date(2022, 1, 1), None])),
    min_size=1,
    max_size=6,
)


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(profiles=profiles)
def test_the_sql_ranking_follows_the_documented_rule_at_every_tie(profiles):
    offer = OfferFactory()
    applied = timezone.now()
    for legal, company, designation, filed in profiles:
        # Same application time for some: the id breaks the last tie.
        CandidatureFactory(
            offer=offer,
            demande=DemandeFactory(
                legal_priority=legal,
                company_priority=company,
                company_designation=designation,
                first_filed_on=filed or datetime.date(2023, 6, 1),
            ),
        )
    Candidature.objects.filter(offer=offer).update(applied_at=applied)
    rows = list(Candidature.objects.filter(offer=offer))
    expected = [c.pk for c in sorted(rows, key=_ranking_key)]
    ranked = Candidature.objects.filter(offer=offer).ranked().order_by("position")
    assert [c.pk for c in ranked] == expected
    assert [c.position for c in ranked] == list(range(1, len(rows) + 1))


def test_an_ended_candidature_does_not_push_active_ones_down():
    offer = OfferFactory()
    better = CandidatureFactory(offer=offer, demande=DemandeFactory(legal_priority=True))
    active = CandidatureFactory(offer=offer)
    services.transition(better, "cancel", actor=better.applicant, role=Role.APPLICANT)
    positions = dict(
        Candidature.objects.active().filter(offer=offer).ranked().values_list("pk", "position")
    )
    assert positions == {active.pk: 1}
    admin_positions = dict(
        Candidature.objects.filter(offer=offer).ranked().values_list("pk", "position")
    )
    assert admin_positions[active.pk] == 1


def test_the_advisor_sees_an_offers_candidatures_in_rank_order_with_the_key_facts(client, advisor):
    offer = OfferFactory(title="T3 Belleville")
    late = CandidatureFactory(offer=offer, demande=DemandeFactory(household_size=3))
    legal = CandidatureFactory(offer=offer, demande=DemandeFactory(legal_priority=True))
    cancelled = CandidatureFactory(offer=offer, status=Status.CANCELLED)
    CandidatureFactory()  # another offer
    staff_login(client, advisor)
    page = client.get(f"/admin/candidatures/candidature/?offer__id__exact={offer.pk}")
    table = page.content.decode().split("<tbody>")[1]
    shown = sorted((table.index(c.number), c.number) for c in (late, legal, cancelled))
    assert [number for _, number in shown] == [legal.number, late.number, cancelled.number]
    body = text(page)
    assert "3 pers." in body and "2000 €" in body and "T3 Belleville" in body


def test_invalidating_in_the_admin_needs_a_reason(client, advisor):
    candidature = CandidatureFactory()
    staff_login(client, advisor)
    page = text(
        client.post(
            "/admin/candidatures/candidature/",
            {"action": "invalidate", "_selected_action": [candidature.pk], "apply": "1"},
        )
    )
    assert "Choisissez le motif de l'invalidation." in page
    candidature.refresh_from_db()
    assert candidature.status == Status.SUBMITTED
    assert not CandidatureEvent.objects.exists()


def test_mes_candidatures_costs_the_same_with_a_long_history(
    client, demande, place, django_assert_num_queries
):
    offer = OfferFactory(commune=place)
    services.apply(user=demande.user, offer=offer, demande=demande)
    client.force_login(demande.user)
    with django_assert_num_queries(6):
        client.get("/candidatures/")
    for _ in range(5):
        past = CandidatureFactory(
            demande=demande, applicant=demande.user, status=Status.CANCELLED, offer=OfferFactory()
        )
        CandidatureEvent.objects.create(
            candidature=past, transition="cancel", to_status=Status.CANCELLED, role=Role.APPLICANT
        )
    with django_assert_num_queries(6):
        page = text(client.get("/candidatures/"))
    assert page.count("Vous avez annulé cette candidature.") == 5


def test_the_landlord_list_costs_the_same_for_many_files(client, django_assert_num_queries):
    offer = OfferFactory()
    staff = LandlordMembershipFactory(landlord=offer.landlord).user
    CandidatureFactory(offer=offer, status=Status.FORWARDED)
    client.force_login(staff)
    with django_assert_num_queries(6):
        client.get("/bailleur/candidatures/")
    for status in (Status.VISIT, Status.ATTRIBUTED, Status.CANCELLED):
        CandidatureFactory(offer=OfferFactory(landlord=offer.landlord), status=status)
    CandidatureFactory(offer=offer, status=Status.VALIDATED)  # not forwarded: not shown
    with django_assert_num_queries(6):
        page = text(client.get("/bailleur/candidatures/"))
    assert page.count("Voir le dossier") == 3  # the cancelled one was never forwarded


def test_the_applicant_reads_which_criterion_put_others_before_them(client, demande, place):
    offer = OfferFactory(commune=place)
    older = datetime.date(2020, 1, 1)
    CandidatureFactory(offer=offer, demande=DemandeFactory(legal_priority=True))
    CandidatureFactory(offer=offer, demande=DemandeFactory(first_filed_on=older))
    CandidatureFactory(offer=offer, demande=DemandeFactory(first_filed_on=older))
    # Same facts as the applicant, but applied before them.
    CandidatureFactory(offer=offer, demande=DemandeFactory(first_filed_on=demande.first_filed_on))
    CandidatureFactory(offer=offer, demande=DemandeFactory(company_priority=False))  # after
    services.apply(user=demande.user, offer=offer, demande=demande)
    client.force_login(demande.user)
    page = text(client.get("/candidatures/"))
    assert "Votre rang : 5e sur 6" in page
    assert (
        "Classées avant vous : public prioritaire reconnu par la loi (1), demande de logement "
        "plus ancienne (2), candidature déposée plus tôt (1)"
    ) in page


def test_a_proposal_left_unanswered_goes_to_the_next_ranked_candidate(client, settings):
    settings.CANDIDATURES_ANSWER_DAYS = 10
    offer = OfferFactory()
    staff = LandlordMembershipFactory(landlord=offer.landlord).user
    first, second = (CandidatureFactory(offer=offer, status=Status.VISIT) for _ in range(2))
    committee = datetime.date(2026, 11, 2)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 15, 0, tzinfo=PARIS)):
        for candidature, rank in ((first, 1), (second, 2)):
            services.transition(
                candidature,
                "attribute",
                actor=staff,
                role=Role.LANDLORD,
                committee_on=committee,
                committee_rank=rank,
            )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.answer_by, second.answer_by) == (datetime.date(2026, 11, 12), None)
    client.force_login(first.applicant)
    with time_machine.travel(datetime.datetime(2026, 11, 3, 9, 0, tzinfo=PARIS)):
        page = text(client.get("/candidatures/"))
    assert "répondez avant le 12/11/2026 inclus" in page

    with time_machine.travel(datetime.datetime(2026, 11, 12, 23, 0, tzinfo=PARIS)):
        assert services.expire_unanswered() == 0  # the last day is still theirs
    with time_machine.travel(datetime.datetime(2026, 11, 13, 1, 0, tzinfo=PARIS)):
        assert services.expire_unanswered() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.UNANSWERED
    assert second.answer_by == datetime.date(2026, 11, 23)
    assert Notification.objects.filter(
        user=second.applicant, message__contains="avant le 23/11/2026"
    ).exists()
    page = text(client.get("/candidatures/"))
    assert "la proposition de logement est considérée comme refusée" in page
    client.force_login(second.applicant)
    assert "J'accepte ce logement" in text(client.get("/candidatures/"))
