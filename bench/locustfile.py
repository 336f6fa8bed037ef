"""Load scenarios of the benchmark (run by bench/run.py, one scenario at a time).

Each simulated applicant signs in once with its own seeded account
(``bench-<n>@alin.example``), then repeats the scenario's requests. The SQL query
count of every response is read from the ``X-SQL-Queries`` header.
"""

import itertools
import os
import re
from collections import defaultdict

from locust import HttpUser, between, events, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "ping")
PASSWORD = os.environ.get("BENCH_PASSWORD", "Bench2026!")
USER_OFFSET = int(os.environ.get("BENCH_USER_OFFSET", "0"))
OFFER_IDS = [int(x) for x in os.environ.get("BENCH_OFFER_IDS", "").split(",") if x]
_counter = itertools.count(1)
QUERY_COUNTS: dict[str, set] = defaultdict(set)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OFFER_LINK = re.compile(r'href="/offres/(\d+)/"')
CANCEL_LINK = re.compile(r'href="/candidatures/(\d+)/annuler/"')


@events.request.add_listener
def _record_queries(request_type, name, response, exception, **kwargs):
    if response is not None and response.headers.get("X-SQL-Queries"):
        QUERY_COUNTS[name].add(int(response.headers["X-SQL-Queries"]))


@events.quitting.add_listener
def _write_query_counts(environment, **kwargs):
    path = os.environ.get("BENCH_QUERIES_OUT")
    if path:
        with open(path, "w") as fh:
            for name, counts in sorted(QUERY_COUNTS.items()):
                fh.write(f"{name}\t{','.join(map(str, sorted(counts)))}\n")


SESSIONS = []
if os.environ.get("BENCH_SESSIONS"):
    with open(os.environ["BENCH_SESSIONS"]) as fh:
        SESSIONS = [line.split("\t")[1].strip() for line in fh if line.strip()]


class Portal(HttpUser):
    # Latency pass: people read a page before the next click (1 to 2 s). Throughput
    # pass (BENCH_WAIT=0): requests back to back, the server's capacity.
    wait_time = between(1, 2) if os.environ.get("BENCH_WAIT", "1") == "1" else between(0, 0)

    def on_start(self):
        self.n = USER_OFFSET + next(_counter)
        if SCENARIO in {"ping", "search_p1", "search_p50", "detail"}:
            return
        # Each simulated applicant arrives signed in: its session was opened beforehand
        # (a sign-in costs a deliberately slow password hash, not what is measured here).
        if SESSIONS:
            self.client.cookies.set("sessionid", SESSIONS[self.n - 1])
            return
        page = self.client.get("/compte/login/", name="(connexion)")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/compte/login/",
            {
                "login": f"bench-{self.n}@alin.example",
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/compte/login/"},
            name="(connexion)",
        )

    def csrf(self, path, name):
        page = self.client.get(path, name=name)
        match = CSRF.search(page.text)
        return match.group(1) if match else ""

    @task
    def scenario(self):
        getattr(self, f"scenario_{SCENARIO}")()

    def scenario_ping(self):
        self.client.get("/ping", name="ping (vue triviale)")

    def scenario_search_p1(self):
        self.client.get(
            "/offres/?typologie=2&typologie=3&loyer_max=900&tri=date_limite", name="recherche p1"
        )

    def scenario_search_p50(self):
        self.client.get(
            "/offres/?typologie=2&typologie=3&loyer_max=900&tri=date_limite&page=50",
            name="recherche p50",
        )

    def scenario_detail(self):
        offer = OFFER_IDS[self.n % len(OFFER_IDS)] if OFFER_IDS else 1
        self.client.get(f"/offres/{offer}/", name="détail d'une offre")

    def scenario_applicant_offers(self):
        self.client.get("/offres/", name="les offres (demandeur)")

    def scenario_dashboard(self):
        self.client.get("/ma-situation/", name="ma situation")

    def scenario_my_candidatures(self):
        self.client.get("/candidatures/", name="mes candidatures")

    def scenario_apply_cancel(self):
        offers = self.client.get("/offres/", name="les offres (demandeur)")
        match = OFFER_LINK.search(offers.text)
        if not match:
            return
        offer = match.group(1)
        confirm = self.client.get(f"/candidatures/postuler/{offer}/", name="je postule (page)")
        token = CSRF.search(confirm.text)
        if not token:
            return
        data = {"csrfmiddlewaretoken": token.group(1)}
        headers = {"Referer": self.host + "/offres/"}
        self.client.post(
            f"/candidatures/postuler/{offer}/", data, headers=headers, name="je postule"
        )
        mine = self.client.get("/candidatures/", name="mes candidatures")
        cancel = CANCEL_LINK.search(mine.text)
        if cancel:
            self.client.post(
                f"/candidatures/{cancel.group(1)}/annuler/",
                data,
                headers=headers,
                name="annuler cette candidature",
            )
