"""The sign-up email through the real chain: outbox row, Redis, a Celery worker
process, an SMTP server; then the journey goes on from the delivered email.
Runs when DATABASE_URL points to PostgreSQL and REDIS_URL is set."""

import pytest

from core.models import OutgoingEmail
from tests.accounts.test_signup_journey import SIGNUP, finish_the_journey_from
from tests.services import wait_until
from tests.worker_fixtures import broker, redis_server, start_worker  # noqa: F401

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_sends_the_demande_d_acces_email(
    postgres, client, smtp_sink, settings, request
):
    # start_worker comes from tests/worker_fixtures.py (imported above).
    request.getfixturevalue("start_worker")()
    response = client.post("/compte/signup/", SIGNUP)
    assert response.status_code == 302  # answered without waiting for the email
    assert wait_until(lambda: len(smtp_sink) == 1)
    [message] = smtp_sink
    assert message["To"] == "dupontjean@yopmail.com"
    assert wait_until(
        lambda: (
            OutgoingEmail.objects.filter(to="dupontjean@yopmail.com").exclude(sent_at=None).exists()
        )
    )
    assert finish_the_journey_from(message, client, settings)
