"""The API's log of calls and its kept answers to idempotent writes are purged by the
daily retention task after durations set in the environment (API_CALL_RETENTION_DAYS,
API_IDEMPOTENCY_RETENTION_HOURS): nothing the API writes grows without end."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from api.models import ApiCall, IdempotentRequest
from api.tasks import purge_api_records
from offres.models import Offer
from tests.api.test_offers_api import offer_json

pytestmark = pytest.mark.django_db


def age(queryset, field, delta):
    queryset.update(**{field: timezone.now() - delta})


def test_old_calls_leave_the_landlords_log(client, api_a, landlord_a, saint_ouen):
    offer = api_a.post("/api/v1/offres/", offer_json(), format="json").json()
    assert api_a.get(f"/api/v1/offres/{offer['id']}/").status_code == 200
    assert api_a.get("/api/v1/offres/").status_code == 200
    days = settings.API_CALL_RETENTION_DAYS
    age(ApiCall.objects.exclude(path="/api/v1/offres/"), "at", timedelta(days=days, hours=1))
    age(ApiCall.objects.filter(path="/api/v1/offres/"), "at", timedelta(days=days - 1))
    member = landlord_a.members.get(is_admin=True).user
    client.force_login(member)
    assert f"/api/v1/offres/{offer['id']}/" in client.get("/bailleur/api/").content.decode()

    purge_api_records.delay().get()

    assert set(ApiCall.objects.values_list("method", "path")) == {
        ("POST", "/api/v1/offres/"),
        ("GET", "/api/v1/offres/"),
    }
    page = client.get("/bailleur/api/").content.decode()
    assert f"/api/v1/offres/{offer['id']}/" not in page
    assert "GET /api/v1/offres/" in page


def test_kept_answers_are_forgotten_after_the_idempotency_window(api_a, saint_ouen):
    old = {"HTTP_IDEMPOTENCY_KEY": "creation-ancienne"}
    recent = {"HTTP_IDEMPOTENCY_KEY": "creation-recente"}
    assert api_a.post("/api/v1/offres/", offer_json(), format="json", **old).status_code == 201
    body = offer_json(reference="LOG-2")
    first = api_a.post("/api/v1/offres/", body, format="json", **recent)
    hours = settings.API_IDEMPOTENCY_RETENTION_HOURS
    age(
        IdempotentRequest.objects.filter(idempotency_key="creation-ancienne"),
        "created_at",
        timedelta(hours=hours, minutes=1),
    )
    age(
        IdempotentRequest.objects.filter(idempotency_key="creation-recente"),
        "created_at",
        timedelta(hours=hours - 1),
    )

    purge_api_records.delay().get()

    assert list(IdempotentRequest.objects.values_list("idempotency_key", flat=True)) == [
        "creation-recente"
    ]
    # Within the window a retry still gets the first answer and creates nothing.
    again = api_a.post("/api/v1/offres/", body, format="json", **recent)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Offer.objects.count() == 2


def test_the_durations_come_from_the_settings_and_the_task_runs_daily(settings, api_a):
    settings.API_CALL_RETENTION_DAYS = 7
    settings.API_IDEMPOTENCY_RETENTION_HOURS = 2
    api_a.get("/api/v1/offres/")
    api_a.post("/api/v1/offres/", {}, format="json", HTTP_IDEMPOTENCY_KEY="refus-1")
    age(ApiCall.objects.all(), "at", timedelta(days=8))
    age(IdempotentRequest.objects.all(), "created_at", timedelta(hours=3))
    assert purge_api_records.delay().get() == {"calls": 2, "idempotent_requests": 1}
    assert not ApiCall.objects.exists() and not IdempotentRequest.objects.exists()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "api.tasks.purge_api_records" in tasks
