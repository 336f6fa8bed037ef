"""PostgreSQL restarted under a running portal: a private cluster (tests.services.
PostgresCluster) is the portal's database; gunicorn serves it in production mode; the
cluster is restarted once with no request in between, then stopped for a while and
started again. Figures: what each page answered during the outage and how fast, what
/healthz said, seconds until normal service, whether the web process was restarted.

Used by tests/ops/test_postgres_restart.py and by ``make faults`` (scripts/faults.py).
"""

import json
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.ops.pg import production_env
from tests.ops.servers import gunicorn_process
from tests.services import PostgresCluster

ROOT = Path(__file__).resolve().parents[2]
# What a visitor opens (the offers list may come from the cache), and an offer's page
# read from the database every time (none exists here: 404 when the database answers).
PAGES = ["/", "/offres/", "/compte/login/", "/offres/1/"]
NORMAL = [200, 200, 200, 404]
ERROR_PAGE = "Une erreur est survenue"
OUTAGE_SECONDS = 10


def fetch(port, path, timeout=30):
    """(status, seconds, body); status 0 when nothing answered within ``timeout``."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        status, body = 0, b""
    return status, time.monotonic() - start, body.decode(errors="replace")


def health(port):
    status, seconds, body = fetch(port, "/healthz")
    try:
        state = json.loads(body)["status"]
    except ValueError:
        state = "no answer" if status == 0 else f"HTTP {status}"
    return status, state, seconds


def children(pid):
    """The processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def manage(env, *args):
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)}: {out.stderr[-3000:]}")


def run():
    cluster = PostgresCluster()
    static_root = Path(tempfile.mkdtemp(prefix="alin-pg-static-"))
    try:
        cluster.start()
        env = production_env(
            DATABASE_URL=cluster.url,
            REDIS_URL="",
            STATIC_ROOT=str(static_root),
            MEDIA_ROOT=str(static_root / "media"),
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            SECURE_HSTS_SECONDS="0",
            EMAIL_URL="consolemail://",
        )
        env.pop("CONN_MAX_AGE", None)  # production's persistent connections (60 s)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        with gunicorn_process(env) as (port, master):
            return _scenario(cluster, port, master)
    finally:
        cluster.close()
        import shutil

        shutil.rmtree(static_root, ignore_errors=True)


def _log(message):
    print(f"[pg_restart] {message}", file=sys.stderr, flush=True)


def _scenario(cluster, port, master):
    figures = {"pages": PAGES}
    figures["before"] = [fetch(port, p)[0] for p in PAGES]
    figures["health_before"] = health(port)[:2]
    workers = children(master.pid)

    # 1. A restart between two requests: the kept connection is dead, checked before use.
    _log(f"before: {figures['before']} {figures['health_before']}")
    cluster.restart()
    # /healthz first: its SELECT 1 is the first use of the kept connection.
    figures["health_after_quick_restart"] = health(port)[:2]
    figures["after_quick_restart"] = [fetch(port, p)[0] for p in PAGES]

    # 2. Stopped for OUTAGE_SECONDS: every page and /healthz, in turn, as fast as they answer.
    _log(f"quick restart: {figures['health_after_quick_restart']} {figures['after_quick_restart']}")
    cluster.stop()
    stopped_at = time.monotonic()
    answers, healths = [], []
    while time.monotonic() - stopped_at < OUTAGE_SECONDS:
        for path in PAGES:
            status, seconds, body = fetch(port, path)
            answers.append((path, status, seconds, ERROR_PAGE in body))
        healths.append(health(port))
        _log(f"outage: {answers[-len(PAGES) :]} {healths[-1]}")
    cluster.start()
    back_at = time.monotonic()
    figures["outage_seconds"] = back_at - stopped_at
    figures["outage_requests"] = len(answers) + len(healths)
    figures["outage_statuses"] = sorted({s for _, s, _, _ in answers})
    figures["outage_no_answer"] = sum(1 for _, s, _, _ in answers if s == 0)
    figures["outage_error_page"] = all(page for _, s, _, page in answers if s >= 500)
    figures["outage_slowest"] = max([a[2] for a in answers] + [h[2] for h in healths])
    figures["health_during"] = sorted({(code, state) for code, state, _ in healths})

    # 3. Back: seconds until /healthz says ok and every page answers 200, same process.
    errors_after = 0
    healthy_after = None
    while time.monotonic() - back_at < 60:
        code, state, _ = health(port)
        statuses = [fetch(port, p)[0] for p in PAGES]
        errors_after += sum(1 for s in statuses if s >= 500 or s == 0)
        if state == "ok" and statuses == NORMAL:
            healthy_after = time.monotonic() - back_at
            break
        time.sleep(0.2)
    figures["healthy_after"] = healthy_after
    figures["errors_after_back"] = errors_after
    figures["health_after"] = health(port)[:2]
    figures["after"] = [fetch(port, p)[0] for p in PAGES]
    figures["same_web_process"] = master.poll() is None and children(master.pid) == workers
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), default=str))
