"""Checks behind /healthz: each returns None when healthy, or a short reason.

Two kinds of checks: those the web process cannot serve without (the database) make
the portal "down" (HTTP 503: a load balancer takes the process out); the others (the
broker and cache, Redis) make it "degraded" (HTTP 200: pages and forms still answer,
emails wait in the outbox, rate limits count locally), so that a Redis outage does not
pull every healthy web process at once.
"""

from django.conf import settings
from django.db import connection

# Each Redis check waits at most this long, so that /healthz answers within 2 s.
REDIS_TIMEOUT = 0.5


def check_database():
    """The default database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any failure means unhealthy
        return type(exc).__name__
    return None


def _ping(url):
    import redis

    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
    return None


def check_static_files():
    """Production serves the hashed names of collectstatic's manifest: without it every
    page answers 500, so the health check fails too (h20b, issue 20). Development
    (plain storage, files found in place) has nothing to check."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return None
    try:
        name = staticfiles_storage.stored_name(STATIC_SENTINEL)
    except ValueError:
        return "collectstatic not run (no manifest entry)"
    if not staticfiles_storage.exists(name):
        return "collectstatic not run (file missing)"
    return None


# A file every page links (templates/base.html).
STATIC_SENTINEL = "css/alin.css"


def check_broker():
    """The Celery broker (Redis) answers a PING."""
    return _ping(settings.CELERY_BROKER_URL)


def check_cache():
    """The cache's Redis answers a PING (a different server than the broker's, if so)."""
    location = settings.CACHES["default"].get("LOCATION", "")
    if not str(location).startswith("redis") or location == settings.CELERY_BROKER_URL:
        return None  # not Redis, or the broker's server: checked once
    return _ping(location)


# name → (check, critical, needs Redis)
CHECKS = {
    "database": (check_database, True, False),
    "broker": (check_broker, False, True),
    "cache": (check_cache, False, True),
    # Critical: without collectstatic every page answers 500 (h20b).
    "static": (check_static_files, True, False),
}


def run_checks():
    """Return ("ok" | "degraded" | "down", {check: "ok" | "error: …" | "not configured"})."""
    results, status = {}, "ok"
    for name, (check, critical, needs_redis) in CHECKS.items():
        if needs_redis and not settings.REDIS_URL:
            results[name] = "not configured"
            continue
        error = check()
        results[name] = "ok" if error is None else f"error: {error}"
        if error is not None:
            status = "down" if critical else ("degraded" if status == "ok" else status)
    return status, results
