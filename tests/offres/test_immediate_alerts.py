"""Immediate alerts: a published offer reaches the saved searches it matches within
minutes — only those whose owner may apply — at most one email an hour, never twice."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.http import QueryDict
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offres import alerts, services
from offres.models import AlertDelivery, Offer, SearchAlert
from offres.tasks import send_immediate_alerts
from tests.accounts.factories import UserFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saint_ouen():
    return CommuneFactory()


@pytest.fixture
def applicant(ceilings, saint_ouen):
    """A single person earning 1 800 € a month who wishes Saint-Ouen (T1/T2, rent ≤ 600 €)."""
    return DemandeFactory(
        communes=[saint_ouen],
        monthly_resources=Decimal("1800"),
        information_confirmed_at=timezone.now(),
    )


def draft(commune, **kwargs):
    return OfferFactory(commune=commune, status=Offer.Status.DRAFT, published_at=None, **kwargs)


def publish(offer, capture):
    with capture(execute=True):
        services.publish(offer=offer)


def test_a_matching_publication_is_emailed_at_once(
    client, applicant, saint_ouen, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant.user)
    client.post("/offres/alertes/creer/", {"query": "lieu=93&typologie=2"})
    alert = SearchAlert.objects.get()
    assert alert.frequency == SearchAlert.Frequency.IMMEDIATE

    offer = draft(saint_ouen, title="T2 tout neuf")
    publish(offer, django_capture_on_commit_callbacks)

    [mail] = mailoutbox
    assert mail.to == [applicant.user.email]
    assert "T2 tout neuf" in mail.body and f"/offres/{offer.pk}/" in mail.body
    assert AlertDelivery.objects.get().sent_at is not None


def test_an_offer_the_applicant_cannot_apply_to_is_not_sent(
    applicant, saint_ouen, mailoutbox, django_capture_on_commit_callbacks
):
    services.create_alert(user=applicant.user, query_string="lieu=93")
    # The search matches, the request does not: too dear (3 x 601 > 1 800) or too big.
    publish(draft(saint_ouen, rent=Decimal("551")), django_capture_on_commit_callbacks)
    publish(
        draft(saint_ouen, typology=4, surface=Decimal("80")), django_capture_on_commit_callbacks
    )
    elsewhere = CommuneFactory(
        insee_code="33063",
        name="Bordeaux",
        postal_code="33000",
        department=DepartmentFactory(code="33", name="Gironde"),
    )
    publish(draft(elsewhere), django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert AlertDelivery.objects.count() == 0


def test_at_most_one_email_an_hour_and_never_the_same_offer_twice(
    applicant, saint_ouen, mailoutbox, django_capture_on_commit_callbacks
):
    services.create_alert(user=applicant.user, query_string="lieu=93")
    start = timezone.now()
    publish(draft(saint_ouen, title="Premier T2"), django_capture_on_commit_callbacks)
    with time_machine.travel(start + datetime.timedelta(minutes=20)):
        publish(draft(saint_ouen, title="Deuxième T2"), django_capture_on_commit_callbacks)
        publish(draft(saint_ouen, title="Troisième T2"), django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            send_immediate_alerts.delay()
    assert len(mailoutbox) == 1  # the two later offers wait for the hour

    with (
        time_machine.travel(start + datetime.timedelta(minutes=61)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_immediate_alerts.delay()
        send_immediate_alerts.delay()
    assert len(mailoutbox) == 2
    second = mailoutbox[1].body
    assert "Deuxième T2" in second and "Troisième T2" in second and "Premier T2" not in second

    # The daily digest finds nothing new either.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_alert_digests(start + datetime.timedelta(days=1)) == 0
    assert len(mailoutbox) == 2


def test_a_lost_matching_is_retried_by_the_periodic_task(
    applicant, saint_ouen, mailoutbox, django_capture_on_commit_callbacks
):
    services.create_alert(user=applicant.user, query_string="lieu=93")
    offer = draft(saint_ouen)
    services.publish(offer=offer)  # the after-commit task is never run: lost message
    assert mailoutbox == [] and Offer.objects.get(pk=offer.pk).alerts_matched_at is None

    with django_capture_on_commit_callbacks(execute=True):
        send_immediate_alerts.delay()
    assert len(mailoutbox) == 1
    assert Offer.objects.get(pk=offer.pk).alerts_matched_at is not None


def test_a_daily_alert_waits_for_the_digest(
    client, applicant, saint_ouen, mailoutbox, django_capture_on_commit_callbacks
):
    alert = services.create_alert(user=applicant.user, query_string="lieu=93")
    client.force_login(applicant.user)
    response = client.post(
        f"/offres/alertes/{alert.pk}/frequence/", {"frequency": "quotidienne"}, follow=True
    )
    assert "une fois par jour" in unescape(response.content.decode())
    publish(draft(saint_ouen, title="T2 du jour"), django_capture_on_commit_callbacks)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_alert_digests(timezone.now()) == 1
    assert "T2 du jour" in mailoutbox[0].body

    bad = client.post(f"/offres/alertes/{alert.pk}/frequence/", {"frequency": "toutes"})
    assert bad.status_code == 302
    assert SearchAlert.objects.get().frequency == SearchAlert.Frequency.DAILY


def test_nobody_changes_the_frequency_of_someone_elses_alert(client, applicant):
    alert = services.create_alert(user=applicant.user, query_string="lieu=93")
    client.force_login(UserFactory())
    response = client.post(f"/offres/alertes/{alert.pk}/frequence/", {"frequency": "quotidienne"})
    assert response.status_code == 404
    assert SearchAlert.objects.get().frequency == SearchAlert.Frequency.IMMEDIATE


# The one query against the search and the request, checked by brute force ------------

QUERIES = st.builds(
    lambda typologies, kinds, rent_min, rent_max, pmr, now, place: "&".join(
        [f"typologie={t}" for t in typologies]
        + [f"type={k}" for k in kinds]
        + ([f"loyer_min={rent_min}"] if rent_min is not None else [])
        + ([f"loyer_max={rent_max}"] if rent_max is not None else [])
        + (["pmr=on"] if pmr else [])
        + (["disponible=on"] if now else [])
        + ([f"lieu={place}"] if place else [])
    ),
    st.sets(st.integers(1, 6), max_size=3),
    st.sets(st.sampled_from(Offer.Kind.values), max_size=2),
    st.one_of(st.none(), st.integers(0, 900)),
    st.one_of(st.none(), st.integers(300, 1500)),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", "93", "Seine-Saint-Denis", "93400", "93001", "saint", "aub", "33"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    queries=st.lists(QUERIES, min_size=1, max_size=5),
    with_request=st.lists(st.booleans(), min_size=5, max_size=5),
    typology=st.integers(1, 6),
    kind=st.sampled_from(Offer.Kind.values),
    rent=st.integers(150, 1200),
    reduced_mobility=st.booleans(),
    available_in=st.integers(-5, 20),
    place=st.sampled_from(["saint-ouen", "aubervilliers", "bordeaux"]),
)
def test_the_alerts_found_for_an_offer_are_those_whose_search_lists_it(
    ceilings, queries, with_request, typology, kind, rent, reduced_mobility, available_in, place
):
    seine_saint_denis = DepartmentFactory(code="93", name="Seine-Saint-Denis")
    communes = {
        "saint-ouen": CommuneFactory(department=seine_saint_denis),
        "aubervilliers": CommuneFactory(
            insee_code="93001",
            name="Aubervilliers",
            postal_code="93300",
            department=seine_saint_denis,
        ),
        "bordeaux": CommuneFactory(
            insee_code="33063",
            name="Bordeaux",
            postal_code="33000",
            department=DepartmentFactory(code="33", name="Gironde"),
        ),
    }
    saved = []
    for query, has_request in zip(queries, with_request, strict=False):
        user = (
            DemandeFactory(
                communes=[communes["saint-ouen"], communes["bordeaux"]],
                monthly_resources=Decimal("2400"),
            ).user
            if has_request
            else UserFactory()
        )
        saved.append(services.create_alert(user=user, query_string=query))
    offer = OfferFactory(
        commune=communes[place],
        typology=typology,
        surface=Decimal(20 + 12 * typology),
        kind=kind,
        rent=Decimal(rent),
        charges=Decimal("0"),
        reduced_mobility=reduced_mobility,
        available_from=timezone.localdate() + datetime.timedelta(days=available_in),
    )
    found = set(alerts.alerts_matching(offer).values_list("pk", flat=True))
    brute = {
        alert.pk for alert in saved if services.matching_offers(alert).filter(pk=offer.pk).exists()
    }
    assert found == brute, [QueryDict(a.query) for a in saved]
    for alert in saved:
        alert.user.delete()
    offer.delete()
