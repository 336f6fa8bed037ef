"""The pipeline: every (state, transition) pair, with the right actor, recorded once."""

import datetime

import pytest
from django.utils import timezone

from candidatures import services
from candidatures.models import CandidatureEvent, Notification
from candidatures.workflow import MISSING, TRANSITIONS, Role, Status
from offres.models import Offer
from tests.accounts.factories import AdvisorFactory, staff_login
from tests.candidatures.factories import CandidatureFactory

pytestmark = pytest.mark.django_db

PAIRS = [(state, name) for state in Status.values for name in TRANSITIONS]
# A value for each fact a step records (visit date, committee date and rank, lease).
# Dates in the past: a committee or a lease is recorded once it happened.
TODAY = timezone.localdate()
FACTS = {
    "visit_at": timezone.now() - datetime.timedelta(days=12),
    "committee_on": TODAY - datetime.timedelta(days=10),
    "committee_rank": 1,
    "lease_signed_on": TODAY - datetime.timedelta(days=7),
}


@pytest.mark.parametrize(("state", "name"), PAIRS)
def test_each_transition_from_each_state(
    state, name, mailoutbox, django_capture_on_commit_callbacks
):
    spec = TRANSITIONS[name]
    candidature = CandidatureFactory(status=state)
    actor = AdvisorFactory()
    if state not in spec.sources:
        with pytest.raises(services.CandidatureError, match="n'est pas possible"):
            services.transition(candidature, name, actor=actor, role=spec.role, reason="Motif")
        candidature.refresh_from_db()
        assert candidature.status == state
        assert not CandidatureEvent.objects.exists()
        return
    wrong_role = next(r for r in Role.values if r != spec.role)
    with pytest.raises(services.CandidatureError, match="pour votre rôle"):
        services.transition(candidature, name, actor=actor, role=wrong_role, reason="Motif")
    facts = {field: FACTS[field] for field in spec.records}
    if spec.needs_reason:
        with pytest.raises(services.CandidatureError, match="Indiquez le motif"):
            services.transition(candidature, name, actor=actor, role=spec.role, **facts)
    for missing in spec.records:
        with pytest.raises(services.CandidatureError, match=MISSING[missing]):
            without = {f: v for f, v in facts.items() if f != missing}
            services.transition(
                candidature, name, actor=actor, role=spec.role, reason="Motif", **without
            )
    with pytest.raises(TypeError):  # nothing but the step's own facts, never the status
        services.transition(
            candidature, name, actor=actor, role=spec.role, reason="Motif", status="entree"
        )
    assert not CandidatureEvent.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(candidature, name, actor=actor, role=spec.role, reason="Motif", **facts)
    candidature.refresh_from_db()
    assert candidature.status == spec.target
    event = CandidatureEvent.objects.get(candidature=candidature)
    assert (event.from_status, event.to_status, event.actor, event.role) == (
        state,
        spec.target,
        actor,
        spec.role,
    )
    assert Notification.objects.filter(user=candidature.applicant).count() == 1
    # One email to the applicant; the landlord also hears of the applicant's own moves
    # on a file forwarded to them.
    landlord_told = spec.role == Role.APPLICANT and candidature.forwarded_at is not None
    assert [m.to for m in mailoutbox] == [[candidature.applicant.email]] + (
        [[candidature.offer.landlord.contact_email]] if landlord_told else []
    )


def test_accepting_allocates_the_offer_and_ends_the_others(mailoutbox):
    winner = CandidatureFactory(status=Status.ATTRIBUTED)
    other = CandidatureFactory(status=Status.FORWARDED, offer=winner.offer)
    services.transition(winner, "accept", actor=winner.applicant, role=Role.APPLICANT)
    winner.offer.refresh_from_db()
    other.refresh_from_db()
    assert winner.offer.status == Offer.Status.ALLOCATED
    assert other.status == Status.NOT_SELECTED
    assert "attribué à un autre candidat" in other.decision_reason


def test_stale_candidatures_end_when_the_offer_closes():
    candidature = CandidatureFactory(status=Status.VALIDATED)
    Offer.objects.filter(pk=candidature.offer_id).update(status=Offer.Status.CLOSED)
    assert services.end_stale() == 1
    candidature.refresh_from_db()
    assert candidature.status == Status.NOT_SELECTED


def test_advisors_see_the_audit_history_of_a_candidature(client):
    candidature = CandidatureFactory(status=Status.SUBMITTED)
    advisor = AdvisorFactory()
    services.transition(candidature, "validate", actor=advisor, role=Role.ADVISOR)
    staff_login(client, advisor)
    page = client.get(f"/admin/candidatures/candidature/{candidature.pk}/history/")
    assert page.status_code == 200
    assert [h.status for h in candidature.history.order_by("history_date")] == [
        Status.SUBMITTED,
        Status.VALIDATED,
    ]
    assert candidature.history.latest().history_user == advisor  # who made the change
    assert advisor.get_full_name() in page.content.decode()


def test_advisor_actions_in_the_admin_are_logged_twice(client):
    from django.contrib.admin.models import LogEntry

    candidature = CandidatureFactory(status=Status.SUBMITTED)
    advisor = AdvisorFactory()
    staff_login(client, advisor)
    client.post(
        "/admin/candidatures/candidature/",
        {"action": "validate", "_selected_action": [candidature.pk]},
    )
    candidature.refresh_from_db()
    assert candidature.status == Status.VALIDATED
    assert CandidatureEvent.objects.get(candidature=candidature).actor == advisor
    assert LogEntry.objects.get(object_id=str(candidature.pk)).user == advisor

    page = client.post(
        "/admin/candidatures/candidature/",
        {"action": "invalidate", "_selected_action": [candidature.pk]},
    )
    assert "Motif de l" in page.content.decode()  # asks for the reason first
    client.post(
        "/admin/candidatures/candidature/",
        {
            "action": "invalidate",
            "_selected_action": [candidature.pk],
            "apply": "1",
            "code": "pieces",
            "details": "Avis d'imposition illisible",
        },
    )
    candidature.refresh_from_db()
    assert (candidature.status, candidature.decision_reason) == (
        Status.INVALIDATED,
        "Pièces justificatives manquantes ou non conformes : Avis d'imposition illisible",
    )


def test_the_table_declares_how_each_transition_happens_and_names_only_known_steps(monkeypatch):
    """The side effects live in the declaration: ``services.transition`` never tests a
    transition's name, and a declared step without implementation fails at load."""
    import dataclasses
    import inspect

    from django.core.exceptions import ImproperlyConfigured

    source = inspect.getsource(services.transition)
    assert "name ==" not in source and "name in" not in source
    assert TRANSITIONS["accept"].effects == ("tell_landlord", "allocate")
    broken = dataclasses.replace(TRANSITIONS["accept"], effects=("send_flowers",))
    monkeypatch.setitem(TRANSITIONS, "accept", broken)
    with pytest.raises(ImproperlyConfigured, match="send_flowers"):
        services._check_declarations()
