"""`make bench`: seed volume data, serve the portal with gunicorn under production
settings, measure each page's capacity with wrk, write docs/performance.md and the
README's table.

Volumes: 1 000 offers (3 000 requests, 5 000 candidatures) and 100 000 offers
(300 000 requests, 500 000 candidatures); BENCH_LARGE_OFFERS=N measures N offers
(3N requests, 5N candidatures) instead of the large volume, BENCH_VOLUMES=small or
large only one of them. Each volume has its own database (BENCH_DB_<offers>);
BENCH_REUSE=1 keeps an already seeded one instead of seeding it again.

Per page: wrk, 20 connections, 2 threads, BENCH_SECONDS (15) after a 3-second warm-up:
req/s, ratio to the trivial view measured in the same run, p50/p95/p99, responses
that are not 2xx; in-process: the SQL queries (CaptureQueriesContext) and the median
time. Then 20 000 requests over all the pages for a worker's memory, locust for the
multi-step apply/cancel scenario, and at the large volume the immediate alert matched
against 100 000 saved alerts (``manage.py bench_alert_matching``).
"""

import csv
import http.cookiejar
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv-bench" / "bin" / "locust")
DB_PREFIX = os.environ.get("BENCH_DB", "alin_bench")
PORT = int(os.environ.get("BENCH_PORT", "8099"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
WARMUP = 3
CONNECTIONS, THREADS, WORKERS = 20, 2, 3
MEMORY_REQUESTS = 20_000
MEMORY_SECONDS = int(os.environ.get("BENCH_MEMORY_SECONDS", "300"))
OUT = Path(os.environ.get("BENCH_OUT", "/tmp/alin-bench"))
LARGE = int(os.environ.get("BENCH_LARGE_OFFERS", "100000"))
VOLUMES = [
    ("small", {"offers": 1000, "requests": 3000, "candidatures": 5000}),
    ("large", {"offers": LARGE, "requests": 3 * LARGE, "candidatures": 5 * LARGE}),
]
BENCH_USERS = 2000
SEARCH = "/offres/?typologie=2&typologie=3&loyer_max=900&tri=date_limite"
# name, title, path (None: the offers open to the applicant), who, what the page must show
PAGES = [
    ("ping", "Vue triviale (plafond du framework)", "/ping", None, None),
    ("search_p1", "Recherche anonyme filtrée, page 1", SEARCH, None, None),
    ("search_p50", "Recherche anonyme filtrée, page 50", SEARCH + "&page=50", None, None),
    ("applicant_offers", "« Les offres » d'un demandeur", "/offres/", "applicant", None),
    (
        "dashboard",
        "« Ma situation » (avec « Élargir mes souhaits »)",
        "/ma-situation/",
        "applicant",
        "Élargir mes souhaits",
    ),
    ("my_candidatures", "« Mes candidatures »", "/candidatures/", "candidate", None),
    (
        "detail",
        "Page d'une offre (avec le rang projeté)",
        None,
        "applicant",
        "Si vous postulez maintenant",
    ),
    ("home", "Page d'accueil", "/", None, None),
]
# Issue 19's goals (ratio to the trivial view at the large volume) and issue 18's pages.
GOALS = {
    "search_p1": 0.25,
    "search_p50": 0.25,
    "applicant_offers": 0.12,
    "dashboard": 0.12,
    "my_candidatures": 0.20,
    "detail": 0.30,
}
P95_GOAL_MS = 100
ISSUE_18 = ("detail", "dashboard")
SECRET_KEY = secrets.token_urlsafe(50)


def env_for(db):
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        "CACHE_KEY_PREFIX": os.environ.get("BENCH_CACHE_KEY_PREFIX", "alin-bench"),
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "RATE_LIMIT_LOGIN": "100000/m/ip",
        "EMAIL_URL": "consolemail://",
        "CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "alin.settings",
    }


def run(env, *args, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql, db],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def database(volume):
    return f"{DB_PREFIX}_{volume['offers']}"


def prepare(volume):
    """The volume's database, migrated and seeded (or reused); seconds spent seeding."""
    db = database(volume)
    env = env_for(db)
    marker = OUT / f"{db}.seeded.json"
    reuse = os.environ.get("BENCH_REUSE") == "1" and marker.exists()
    if not reuse:
        psql(f"DROP DATABASE IF EXISTS {db}")
        psql(f"CREATE DATABASE {db}")
    run(env, PY, "manage.py", "migrate", "--noinput", "-v0")
    if reuse and json.loads(marker.read_text())["volume"] == volume:
        return json.loads(marker.read_text())
    run(env, PY, "manage.py", "load_communes", stdout=subprocess.DEVNULL)
    run(env, PY, "manage.py", "load_plafonds", stdout=subprocess.DEVNULL)
    started = time.monotonic()
    run(
        env,
        PY,
        "manage.py",
        "seed_volume",
        "--reset",
        f"--bench-users={BENCH_USERS}",
        *[f"--{k}={v}" for k, v in volume.items()],
    )
    seeded = {
        "volume": volume,
        "seconds": time.monotonic() - started,
        "at": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "load": os.getloadavg(),
    }
    marker.write_text(json.dumps(seeded))
    return seeded


def inprocess(env, request):
    out = run(env, PY, "bench/inprocess.py", json.dumps(request), capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve(env):
    log = (OUT / "gunicorn.log").open("a")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "alin.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(WORKERS),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(OUT / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=env,
        # The portal's request log lines (JSON on stderr) go with gunicorn's.
        stdout=log,
        stderr=log,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/ping", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def workers_rss(server):
    """Resident memory (MB) of each gunicorn worker, by pid."""
    rss = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(server.pid):
            rss[int(status.parent.name)] = int(fields["VmRSS"].split()[0]) / 1024
    return rss


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(email, password):
    """Sign in through the real form once; the session cookie for wrk's header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"http://127.0.0.1:{PORT}/compte/login/"
    page = opener.open(url).read().decode()  # noqa: S310
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(url, data, headers={"Referer": url}))  # noqa: S310
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"sign-in refused for {email}")
    return f"sessionid={cookies['sessionid']}"


def status_of(path, cookie):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie} if cookie else {}
    )
    try:
        return opener.open(request, timeout=30).status  # noqa: S310
    except urllib.error.HTTPError as exc:
        return exc.code


def wrk(path, cookie, seconds, paths=(), limit=0):
    env = {**os.environ, "BENCH_PATHS": ",".join(paths), "BENCH_LIMIT": str(limit)}
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    args += ["--timeout", "10s", "-s", str(ROOT / "bench" / "wrk.lua")]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*args, f"http://127.0.0.1:{PORT}{path}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def us(p):
        return int(re.search(rf"^P{p}_US (\d+)$", out, re.M)[1]) / 1000

    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "p50": us(50),
        "p95": us(95),
        "p99": us(99),
        "non2xx": int(re.search(r"NON2XX (\d+)", out)[1]),
        "socket_errors": sum(map(int, socket.groups())) if socket else 0,
        "raw": out,
    }


def locust_apply_cancel(env, label):
    """The multi-step scenario (sign in, list, apply, cancel) with locust."""
    if not Path(LOCUST).exists():
        return None
    path = OUT / "sessions.tsv"
    run(env, PY, "manage.py", "shell", "-c", SESSIONS_SNIPPET.format(path=path))
    prefix = OUT / f"{label}-apply_cancel"
    subprocess.run(
        [
            LOCUST,
            "-f",
            "bench/locustfile.py",
            "--headless",
            "-u",
            str(CONNECTIONS),
            "-r",
            str(CONNECTIONS),
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
        env={
            **env,
            "BENCH_SESSIONS": str(path),
            "BENCH_WAIT": "0",
            "BENCH_SCENARIO": "apply_cancel",
            "BENCH_USER_OFFSET": "0",
        },
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = []
    with open(f"{prefix}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            if row["Name"] == "Aggregated":
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
                }
            )
    return rows


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


def measure(label, volume):
    db = database(volume)
    env = env_for(db)
    seeded = prepare(volume)
    run(env, PY, "manage.py", "collectstatic", "--noinput", "-v0")
    picked = inprocess(env, {"pick": True})
    who = {"applicant": picked["applicant"], "candidate": picked["candidate"]}
    offer_paths = [f"/offres/{pk}/" for pk in picked["offers"]]
    pages = [
        (name, path or offer_paths[0], who.get(role), marker)
        for name, _, path, role, marker in PAGES
    ]
    figures = inprocess(env, {"pages": pages})
    load_before = os.getloadavg()
    server = serve(env)
    try:
        cookies = {role: sign_in(email, picked["password"]) for role, email in who.items()}
        results = {}
        rss_before = workers_rss(server)
        served = 0
        for name, _, path, role, _ in PAGES:
            cookie = cookies.get(role)
            paths = offer_paths if path is None else ()
            first = path or offer_paths[0]
            status = status_of(first, cookie)
            if status != 200:
                raise RuntimeError(f"{name}: {first} answers {status}")
            served += wrk(first, cookie, WARMUP, paths)["requests"]
            results[name] = wrk(first, cookie, SECONDS, paths)
            served += results[name]["requests"]
            print(
                f"{label} {name}: {results[name]['rps']:.0f} req/s, "
                f"p50 {results[name]['p50']:.1f} ms",
                flush=True,
            )
        # Memory: RSS before the pages and after them plus every page in turn (signed
        # in) up to 20 000 requests in all, or MEMORY_SECONDS.
        rss_pages = workers_rss(server)
        mix = [path or offer_paths[0] for _, _, path, _, _ in PAGES]
        memory = {"requests": 0, "rps": 0, "non2xx": 0}
        if served < MEMORY_REQUESTS:
            memory = wrk(
                mix[0],
                cookies["applicant"],
                MEMORY_SECONDS,
                mix,
                limit=(MEMORY_REQUESTS - served) // THREADS + 1,
            )
        rss_after = workers_rss(server)
        apply_cancel = locust_apply_cancel(env, label)
    finally:
        server.terminate()
        server.wait(30)
    load_after = os.getloadavg()
    alerts = None
    if label == "large" and os.environ.get("BENCH_ALERTS", "1") == "1":
        out = run(
            env,
            PY,
            "manage.py",
            "bench_alert_matching",
            "--alerts=100000",
            capture_output=True,
            text=True,
        )
        alerts = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "volume": volume,
        "seeded": seeded,
        "picked": {**picked, "offers": len(picked["offers"])},
        "figures": figures,
        "results": {k: {**v, "raw": v["raw"][-2000:]} for k, v in results.items()},
        "memory": {
            "pages": served,
            "requests": memory["requests"],
            "rps": memory["rps"],
            "non2xx": memory["non2xx"],
            "before": rss_before,
            "pages_after": rss_pages,
            "after": rss_after,
        },
        "apply_cancel": apply_cancel,
        "alerts": alerts,
        "load": [load_before, load_after],
    }


def machine():
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": int(mem) / 1024 / 1024,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": psql("SHOW server_version"),
        "wrk": version.split("Copyright")[0].strip() or "wrk",
        "locust": Path(LOCUST).exists(),
    }


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk absent : installez-le (apt-get install wrk) ou lancez `make bench`.")
    OUT.mkdir(exist_ok=True)
    wanted = os.environ.get("BENCH_VOLUMES", "small,large").split(",")
    started = time.monotonic()
    previous = OUT / "results.json"
    data = json.loads(previous.read_text()) if previous.exists() else {"volumes": {}}
    data["machine"] = machine()
    data["started"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    data["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    for label, volume in VOLUMES:
        if label in wanted:
            before = data["volumes"].get(label, {})
            data["volumes"][label] = measure(label, volume)
            if data["volumes"][label]["alerts"] is None and before.get("alerts"):
                # BENCH_ALERTS=0: the alerts' figure of the previous run is kept, dated.
                data["volumes"][label]["alerts"] = {
                    "at": before["at"],
                    **before["alerts"],
                }
            data["volumes"][label]["at"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
            previous.write_text(json.dumps(data))
    data["elapsed"] = time.monotonic() - started
    previous.write_text(json.dumps(data))
    report(data)


def fmt(n):
    return f"{n:,.0f}".replace(",", " ")


def table(data, label):
    v = data["volumes"][label]
    ping = v["results"]["ping"]["rps"]
    lines = [
        "| page | req/s | ÷ trivial view | p50 ms | p95 ms | p99 ms | errors | SQL queries "
        "(first) | in-process ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, title, *_ in PAGES:
        r, f = v["results"][name], v["figures"][name]
        errors = r["non2xx"] + r["socket_errors"]
        lines.append(
            f"| {title} | {r['rps']:.0f} | {r['rps'] / ping:.1%} | {r['p50']:.1f} | "
            f"{r['p95']:.0f} | {r['p99']:.0f} | {errors}/{fmt(r['requests'])} | "
            f"{f['queries']} ({f['queries_first']}) | {f['ms']:.1f} |"
        )
    return lines


def volume_words(v):
    vol = v["volume"]
    return (
        f"{fmt(vol['offers'])} offers, {fmt(vol['requests'])} requests, "
        f"{fmt(vol['candidatures'])} candidatures"
    )


def report(data):
    m = data["machine"]
    vols = data["volumes"]
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (bench/run.py); the figures are measured, not edited.",
        "",
        "## Set-up",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']:.0f} GB RAM; {m['os']}; "
        f"Python {m['python']}, PostgreSQL {m['postgresql']}. The machine is shared: "
        "other agents' jobs ran at the same time (load average below).",
        f"- Server: gunicorn, {WORKERS} sync workers, production settings (DEBUG off, "
        "a generated SECRET_KEY, collectstatic done, cached templates, Redis cache, "
        "sessions in the database), on 127.0.0.1.",
        f"- Generator: {m['wrk']} on the same cores, {CONNECTIONS} connections, "
        f"{THREADS} threads, {SECONDS} s per page after a {WARMUP} s warm-up; a "
        "response that is not 2xx counts as an error, latency percentiles from wrk's "
        "histogram (bench/wrk.lua). "
        "Signed-in pages: one applicant signed in once through the sign-in form, its "
        "session cookie passed to wrk in a header.",
        "- SQL queries: counted in-process (`CaptureQueriesContext`, bench/inprocess.py) "
        "on the second request of the page, the first request after a cache clear in "
        "brackets; in-process ms: median of 10 requests, one at a time.",
        f"- Commit {data.get('commit', '?')}, run started {data['started']}, "
        f"whole run {data.get('elapsed', 0) / 60:.0f} min.",
        "",
    ]
    for label in ("small", "large"):
        if label not in vols:
            continue
        v = vols[label]
        load = " / ".join(f"{x:.1f}" for x in v["load"][0])
        load_end = " / ".join(f"{x:.1f}" for x in v["load"][1])
        seeded = v["seeded"]
        lines += [
            f"## {fmt(v['volume']['offers'])} offers",
            "",
            f"{volume_words(v)}, seeded in {seeded['seconds'] / 60:.1f} min "
            f"({seeded['at']}, load average then {seeded['load'][0]:.1f}). Run finished "
            f"{v['at']}; load average (1/5/15 min) {load} before the pages, {load_end} "
            f"after. Applicant: {v['picked']['applicant']} ({v['picked']['offers']} offers "
            f"open to them; the offer pages rotate over them); « Mes candidatures »: "
            f"{v['picked']['candidate']} ({v['picked']['candidatures']} candidatures, one "
            "active).",
            "",
            *table(data, label),
            "",
        ]
        shown = [
            f"{name}: {'yes' if v['figures'][name]['marker'] else 'NO'}"
            for name, *_ in PAGES
            if v["figures"][name]["marker"] is not None
        ]
        lines += [f"Shown on the measured pages: {', '.join(shown)}.", ""]
        mem = v["memory"]
        total = mem["pages"] + mem["requests"]
        lines += [
            f"Worker memory (RSS, MB, per worker) before the pages → after them "
            f"({fmt(mem['pages'])} requests, warm-ups included) → after "
            f"{fmt(mem['requests'])} more over every page in turn, signed in "
            f"({mem['rps']:.0f} req/s, {mem['non2xx']} errors), {fmt(total)} requests in "
            "all"
            + (
                ""
                if total >= MEMORY_REQUESTS
                else f" (fewer than {fmt(MEMORY_REQUESTS)}: the top-up stops after "
                f"{MEMORY_SECONDS} s)"
            )
            + ": "
            + ", ".join(
                f"{mem['before'][pid]:.0f} → {mem['pages_after'].get(pid, float('nan')):.0f} "
                f"→ {mem['after'].get(pid, float('nan')):.0f}"
                for pid in sorted(mem["before"])
            )
            + ".",
            "",
        ]
        if v.get("apply_cancel"):
            lines += [
                "Apply then cancel (locust, 20 users back to back, distinct applicants "
                "with open sessions):",
                "",
                "| step | req/s | p50 ms | p95 ms | p99 ms | errors |",
                "|---|---|---|---|---|---|",
            ]
            for row in v["apply_cancel"]:
                lines.append(
                    f"| {row['name']} | {row['rps']:.1f} | {row['p50']:.0f} | "
                    f"{row['p95']:.0f} | {row['p99']:.0f} | {row['errors']}/{row['count']} |"
                )
            lines.append("")
    if "small" in vols and "large" in vols:
        small, large = vols["small"], vols["large"]
        lines += [
            "## Issue 19: goals at the large volume",
            "",
            "| page | ÷ trivial view | goal | p95 ms (goal ≤ 100) | p50 large ÷ p50 small "
            "(goal ≤ 1.3) | SQL queries small → large |",
            "|---|---|---|---|---|---|",
        ]
        ping = large["results"]["ping"]["rps"]
        for name, title, *_ in PAGES:
            if name not in GOALS:
                continue
            r, s = large["results"][name], small["results"][name]
            ratio = r["rps"] / ping
            lines.append(
                f"| {title} | {ratio:.1%} ({'met' if ratio >= GOALS[name] else 'not met'}) "
                f"| ≥ {GOALS[name]:.0%} | {r['p95']:.0f} "
                f"({'met' if r['p95'] <= P95_GOAL_MS else 'not met'}) | "
                f"{r['p50'] / s['p50']:.2f} | {small['figures'][name]['queries']} → "
                f"{large['figures'][name]['queries']} |"
            )
        lines += [
            "",
            "## Issue 18: the pages with the projected rank and the simulator",
            "",
            "| page | SQL queries small → large | p50 ms small → large | ratio (goal ≤ 1.3) |",
            "|---|---|---|---|",
        ]
        for name, title, *_ in PAGES:
            if name not in ISSUE_18:
                continue
            r, s = large["results"][name], small["results"][name]
            q_small, q_large = small["figures"][name]["queries"], large["figures"][name]["queries"]
            lines.append(
                f"| {title} | {q_small} → {q_large} "
                f"({'constant' if q_small == q_large else 'NOT constant'}) | "
                f"{s['p50']:.1f} → {r['p50']:.1f} | {r['p50'] / s['p50']:.2f} |"
            )
        alerts = large.get("alerts")
        if alerts:
            lines += [
                "",
                f"Immediate alert: one publication in {alerts['commune']} matched against "
                f"{fmt(alerts['alerts'])} saved alerts: {alerts['matched']} matched, database "
                f"time {alerts['db_ms_median']:.0f} ms (EXPLAIN ANALYZE, median of 5, max "
                f"{alerts['db_ms_max']:.0f} ms; goal < 1 000 ms)"
                + (f", measured {alerts['at']}." if "at" in alerts else "."),
            ]
    target = ROOT / "docs" / "performance.md"
    notes = ""
    if target.exists() and "\n## Analysis" in target.read_text():
        notes = "\n## Analysis" + target.read_text().split("\n## Analysis", 1)[1]
    text = "\n".join(lines) + "\n" + notes
    target.write_text(text)
    readme(data)
    print(text)


def readme(data):
    """The README quotes the tables between its bench markers."""
    path = ROOT / "README.md"
    text = path.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        return
    m = data["machine"]
    block = [
        start,
        f"Measured by `make bench` ({data['started']}, {m['cores']} cores shared with "
        f"other jobs, {m['wrk']}, {CONNECTIONS} connections, gunicorn {WORKERS} workers, "
        "production settings); details, load average and memory in "
        "[docs/performance.md](docs/performance.md).",
        "",
    ]
    for label in ("small", "large"):
        if label in data["volumes"]:
            block += [f"**{volume_words(data['volumes'][label])}**", "", *table(data, label), ""]
    block.append(end)
    before, rest = text.split(start, 1)
    path.write_text(before + "\n".join(block) + rest.split(end, 1)[1])


def report_only():
    """Write the report again from the last run's results (to edit the analysis)."""
    report(json.loads((OUT / "results.json").read_text()))


if __name__ == "__main__":
    sys.exit(report_only() if "--report-only" in sys.argv else main())
