"""Checks behind /healthz: each returns None when healthy, or a short reason."""

from django.conf import settings
from django.db import connection


def check_database():
    """The default database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any failure means unhealthy
        return type(exc).__name__
    return None


def check_broker():
    """The Celery broker (Redis) accepts a connection; skipped when none is configured."""
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
    return None


CHECKS = {"database": check_database, "broker": check_broker}


def run_checks():
    results = {}
    for name, check in CHECKS.items():
        if name == "broker" and not settings.REDIS_URL:
            results[name] = "not configured"
            continue
        error = check()
        results[name] = "ok" if error is None else f"error: {error}"
    healthy = all(not value.startswith("error") for value in results.values())
    return healthy, results
