"""`make faults`: inject the faults of issue 20 into a running portal and write the figures
to docs/operations.md.

Everything runs on this machine with real parts: PostgreSQL (a database of its own,
FAULTS_DATABASE_URL, default alin_faults), a private Redis server (cache and broker)
that is stopped and frozen with SIGSTOP, gunicorn serving the portal, two Celery
workers and Celery beat with the production schedule, and an SMTP sink that counts
every message per Message-ID. Scenarios:

1. Redis refused, then Redis hung: a visitor's pages and forms (sign-up, password reset,
   contact, sign-in) while it lasts; answers, errors, slowest answer; seconds until
   /healthz is "ok" again and until the emails written meanwhile are delivered.
2. A worker killed with SIGKILL in the middle of a batch of 50 emails, three times.
3. The SMTP server refusing connections for a while, then accepting.
4. PostgreSQL restarted: a private cluster (initdb on a port of its own) is the database
   of a gunicorn serving the portal; restarted between two requests, then stopped for
   10 s and started again (tests/ops/pg_restart.py, also run by its test).

Run: `make faults` (about 15 minutes). The report is overwritten each time.
`python scripts/faults.py --postgres-only` reruns scenario 4 and rewrites its section.
"""

import http.cookiejar
import json
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.services import (  # noqa: E402
    RedisServer,
    SMTPSink,
    free_port,
    pid_of_peer,
    start_worker,
    wait_until,
)

BUDGET = 2.0
REPORT = ROOT / "docs" / "operations.md"


class Browser:
    """A visitor with cookies and the CSRF token, over real HTTP."""

    def __init__(self, base, address):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.address = address

    def request(self, path, data=None):
        headers = {"X-Forwarded-For": self.address}
        body = None
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
            headers["X-CSRFToken"] = token
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        start = time.monotonic()
        try:
            with self.opener.open(request, timeout=30) as response:
                status = response.status
                response.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            status = 0  # no answer at all
        return status, time.monotonic() - start


def visitor_journey(base, n):
    """Pages and forms of one visitor; returns [(what, status, seconds)]."""
    browser = Browser(base, f"10.0.{n // 250}.{n % 250 + 1}")
    results = []
    for path in ["/", "/offres/", "/besoin-d-aide/", "/compte/signup/"]:
        results.append((f"GET {path}", *browser.request(path)))
    signup = {"civility": "m", "last_name": "Panne", "first_name": f"Test{n}"}
    signup.update(mobile_phone="06 12 34 56 78", email=f"panne{n}@example.org")
    signup["data_consent"] = "on"
    results.append(("POST sign-up", *browser.request("/compte/signup/", signup)))
    results.append(("GET reset", *browser.request("/compte/password/reset/")))
    reset = {"email": "existant@example.org"}
    results.append(("POST reset", *browser.request("/compte/password/reset/", reset)))
    results.append(("GET contact", *browser.request("/contact/")))
    contact = {"name": f"Visiteur {n}", "email": f"v{n}@example.org", "subject": "demande"}
    contact["message"] = f"Message {n} pendant la panne"
    results.append(("POST contact", *browser.request("/contact/", contact)))
    login = {"login": "existant@example.org", "password": "Existant2026"}
    results.append(("GET sign-in", *browser.request("/compte/login/")))
    results.append(("POST sign-in", *browser.request("/compte/login/", login)))
    results.append(("GET /healthz", *browser.request("/healthz")))
    return results


def health(base):
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
            return json.loads(response.read())["status"]
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read()).get("status", str(exc.code))
    except Exception:  # noqa: BLE001
        return "no answer"


def summarise(results):
    times = [t for _, _, t in results]
    return {
        "requests": len(results),
        "errors": sum(1 for _, s, _ in results if s >= 500 or s == 0),
        "rate_limited": sum(1 for _, s, _ in results if s == 429),
        "over_budget": sum(1 for t in times if t >= BUDGET),
        "p50": statistics.median(times),
        "max": max(times),
        "slowest": ", ".join(
            f"{what} {took:.1f} s"
            for what, _, took in sorted(results, key=lambda r: -r[2])[:3]
            if took >= BUDGET
        )
        or "—",
    }


