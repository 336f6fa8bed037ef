"""`make bench`: seed volume data, serve the portal with gunicorn under production
settings, drive it with locust from a second process, write docs/performance.md.

Volumes: 1,000 offers (3,000 requests, 5,000 candidatures) and 100,000 offers
(300,000 requests, 500,000 candidatures). Each scenario runs BENCH_SECONDS at 20
concurrent users.
"""

import csv
import json
import os
import platform
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv-bench" / "bin" / "locust")
DB = os.environ.get("BENCH_DB", "alin_bench")
PORT = int(os.environ.get("BENCH_PORT", "8099"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
USERS = 20
OUT = Path("/tmp/alin-bench")
VOLUMES = [
    ("1 000 offres", {"offers": 1000, "requests": 3000, "candidatures": 5000, "bench-users": 2000}),
    (
        "100 000 offres",
        {"offers": 100_000, "requests": 300_000, "candidatures": 500_000, "bench-users": 2000},
    ),
]
SCENARIOS = [
    ("ping", "Vue triviale (plafond du framework)"),
    ("search_p1", "1. Recherche anonyme filtrée, galerie page 1"),
    ("search_p50", "1. Recherche anonyme filtrée, galerie page 50"),
    ("applicant_offers", "2. « Les offres » d'un demandeur (éligibilité en SQL)"),
    ("detail", "3. Détail d'une offre"),
    ("dashboard", "4. « Ma situation » (avec le nombre d'offres ouvertes)"),
    ("my_candidatures", "4. « Mes candidatures »"),
    ("apply_cancel", "5. Postuler puis annuler (demandeurs distincts)"),
]
ENV = {
    **os.environ,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    "CACHE_KEY_PREFIX": "alin-bench",
    "DEBUG": "false",
    "SECRET_KEY": "bench-" + "k" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "BENCH_QUERY_COUNT": "1",
    "RATE_LIMIT_LOGIN": "100000/m/ip",
    "EMAIL_URL": "consolemail://",
    "CONN_MAX_AGE": "600",
}
ENV.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def run(*args, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=ENV, check=True, **kwargs)


def psql(sql, db=DB):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql, db],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def prepare():
    psql(f"DROP DATABASE IF EXISTS {DB}", db="postgres")
    psql(f"CREATE DATABASE {DB}", db="postgres")
    run(PY, "manage.py", "migrate", "--noinput", "-v0")
    run(PY, "manage.py", "load_communes", stdout=subprocess.DEVNULL)
    run(PY, "manage.py", "load_plafonds", stdout=subprocess.DEVNULL)
    run(PY, "manage.py", "collectstatic", "--noinput", "-v0")


def serve():
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "alin.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "4",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(OUT / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=ENV,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/ping", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("gunicorn did not start")


SESSIONS_SNIPPET = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
with open("{path}", "w") as fh:
    for user in User.objects.filter(email__startswith="bench-").order_by("id"):
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        fh.write(user.email + "\\t" + s.session_key + "\\n")
"""


def open_sessions():
    """Sign the bench applicants in beforehand (sessions in the database)."""
    path = OUT / "sessions.tsv"
    run(PY, "manage.py", "shell", "-c", SESSIONS_SNIPPET.format(path=path))
    return str(path)


def load(volume, scenario, offset, offer_ids, sessions, wait):
    prefix = OUT / f"{volume.replace(' ', '')}-{scenario}-{wait}"
    env = {
        **ENV,
        "BENCH_SESSIONS": sessions,
        "BENCH_WAIT": wait,
        "BENCH_SCENARIO": scenario,
        "BENCH_USER_OFFSET": str(offset),
        "BENCH_OFFER_IDS": offer_ids,
        "BENCH_QUERIES_OUT": f"{prefix}-queries.tsv",
    }
    subprocess.run(
        [
            LOCUST,
            "-f",
            "bench/locustfile.py",
            "--headless",
            "-u",
            str(USERS),
            "-r",
            str(USERS),
            "-t",
            f"{SECONDS}s",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    queries = {}
    if Path(f"{prefix}-queries.tsv").exists():
        for line in Path(f"{prefix}-queries.tsv").read_text().splitlines():
            name, counts = line.split("\t")
            queries[name] = counts
    rows = []
    with open(f"{prefix}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            if row["Name"] in ("Aggregated", "(connexion)"):
                continue
            rows.append(
                {
                    "name": row["Name"],
                    "rps": float(row["Requests/s"]),
                    "p50": float(row["50%"]),
                    "p95": float(row["95%"]),
                    "p99": float(row["99%"]),
                    "count": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "queries": queries.get(row["Name"], "?"),
                }
            )
    return rows


def main():
    OUT.mkdir(exist_ok=True)
    started = time.monotonic()
    prepare()
    results, seeding, check = {}, {}, {}
    for label, volume in VOLUMES:
        t0 = time.monotonic()
        run(
            PY,
            "manage.py",
            "seed_volume",
            "--reset",
            *[f"--{k}={v}" for k, v in volume.items()],
            stdout=subprocess.DEVNULL,
        )
        seeding[label] = time.monotonic() - t0
        offer_ids = psql(
            "SELECT string_agg(id::text, ',') FROM (SELECT id FROM offres_offer "
            "WHERE status='publiee' ORDER BY id LIMIT 300) s"
        )
        sessions = open_sessions()
        server = serve()
        try:
            for index, (scenario, _) in enumerate(SCENARIOS):
                results[(label, scenario)] = load(
                    label, scenario, index * 100, offer_ids, sessions, "1"
                )
                results[(label, scenario, "max")] = load(
                    label, scenario, 1000 + index * 100, offer_ids, sessions, "0"
                )
        finally:
            server.terminate()
            server.wait(20)
        check[label] = psql(
            "SELECT count(*) FROM (SELECT applicant_id FROM candidatures_candidature WHERE "
            "status IN ('deposee','validee','transmise','visite','attribuee',"
            "'attribuee_condition','acceptee') GROUP BY applicant_id HAVING count(*) > 1) s"
        )
    # Issue 18: one publication against 100 000 saved alerts, on the large volume's
    # applicants (database time under EXPLAIN ANALYZE).
    matching = run(
        PY,
        "manage.py",
        "bench_alert_matching",
        "--alerts=100000",
        capture_output=True,
        text=True,
    )
    alerts = json.loads(matching.stdout.strip().splitlines()[-1])
    elapsed = time.monotonic() - started
    (OUT / "results.json").write_text(
        json.dumps(
            {
                "results": [[list(k), v] for k, v in results.items()],
                "seeding": seeding,
                "check": check,
                "elapsed": elapsed,
                "alerts": alerts,
            }
        )
    )
    report(results, seeding, check, elapsed, alerts)


def report(results, seeding, check, elapsed, alerts=None):
    small, large = VOLUMES[0][0], VOLUMES[1][0]
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` on {datetime.now():%Y-%m-%d %H:%M} — {platform.platform()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL "
        f"{psql('SHOW server_version')}, gunicorn 4 sync workers, production settings "
        f"(DEBUG off, cached templates, Redis cache and sessions in the database). Load: "
        f"locust in a second process on the same 2 cores, {USERS} concurrent users, "
        f"{SECONDS} s per scenario and pass: latencies with users waiting 1 to 2 s between "
        "requests (people reading pages), capacity (max req/s) with requests back to back, "
        "signed-in users arriving with an open session, "
        "on 127.0.0.1. Whole run: "
        f"{elapsed / 60:.1f} min.",
        "",
        "Data: "
        + "; ".join(
            f"{label}: {v['offers']:,} offers, {v['requests']:,} requests, "
            f"{v['candidatures']:,} candidatures (seeded in {seeding[label]:.0f} s)"
            for label, v in VOLUMES
        ).replace(",", " ")
        + ".",
        "",
    ]
    ping = {label: results[(label, "ping", "max")][0]["rps"] for label, _ in VOLUMES}
    for label, _ in VOLUMES:
        lines += [
            f"## {label}",
            "",
            "| scenario | page | p50 ms | p95 ms | p99 ms | errors | SQL queries | max req/s "
            "| max req/s ÷ trivial view |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for scenario, title in SCENARIOS:
            capacity = {r["name"]: r for r in results[(label, scenario, "max")]}
            for row in results[(label, scenario)]:
                top = capacity.get(row["name"], {"rps": 0.0, "errors": 0, "count": 0})
                lines.append(
                    f"| {title} | {row['name']} | {row['p50']:.0f} | {row['p95']:.0f} | "
                    f"{row['p99']:.0f} | {row['errors'] + top['errors']}/"
                    f"{row['count'] + top['count']} | {row['queries']} | {top['rps']:.0f} | "
                    f"{top['rps'] / ping[label]:.2f} |"
                )
        lines.append("")
    lines += [
        "## Volume: p50 at 100 000 offers / p50 at 1 000 offers",
        "",
        "| page | p50 1 000 | p50 100 000 | ratio |",
        "|---|---|---|---|",
    ]
    for scenario, _ in SCENARIOS:
        before = {r["name"]: r for r in results[(small, scenario)]}
        for row in results[(large, scenario)]:
            if row["name"] in before and before[row["name"]]["p50"]:
                ratio = row["p50"] / before[row["name"]]["p50"]
                lines.append(
                    f"| {row['name']} | {before[row['name']]['p50']:.0f} | "
                    f"{row['p50']:.0f} | {ratio:.2f} |"
                )
    lines += ["", "## One active candidature, checked after the apply/cancel load", ""]
    for label, _ in VOLUMES:
        lines.append(
            f"- {label}: {check[label]} applicant(s) with more than one active candidature."
        )
    if alerts:
        lines += [
            "",
            "## Immediate alerts: one publication against the saved alerts",
            "",
            f"- {alerts['alerts']} alerts, offer in {alerts['commune']}: "
            f"{alerts['matched']} matched; database time {alerts['db_ms_median']:.0f} ms "
            f"(median of 5, max {alerts['db_ms_max']:.0f} ms; target < 1 000 ms).",
        ]
    target = ROOT / "docs" / "performance.md"
    notes = ""
    if target.exists() and "## Analysis" in target.read_text():
        notes = target.read_text().split("## Analysis", 1)[1]
    text = "\n".join(lines) + "\n" + ("\n## Analysis" + notes if notes else "")
    target.write_text(text)
    print(text)


def report_only():
    """Write the report again from the last run's results (to edit the analysis)."""
    data = json.loads((OUT / "results.json").read_text())
    results = {tuple(k): v for k, v in data["results"]}
    report(results, data["seeding"], data["check"], data["elapsed"], data.get("alerts"))


if __name__ == "__main__":
    sys.exit(report_only() if "--report-only" in sys.argv else main())
