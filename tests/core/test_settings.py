"""Settings come from the environment, with defaults that make a fresh checkout run."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", ""),
    "email_port": getattr(settings, "EMAIL_PORT", 0),
    "tz": settings.TIME_ZONE,
    "lang": settings.LANGUAGE_CODE,
    "debug": settings.DEBUG,
    "site": settings.SITE_URL,
}))
"""


def read_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "SITE_URL", "SECRET_KEY"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="alin.settings")
    out = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "SITE_URL", "SECRET_KEY"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="alin.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_debug_unset_means_production_which_refuses_to_start_without_a_secret_key():
    out = run_settings()
    assert out.returncode != 0
    assert "ImproperlyConfigured" in out.stderr
    assert "SECRET_KEY n'est pas défini" in out.stderr
    assert "DEBUG=true" in out.stderr  # says how to develop locally


@pytest.mark.parametrize(
    "key, reason",
    [
        ("django-insecure-dev-only-key", "clé publiée"),
        ("change-me-in-production-0123456789-abcdefghijklmnopqrstuvwxyz", "clé publiée"),
        ("django-insecure-" + "a1b2c3" * 10, "clé publiée"),
        ("short-but-random-Zq9!", "trop faible"),
        ("ab" * 40, "trop faible"),
    ],
)
def test_production_refuses_a_published_or_weak_secret_key(key, reason):
    out = run_settings(DEBUG="false", SECRET_KEY=key)
    assert out.returncode != 0
    assert reason in out.stderr


def test_production_starts_with_a_real_secret_key():
    out = run_settings(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1])["debug"] is False


def test_fresh_checkout_defaults_need_no_service():
    values = read_settings(DEBUG="true")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["cache"].endswith("LocMemCache")
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["tz"] == "Europe/Paris"
    assert values["lang"] == "fr-fr"
    assert values["debug"] is True


def test_production_values_are_read_from_the_environment():
    values = read_settings(
        DATABASE_URL="postgres://u@db.example:5432/alin",
        REDIS_URL="redis://cache.example:6379/0",
        EMAIL_URL="smtp://127.0.0.1:1025",
        DEBUG="false",
        SITE_URL="https://alin.example.org/",
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.example:6379/0"
    assert values["cache"].endswith("RedisCache")
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["email_host"], values["email_port"]) == ("127.0.0.1", 1025)
    assert values["debug"] is False
    assert values["site"] == "https://alin.example.org"


def test_check_deploy_is_clean_with_production_values():
    # The browser tests allow async-unsafe calls in their own process only.
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DEBUG="false", SECRET_KEY="k" * 30 + "Zq9!" * 10, ALLOWED_HOSTS="example.org")
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr + out.stdout
    assert "WARNINGS" not in out.stderr + out.stdout