class Portal:
    def __init__(self, workdir):
        self.workdir = workdir
        self.redis = RedisServer()
        self.sink = SMTPSink()
        self.database_url = os.environ.get(
            "FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alin_faults"
        )
        self.processes = {}
        self.workers = []

    def env(self):
        return {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.sink.port}",
            "CACHE_KEY_PREFIX": "faults",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "0",
            # allauth's limits are per client address; every visitor here has its own.
            "TRUSTED_PROXY_COUNT": "1",
        }

    def start(self):
        name = self.database_url.rsplit("/", 1)[1]
        exists = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc"]
            + [f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {name}"],
                check=True,
                capture_output=True,
            )
        self.redis.start()
        self.sink.start()
        os.environ.update(
            DEBUG="true",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis.url,
            EMAIL_URL=f"smtp://127.0.0.1:{self.sink.port}",
            CACHE_KEY_PREFIX="faults",
            CONN_MAX_AGE="0",
            DJANGO_SETTINGS_MODULE="alin.settings",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # the sink's chatter
        self.reset_data()
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        log = open(self.workdir / "gunicorn.log", "ab")  # noqa: SIM115
        self.processes["web"] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "alin.wsgi", "-b", f"127.0.0.1:{port}"]
            + ["-w", "2", "--timeout", "30"],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=log,
        )
        log = open(self.workdir / "beat.log", "ab")  # noqa: SIM115
        self.processes["beat"] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "alin", "beat", "-l", "warning"]
            + ["-s", str(self.workdir / "beat-schedule")],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=log,
        )
        self.spawn_worker()
        self.spawn_worker()
        assert wait_until(lambda: health(self.base) == "ok", timeout=400), "portal not up"

    def spawn_worker(self):
        worker = start_worker(
            database_url=self.database_url,
            redis_url=self.redis.url,
            email_port=self.sink.port,
            env={
                "DEBUG": "true",
                "LOG_LEVEL": "WARNING",
                # production values: the scenario measures real recovery times
                "OUTBOX_LEASE_SECONDS": os.environ.get("OUTBOX_LEASE_SECONDS", "60"),
                "CELERY_VISIBILITY_TIMEOUT": "3600",
            },
            log_path=self.workdir / "workers.log",
        )
        self.workers.append(worker)
        return worker

    def reset_data(self):
        from django.contrib.auth import get_user_model

        from accounts.models import User
        from core.models import ContactMessage, OutgoingEmail

        OutgoingEmail.objects.all().delete()
        ContactMessage.objects.all().delete()
        get_user_model().objects.filter(email__endswith="@example.org").delete()
        user = get_user_model().objects.create_user(
            email="existant@example.org", password="Existant2026", role=User.Role.APPLICANT
        )
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    def stop(self):
        for process in [*self.processes.values(), *self.workers]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.processes.values(), *self.workers]:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.sink.stop()
        self.redis.stop()


def outbox_figures(sink, since_pk):
    from core.models import OutboxStatus, OutgoingEmail

    rows = list(OutgoingEmail.objects.filter(pk__gt=since_pk))
    ids = sink.message_ids()
    expected = {row.message_id for row in rows}
    return {
        "written": len(rows),
        "sent": sum(1 for r in rows if r.status in (OutboxStatus.SENT, OutboxStatus.UNCONFIRMED)),
        "received": len(expected & set(ids)),
        "duplicated": sum(ids[m] - 1 for m in expected if ids[m] > 1),
        "lost": len(expected - set(ids)),
        "unconfirmed": sum(1 for r in rows if r.status == OutboxStatus.UNCONFIRMED),
        "failed": sum(1 for r in rows if r.status == OutboxStatus.FAILED),
        "taken_back": sum(1 for r in rows if r.attempts > 1),
    }


def last_pk():
    from core.models import OutgoingEmail

    return OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def all_delivered(sink, since_pk):
    from django.db import connection

    connection.close()
    figures = outbox_figures(sink, since_pk)
    return figures["lost"] == 0 and figures["written"] > 0


def baseline(portal, visitors):
    """The same journeys with Redis up: what this machine answers without a fault."""
    results = []
    for n in range(visitors):
        results += visitor_journey(portal.base, n + 2000)
    return {
        "fault": "none (baseline)",
        "outage_seconds": None,
        "health_during": "ok",
        "healthy_after": None,
        "delivered_after": None,
        **summarise(results),
        **{f"mail_{k}": "" for k in ("written", "received", "duplicated", "lost")},
    }


