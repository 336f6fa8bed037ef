"""Container health checks: `python docker/healthcheck.py web|worker|beat`.

web: /healthz answers 200 (the database answers, static files collected).
worker: this container's Celery worker answers a ping through the broker.
beat: the schedule file was written recently (beat rewrites it as it ticks).
Exit status 0 when healthy, 1 otherwise (what Docker's HEALTHCHECK reads).
"""

import os
import socket
import sys
import time
import urllib.request


def web():
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        # A host the portal accepts (ALLOWED_HOSTS): the first one configured.
        headers={"Host": os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0]},
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (local URL)
        return response.status == 200


def worker():
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alin.settings")
    from alin.celery import app

    replies = app.control.ping(destination=[f"celery@{socket.gethostname()}"], timeout=5)
    return bool(replies)


def beat():
    schedule = os.environ.get("CELERY_BEAT_SCHEDULE_FILE", "/tmp/alin-beat/celerybeat-schedule")  # noqa: S108
    max_age = int(os.environ.get("BEAT_HEALTH_MAX_AGE", "600"))
    candidates = [schedule, *(f"{schedule}{suffix}" for suffix in (".db", ".dat"))]
    ages = [time.time() - os.path.getmtime(p) for p in candidates if os.path.exists(p)]
    return bool(ages) and min(ages) < max_age


if __name__ == "__main__":
    check = {"web": web, "worker": worker, "beat": beat}[sys.argv[1]]
    try:
        healthy = check()
    except Exception as exc:  # noqa: BLE001 — any failure is "unhealthy"
        print(f"unhealthy: {type(exc).__name__}: {exc}", file=sys.stderr)
        healthy = False
    sys.exit(0 if healthy else 1)
