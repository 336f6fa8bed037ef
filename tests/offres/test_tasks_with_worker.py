"""The periodic tasks of offres through the real chain: Redis, a Celery worker process,
PostgreSQL and an SMTP server. Runs when DATABASE_URL points to PostgreSQL and
REDIS_URL is set (the worker gets a private Redis server, as in tests/core)."""

import datetime

import pytest
from django.utils import timezone

from offres.models import AlertDelivery, Offer, SearchAlert
from offres.tasks import close_expired_offers, send_alert_digests
from tests.accounts.factories import UserFactory
from tests.offres.factories import OfferFactory
from tests.services import wait_until
from tests.territoires.factories import CommuneFactory
from tests.worker_fixtures import broker, redis_server, start_worker  # noqa: F401

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_closes_expired_offers_and_mails_an_alert_digest_once(
    postgres, smtp_sink, request
):
    request.getfixturevalue("start_worker")()
    saint_ouen = CommuneFactory()
    expired = OfferFactory(
        commune=saint_ouen, deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    OfferFactory(commune=saint_ouen, title="T2 tout neuf")
    user = UserFactory(email="alerte@yopmail.com")
    SearchAlert.objects.create(user=user, query="lieu=93&typologie=2", label="T2, 93")

    close_expired_offers.delay()
    assert wait_until(lambda: Offer.objects.get(pk=expired.pk).status == Offer.Status.CLOSED)

    send_alert_digests.delay()
    assert wait_until(lambda: len(smtp_sink) == 1)
    [message] = smtp_sink
    assert message["To"] == "alerte@yopmail.com"
    body = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert "T2 tout neuf" in body and "desabonnement" in body

    # The next run has nothing new to say. A closing task queued behind it on the same
    # queue tells when the worker (one task at a time) is past it.
    send_alert_digests.delay()
    sentinel = OfferFactory(commune=saint_ouen, deadline=expired.deadline)
    close_expired_offers.apply_async(queue="alerts")
    assert wait_until(lambda: Offer.objects.get(pk=sentinel.pk).status == Offer.Status.CLOSED)
    assert AlertDelivery.objects.count() == 1
    assert len(smtp_sink) == 1
