"""Nothing lost: emails live in the outbox until a real Celery worker has sent them.

These tests run a real Redis server (a private one, on its own port, so that it can be
stopped), a real Celery worker process and a real SMTP server, against PostgreSQL.
"""

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from core.models import OutgoingEmail
from core.services import submit_contact_message
from core.tasks import resend_pending_emails
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        for _ in range(50):
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(5)
            self.process = None


@pytest.fixture
def redis_server(redis_url):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server absent")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server, settings):
    """Point this process's Celery app to the private Redis, not in eager mode."""
    from alin.celery import app

    settings.REDIS_URL = redis_server.url
    previous = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_server.url
    app.conf.broker_transport_options = {"visibility_timeout": 3, "socket_connect_timeout": 1}
    app._pool = None
    app.amqp._producer_pool = None
    yield redis_server
    app.conf.broker_url = previous
    app._pool = None
    app.amqp._producer_pool = None


def database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def start_worker(broker, settings):
    workers = []

    def start():
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker.url,
            "EMAIL_URL": f"smtp://{settings.EMAIL_HOST}:{settings.EMAIL_PORT}",
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "CONN_MAX_AGE": "0",
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "alin",
                "worker",
                "--pool",
                "solo",
                "-Q",
                "emails,alerts,housekeeping,celery",
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        workers.append(process)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def wait_until(predicate, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def ask_support(n):
    return submit_contact_message(
        name=f"Demandeur {n}",
        email=f"d{n}@example.org",
        subject="demande",
        message=f"Question numéro {n}",
    )


def test_emails_written_while_the_broker_is_down_are_sent_once_it_is_back(
    postgres, smtp_sink, broker, start_worker
):
    broker.stop()
    for n in range(5):
        ask_support(n)  # the applicant's action succeeds although Redis is down
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).count() == 5
    assert smtp_sink == []

    broker.start()
    start_worker()
    resend_pending_emails.apply(kwargs={"older_than_minutes": 0})
    assert wait_until(lambda: not OutgoingEmail.objects.exclude(status="sent").exists())
    resend_pending_emails.apply(kwargs={"older_than_minutes": 0})  # nothing left to send
    time.sleep(1)
    bodies = sorted(m.get_payload(decode=True).decode() for m in smtp_sink)
    assert len(bodies) == 5
    assert all(f"Question numéro {n}" in bodies[n] for n in range(5))


def test_a_worker_killed_while_sending_neither_loses_nor_duplicates_the_email(
    postgres, settings, broker, start_worker
):
    from aiosmtpd.controller import Controller

    received, rcpt_seen = [], threading.Event()

    class SlowFirstRecipient:
        """Holds the first delivery at RCPT so that the worker can be killed mid-send."""

        calls = 0

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            SlowFirstRecipient.calls += 1
            if SlowFirstRecipient.calls == 1:
                rcpt_seen.set()
                await asyncio.sleep(30)
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.content)
            return "250 Message accepted for delivery"

    port = free_port()
    controller = Controller(SlowFirstRecipient(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        first = start_worker()
        ask_support(1)
        assert rcpt_seen.wait(30), "the worker never started sending"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING

        start_worker()
        resend_pending_emails.apply(kwargs={"older_than_minutes": 0})
        assert wait_until(lambda: OutgoingEmail.objects.get().status == "sent")
        time.sleep(5)  # let the unacknowledged original come back: it must be skipped
        assert len(received) == 1
        assert b"Question num" in received[0]
    finally:
        controller.stop()