def settled(since_pk):
    from django.db import connection

    from core.models import OutgoingEmail

    connection.close()
    return not OutgoingEmail.objects.filter(
        pk__gt=since_pk, status=OutgoingEmail.Status.SENDING
    ).exists()


def redis_scenario(portal, fault, visitors):
    sink, start_pk = portal.sink, last_pk()
    (portal.redis.stop if fault == "refused" else portal.redis.freeze)()
    outage_start = time.monotonic()
    results = []
    for n in range(visitors):
        results += visitor_journey(portal.base, n + (0 if fault == "refused" else 1000))
    outage = time.monotonic() - outage_start
    health_during = health(portal.base)
    if fault == "refused":
        portal.redis.start()
    else:
        portal.redis.thaw()
    back = time.monotonic()
    healthy = wait_until(lambda: health(portal.base) == "ok", timeout=120, step=0.5)
    healthy_after = time.monotonic() - back if healthy else None
    delivered = wait_until(lambda: all_delivered(sink, start_pk), timeout=300, step=1)
    delivered_after = time.monotonic() - back
    return {
        "fault": fault,
        "outage_seconds": outage,
        "health_during": health_during,
        "healthy_after": healthy_after,
        "delivered_after": delivered_after if delivered else None,
        **summarise(results),
        **{f"mail_{k}": v for k, v in outbox_figures(sink, start_pk).items()},
    }


def kill_scenario(portal, run, batch=50):

    from core.services import submit_contact_message

    sink, start_pk = portal.sink, last_pk()
    before = len(sink.messages)
    for n in range(batch):
        submit_contact_message(
            name=f"Lot {run}",
            email=f"lot{run}-{n}@example.org",
            subject="demande",
            message=f"Email {n} du lot {run}",
        )
    kill_after = before + [10, 25, 40][run % 3]
    mode = ("mid-conversation (RCPT)", "message held by the server (DATA)", "random moment")[
        run % 3
    ]
    alive = [w for w in portal.workers if w.poll() is None]
    killed = []

    def kill_sender(session):
        if not killed and len(sink.messages) >= kill_after:
            pid = pid_of_peer(session.peer[1], [w.pid for w in alive])
            if pid:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    if run % 3 == 0:
        sink.on_rcpt = kill_sender
    elif run % 3 == 1:
        sink.on_data = kill_sender
    else:
        wait_until(lambda: len(sink.messages) >= kill_after, timeout=300, step=0.01)
        time.sleep(0.03)
        victim = alive[run % len(alive)]
        os.kill(victim.pid, signal.SIGKILL)
        killed.append(victim.pid)
    wait_until(lambda: killed, timeout=300, step=0.01)
    sink.on_rcpt = sink.on_data = None
    killed_at = time.monotonic()
    portal.spawn_worker()  # the supervisor restarts it
    done = wait_until(lambda: all_delivered(sink, start_pk), timeout=300, step=0.5)
    recovered = time.monotonic() - killed_at
    # The figures once the dead worker's lease is over and dispatch has settled its rows.
    wait_until(lambda: settled(start_pk), timeout=300, step=1)
    return {
        "run": run + 1,
        "mode": mode,
        "killed_after": kill_after - before,
        "recovered_after": recovered if done else None,
        **outbox_figures(sink, start_pk),
    }


def smtp_scenario(portal, down_seconds=45, batch=20):
    """The SMTP server refuses connections (stopped) for a while, then accepts."""
    from core.services import submit_contact_message

    sink, start_pk = portal.sink, last_pk()
    sink.stop()
    for n in range(batch):
        submit_contact_message(
            name="SMTP", email=f"smtp{n}@example.org", subject="demande", message=f"SMTP {n}"
        )
    time.sleep(down_seconds)
    from django.db import connection
    from django.db.models import Max, Sum

    from core.models import OutgoingEmail

    connection.close()
    rows = OutgoingEmail.objects.filter(pk__gt=start_pk)
    during = rows.aggregate(total=Sum("attempts"), most=Max("attempts"))
    errors = rows.exclude(last_error="").count()
    sink.start()
    back = time.monotonic()
    done = wait_until(lambda: all_delivered(sink, start_pk), timeout=300, step=1)
    return {
        "down_seconds": down_seconds,
        "attempts_during": during["total"],
        "most_attempts": during["most"],
        "errors_recorded": errors,
        "delivered_after": time.monotonic() - back if done else None,
        **outbox_figures(sink, start_pk),
    }


