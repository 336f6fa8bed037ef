"""Redis refused or hung: every page and form answers within 2 s, nothing written is lost,
rate limits keep counting, /healthz says "degraded" (not "down").

A private Redis server serves as cache and broker; it is stopped (connections refused)
or frozen with SIGSTOP (connections accepted, nothing answers) while the applicant's
journeys run through the whole Django stack on PostgreSQL.
"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from core import redis_guard
from core.models import ContactMessage, OutgoingEmail
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.test_signup_journey import SIGNUP
from tests.services import free_port

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
BUDGET = 2.0  # seconds: every answer during the outage


@pytest.fixture
def redis_everywhere(redis_server, settings):
    """The private Redis is the cache and the broker, as in production."""
    from alin.celery import app

    settings.REDIS_URL = settings.CELERY_BROKER_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "outage",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    previous = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_server.url
    app.conf.broker_transport_options = {"socket_connect_timeout": 2, "socket_timeout": 5}
    app._pool = app.amqp._producer_pool = None
    redis_guard.reset()
    yield redis_server
    redis_guard.reset()
    app.conf.broker_url = previous
    app._pool = app.amqp._producer_pool = None


def timed(call, *args, **kwargs):
    start = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - start


PAGES = ["/", "/offres/", "/contact/", "/compte/login/", "/compte/signup/"]
PAGES += ["/compte/password/reset/", "/besoin-d-aide/"]


@pytest.mark.parametrize("fault", ["refused", "hung"])
def test_pages_and_forms_answer_quickly_and_keep_their_writes(
    postgres, client, redis_everywhere, fault
):
    applicant = UserFactory(email="jean@example.org")
    if fault == "refused":
        redis_everywhere.stop()
    else:
        redis_everywhere.freeze()

    answers = {}
    for page in PAGES:
        answers[page] = timed(client.get, page)
    answers["sign-up"] = timed(client.post, "/compte/signup/", SIGNUP)
    answers["reset"] = timed(client.post, "/compte/password/reset/", {"email": applicant.email})
    contact = {"name": "Jean Dupont", "email": "jean@example.org", "subject": "demande"}
    contact["message"] = "Ma demande est-elle à jour ?"
    answers["contact"] = timed(client.post, "/contact/", contact)
    answers["sign-in"] = timed(
        client.post, "/compte/login/", {"login": applicant.email, "password": PASSWORD}
    )
    answers["healthz"] = timed(client.get, "/healthz")

    slow = {name: round(took, 2) for name, (_, took) in answers.items() if took >= BUDGET}
    errors = {name: r.status_code for name, (r, _) in answers.items() if r.status_code >= 500}
    assert not slow and not errors, (slow, errors)
    assert answers["sign-up"][0].status_code == 302
    assert answers["sign-in"][0].status_code == 302  # signed in: sessions live in PostgreSQL
    assert client.session["_auth_user_id"] == str(applicant.pk)
    # Writes kept: the account, the message and the three emails wait in the outbox.
    assert get_user_model().objects.filter(email="dupontjean@yopmail.com").exists()
    assert ContactMessage.objects.count() == 1
    assert set(OutgoingEmail.objects.values_list("to", flat=True)) == {
        "dupontjean@yopmail.com",
        "jean@example.org",
        "support@alin.example",
    }
    assert not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.PENDING).exists()
    health = answers["healthz"][0]
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["checks"]["broker"].startswith("error")
    assert health.json()["checks"]["database"] == "ok"


@pytest.mark.parametrize("fault", ["refused", "hung"])
def test_rate_limits_still_count_while_redis_is_down(postgres, client, redis_everywhere, fault):
    if fault == "refused":
        redis_everywhere.stop()
    else:
        redis_everywhere.freeze()
    statuses = []
    for i in range(11):
        response, took = timed(client.post, "/compte/signup/", {"email": f"x{i}@example.org"})
        assert took < BUDGET
        statuses.append(response.status_code)
    assert 500 not in statuses
    assert statuses[-1] == 429  # never unlimited: the limit holds on the local count
    assert "Veuillez réessayer dans" in client.post("/compte/signup/", {}).content.decode()


def test_healthz_is_down_only_when_the_database_is_unreachable(postgres, client, settings):
    settings.REDIS_URL = ""
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = free_port()  # nothing listens there
    try:
        response, took = timed(client.get, "/healthz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"].startswith("error")
