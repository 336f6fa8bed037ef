"""Fixtures for the tests that run real services: a private Redis, Celery workers,
an SMTP sink (see tests/services.py). Test modules import the ones they use."""

import shutil

import pytest
from django.db import connection

from tests import services


@pytest.fixture
def redis_server(redis_url):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server absent")
    server = services.RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server, settings):
    """Point this process's Celery app to the private Redis, not in eager mode."""
    from alin.celery import app

    settings.REDIS_URL = redis_server.url
    settings.CELERY_BROKER_URL = redis_server.url
    # The tests restart Redis at will: no pause after a failure in this process.
    settings.REDIS_RETRY_AFTER_SECONDS = 0
    settings.OUTBOX_REDISPATCH_SECONDS = 0
    previous = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_server.url
    app.conf.broker_transport_options = {
        "visibility_timeout": 3,
        "socket_connect_timeout": 1,
        "socket_timeout": 1,
    }
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
def sink(settings):
    """An SMTP sink this process and the workers send to."""
    server = services.SMTPSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def start_worker(broker, settings):
    workers = []

    def start(env=None, log_path=None):
        process = services.start_worker(
            database_url=database_url(),
            redis_url=broker.url,
            email_port=settings.EMAIL_PORT,
            env=env,
            log_path=log_path,
        )
        workers.append(process)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            process.kill()
            process.wait(10)
