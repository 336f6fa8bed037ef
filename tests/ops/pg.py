"""Scratch PostgreSQL databases for the operations tests (bootstrap, backup/restore),
on the server of DATABASE_URL, named after it so that parallel runs never collide."""

import contextlib
import os
import secrets
import urllib.parse

import psycopg
import pytest
from django.conf import settings


def server_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("PostgreSQL absent : DATABASE_URL ne pointe pas vers PostgreSQL")
    return url


def with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def admin_connection(url):
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


@contextlib.contextmanager
def scratch_database(label):
    url = server_url()
    base = settings.DATABASES["default"]["NAME"].removeprefix("test_")
    name = f"{base}_{label}_{secrets.token_hex(3)}"
    with admin_connection(url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(url, name)
    finally:
        drop_database(url, name)


def drop_database(url, name):
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(**extra):
    """The environment of a production process (DEBUG off, a real key)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="alin.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update(extra)
    return env