def fmt(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


PG_HEADING = "## PostgreSQL restarted (a private cluster)"


def postgres_section(r):
    """The lines of scenario 4, from tests.ops.pg_restart.run()'s figures."""
    statuses = "/".join(str(s) for s in r["outage_statuses"])
    health_during = ", ".join(f"{state} ({code})" for code, state in r["health_during"])
    return [
        PG_HEADING,
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M %Z')}. gunicorn (1 worker, production "
        "mode, persistent connections `CONN_MAX_AGE=60` with health checks) serves the "
        "portal from a private PostgreSQL 15 cluster; pages: "
        + ", ".join(f"`{p}`" for p in r["pages"])
        + ".",
        "",
        "| restarted between two requests: /healthz, pages after | stopped s | requests during "
        "| answers during | no answer | slowest answer s | error page French | /healthz "
        "during | healthy again after s | errors after the restart | web process "
        "restarted |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {r['health_after_quick_restart'][1]}, "
        f"{'/'.join(map(str, r['after_quick_restart']))} | {r['outage_seconds']:.1f} "
        f"| {r['outage_requests']} | {statuses} | {r['outage_no_answer']} "
        f"| {r['outage_slowest']:.2f} | {'yes' if r['outage_error_page'] else 'no'} "
        f"| {health_during} | {fmt(r['healthy_after'])} | {r['errors_after_back']} "
        f"| {'no' if r['same_web_process'] else 'yes'} |",
        "",
        "While PostgreSQL is down, a page that needs the database answers at once with the "
        "French error page (500; the connection is refused, nothing waits; the offer's page "
        "answers 404 normally, no offer being there), pages served "
        "without it (here the home page and the sign-in form) still answer 200, and "
        "`/healthz` answers 503 "
        '`"down"` so a load balancer takes the process out. Once PostgreSQL accepts '
        "connections the next request opens a new one (Django checks a kept connection "
        "before reusing it, `CONN_HEALTH_CHECKS`): no web process is restarted.",
        "",
    ]


def postgres_only():
    """Rerun scenario 4 and replace its section of the report (or add it)."""
    from tests.ops import pg_restart

    section = "\n".join(postgres_section(pg_restart.run()))
    text = REPORT.read_text()
    if PG_HEADING in text:
        before, rest = text.split(PG_HEADING, 1)
        after = rest[rest.index("\n## ") + 1 :]
    else:
        before, after = text.split("## How to read it", 1)
        after = "## How to read it" + after
    REPORT.write_text(before + section + "\n" + after)


def write_report(redis_runs, kill_runs, smtp_run, seconds, pg_run):
    lines = [
        "# Operations: faults injected and what the portal did",
        "",
        "Written by `make faults` (scripts/faults.py); rerun it to refresh every figure.",
        f"Run on {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores, in "
        f"{seconds / 60:.1f} min. Real parts: PostgreSQL, a private Redis (cache and "
        "broker), gunicorn (2 processes), two Celery workers and Celery beat with the "
        "production schedule (dispatch every 30 s, lease 60 s), an SMTP sink that counts "
        "messages per Message-ID.",
        "",
        "## Redis refused, then hung (SIGSTOP)",
        "",
        f"Load average of the machine during the run: {LOAD[0]:.1f} (other work shares its "
        "2 cores). The baseline row runs the same journeys with Redis up: answers of 2 s "
        "or more there come from the machine, not from a fault — the sign-in's password "
        "hashing (PBKDF2) is the slowest answer with or without Redis.",
        "",
        "Each visitor (its own address) opens the home page, the offers, the help page, "
        "signs up, asks a password reset, writes to support, signs in and reads /healthz.",
        "",
        "| fault | outage s | requests | errors (5xx or no answer) | answers ≥ 2 s | 429 "
        "| median s | slowest s | slowest answers | /healthz during | healthy again after s "
        "| emails written | received | duplicated | lost | all delivered after s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in redis_runs:
        lines.append(
            f"| {r['fault']} | {fmt(r['outage_seconds'])} | {r['requests']} | {r['errors']} "
            f"| {r['over_budget']} | {r['rate_limited']} | {r['p50']:.2f} | {r['max']:.2f} "
            f"| {r['slowest']} | {r['health_during']} | {fmt(r['healthy_after'])} "
            f"| {r['mail_written']} "
            f"| {r['mail_received']} | {r['mail_duplicated']} | {r['mail_lost']} "
            f"| {fmt(r['delivered_after'])} |"
        )
    lines += [
        "",
        "## A worker killed with SIGKILL in the middle of 50 emails (3 runs)",
        "",
        "The killed worker is replaced at once (as systemd or compose would); beat's "
        "`dispatch_outbox` takes back what the dead worker held when its lease ends.",
        "",
        "| run | killed | after | emails | sent | received | duplicated | lost "
        "| unconfirmed | taken back from the dead worker | last email received after the "
        "kill, s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in kill_runs:
        lines.append(
            f"| {r['run']} | {r['mode']} | {r['killed_after']} received | {r['written']} "
            f"| {r['sent']} "
            f"| {r['received']} | {r['duplicated']} | {r['lost']} | {r['unconfirmed']} "
            f"| {r['taken_back']} | {fmt(r['recovered_after'])} |"
        )
    s = smtp_run
    lines += [
        "",
        "## SMTP refusing connections, then accepting",
        "",
        "| SMTP down s | emails | attempts recorded while down | most attempts on one "
        "| rows with the error kept | received | duplicated | lost | all delivered after SMTP "
        "is back, s |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {s['down_seconds']} | {s['written']} | {s['attempts_during']} "
        f"| {s['most_attempts']} | {s['errors_recorded']} | {s['received']} "
        f"| {s['duplicated']} | {s['lost']} | {fmt(s['delivered_after'])} |",
        "",
        *postgres_section(pg_run),
        "## How to read it",
        "",
        "- **Redis down** (refused or hung): pages and forms keep answering from "
        "PostgreSQL; the cache falls back to each process's memory (allauth's rate limits "
        "keep counting there, per process), tasks are published from a background thread "
        "so no request waits on the broker, emails wait in the outbox. `/healthz` answers "
        '200 `"degraded"`: a load balancer keeps the web processes. Once Redis answers, '
        "beat's dispatch queues what waited.",
        "- **A worker killed**: an email is claimed with a lease before the SMTP "
        "conversation and handed to the server only while the lease holds; a dead "
        "worker's emails go back to the queue when the lease ends (60 s) at the next "
        "dispatch (30 s). An email whose worker died after the hand-over (one network "
        "round trip) is marked « Remise non confirmée » and not sent again by itself.",
        "- **SMTP down**: every attempt and its error are kept on the row; retries follow "
        "the backoff (30 s, 1 min, 2 min, 5 min, 10 min, 30 min…), one chain per email; "
        "after 8 attempts the email is « Échec », resent by an advisor from the admin.",
        "",
        "Health states (`/healthz`): `ok` (200); `degraded` (200: Redis down, the web "
        "serves, emails and tasks are delayed); `down` (503: no database — take the "
        "process out). Metrics for Prometheus: `/metrics` (bearer `METRICS_TOKEN`, or "
        "staff signed in): `alin_outbox_emails{status}`, `alin_outbox_oldest_pending_seconds`,"
        " `alin_celery_queue_length{queue}`, `alin_broker_up`.",
        "",
    ]
    REPORT.write_text("\n".join(lines))


LOAD = [0.0]


def main():
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="alin-faults-"))
    portal = Portal(workdir)
    try:
        portal.start()
        redis_runs = [baseline(portal, visitors=8)]
        redis_runs += [redis_scenario(portal, fault, visitors=8) for fault in ("refused", "hung")]
        print(json.dumps(redis_runs, indent=1, default=str), flush=True)
        kill_runs = [kill_scenario(portal, run) for run in range(3)]
        print(json.dumps(kill_runs, indent=1, default=str), flush=True)
        smtp_run = smtp_scenario(portal)
        print(json.dumps(smtp_run, indent=1, default=str), flush=True)
    finally:
        portal.stop()
    LOAD[0] = os.getloadavg()[0]
    from tests.ops import pg_restart

    pg_run = pg_restart.run()
    print(json.dumps(pg_run, indent=1, default=str), flush=True)
    write_report(redis_runs, kill_runs, smtp_run, time.monotonic() - started, pg_run)
    print(f"Rapport écrit : {REPORT.relative_to(ROOT)} (journaux : {workdir})")


if __name__ == "__main__":
    if "--postgres-only" in sys.argv:
        postgres_only()
    else:
        main()
