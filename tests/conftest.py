"""Shared test set-up: strict templates, eager Celery by default, a clean cache,
and fixtures for the real services (PostgreSQL, Redis, an SMTP sink, a Celery worker)."""

import os
import socket

import pytest
from django.conf import settings


class InvalidTemplateVariable(str):
    """Makes an unknown template variable fail the test instead of rendering empty."""

    def __mod__(self, other):
        raise AssertionError(f"Variable de gabarit inconnue : {other!r}")

    def __bool__(self):  # `{{ x|default:"…" }}` and `{% if %}` keep working
        return False


def pytest_configure(config):
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = InvalidTemplateVariable("%s")


@pytest.fixture(autouse=True)
def _eager_tasks_and_clean_cache(settings):
    from django.core.cache import cache

    from alin.celery import app

    # A fast hasher: the real one (PBKDF2) is exercised by the password tests' logic,
    # not by its cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _is_postgres():
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture
def postgres():
    """Skip unless the tests run on PostgreSQL."""
    if not _is_postgres():
        pytest.skip("PostgreSQL absent : DATABASE_URL ne pointe pas vers PostgreSQL")


@pytest.fixture
def redis_url():
    """The Redis server of REDIS_URL; skip when none is configured or reachable."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("Redis absent : REDIS_URL n'est pas défini")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis injoignable ({exc})")
    return url


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on localhost; Django sends to it through smtp://."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Collector(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    handler = Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield handler.messages
    controller.stop()


@pytest.fixture
def ceilings(db):
    """The 2026 resource ceilings of the versioned data file."""
    from django.core.management import call_command

    call_command("load_plafonds", verbosity=0)


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's superuser client, signed in as the admin requires (staff pass a
    second factor: accounts/second_factor.py)."""
    from tests.accounts.factories import staff_login

    staff_login(client, admin_user)
    return client
