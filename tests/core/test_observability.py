"""JSON logs with the request's id (down to the worker's lines) and Prometheus metrics
for the scraper and staff only."""

import json
import logging
import time

import pytest

from core.models import OutgoingEmail
from core.services import submit_contact_message
from tests.accounts.factories import UserFactory
from tests.services import wait_until

pytestmark = pytest.mark.django_db


def json_lines(caplog, logger):
    """The records of a logger, formatted by the portal's configured JSON formatter."""
    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    options = dict(settings.LOGGING["formatters"]["json"])
    options.pop("()")
    formatter = JsonFormatter(**options)
    from core.observability import RequestContextFilter

    context = RequestContextFilter()
    lines = []
    for record in caplog.records:
        if record.name == logger:
            context.filter(record)
            lines.append(json.loads(formatter.format(record)))
    return lines


def test_each_request_writes_one_json_line_with_its_id_user_path_status_and_time(client, caplog):
    user = UserFactory()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="alin.requests"):
        response = client.get("/", HTTP_X_REQUEST_ID="proxy-given-id-42")
    [line] = json_lines(caplog, "alin.requests")
    assert response["X-Request-ID"] == "proxy-given-id-42"
    assert line["request_id"] == "proxy-given-id-42"
    assert line["user_id"] == user.pk
    assert line["path"] == "/"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert line["time"].startswith(time.strftime("%Y-"))
    assert line["duration_ms"] >= 0


def test_a_malformed_request_id_is_replaced(client):
    response = client.get("/ping", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_the_email_of_a_request_with_that_request_id(
    postgres, client, sink, broker, start_worker, tmp_path
):
    log = tmp_path / "worker.log"
    start_worker(log_path=log)
    contact = {"name": "Jean Dupont", "email": "jean@example.org", "subject": "demande"}
    contact["message"] = "Bonjour"
    response = client.post("/contact/", contact, HTTP_X_REQUEST_ID="contact-request-0001")
    assert response.status_code == 302
    assert wait_until(lambda: len(sink.messages) == 1, timeout=120)
    email = OutgoingEmail.objects.get()

    def sent_line():
        for raw in log.read_text().splitlines():
            if raw.startswith("{"):
                line = json.loads(raw)
                if line["message"] == f"Email {email.pk} sent":
                    return line
        return None

    assert wait_until(sent_line, timeout=30)
    line = sent_line()
    assert line["request_id"] == "contact-request-0001"
    assert line["level"] == "INFO" and line["logger"] == "core.outbox"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_metrics_show_the_outbox_and_queues_to_the_scraper_and_staff_only(
    postgres, client, broker, settings
):
    settings.METRICS_TOKEN = "scraper-secret-token"
    submit_contact_message(name="A", email="a@example.org", subject="demande", message="1")
    submit_contact_message(name="B", email="b@example.org", subject="demande", message="2")
    OutgoingEmail.objects.filter(pk=OutgoingEmail.objects.first().pk).update(
        status=OutgoingEmail.Status.FAILED
    )
    import redis

    queue = redis.Redis.from_url(broker.url)
    assert wait_until(lambda: queue.llen("emails") == 2)  # no worker: they wait

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.force_login(UserFactory())
    assert client.get("/metrics").status_code == 404  # an applicant
    client.logout()

    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scraper-secret-token")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'alin_outbox_emails{status="failed"} 1.0' in text
    assert 'alin_outbox_emails{status="pending"} 1.0' in text
    assert 'alin_celery_queue_length{queue="emails"} 2.0' in text
    assert "alin_broker_up 1.0" in text

    broker.stop()
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scraper-secret-token").content
    assert b"alin_broker_up 0.0" in text
