"""In-process figures of the benchmark (run by bench/run.py with its environment).

For each page: the SQL queries of a first request (after a cache clear) and
of the next one (cache warm), counted with ``CaptureQueriesContext``; the median time of
``--repeat`` requests; and whether the page shows what issue 18 measures (the projected
rank on the offer page, the "Élargir mes souhaits" simulator on « Ma situation »).
Prints one JSON object.

    python bench/inprocess.py '{"pages": [[name, path, email or null, marker or null]]}'
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alin.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402


def measure(pages, repeat):
    clients = {}
    results = {}
    for name, path, email, marker in pages:
        if email not in clients:
            client = Client(HTTP_HOST="127.0.0.1")
            if email:
                client.force_login(User.objects.get(email=email))
            clients[email] = client
        client = clients[email]
        counts = []
        cache.clear()
        for _ in range(2):  # first: as the cache finds it; second: warm
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts.append(len(queries.captured_queries))
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        body = response.content.decode()
        results[name] = {
            "status": response.status_code,
            "queries_first": counts[0],
            "queries": counts[1],
            "ms": statistics.median(timings),
            "marker": (marker in body) if marker else None,
        }
    return results


def pick():
    """Who the signed-in pages are measured for: a bench applicant (even number: wishes
    communes) with offers open to them and communes to suggest, and an applicant with
    an active candidature and past ones (« Mes candidatures »)."""
    from django.db.models import Count

    from candidatures.management.commands.seed_volume import BENCH_PASSWORD
    from candidatures.models import Candidature
    from candidatures.widening import widening_gains
    from offres.models import Offer

    applicant, offers = None, []
    for user in User.objects.filter(email__startswith="bench-").select_related("demande"):
        if int(user.email.split("-")[1].split("@")[0]) % 2:
            continue
        offers = list(
            Offer.objects.open_to(user.demande).order_by("pk").values_list("pk", flat=True)[:200]
        )
        if offers and widening_gains(user.demande):
            applicant = user
            break
    if applicant is None:
        raise SystemExit("no bench applicant with open offers and communes to suggest")
    candidate = (
        User.objects.filter(pk__in=Candidature.objects.active().values("applicant"))
        .annotate(n=Count("candidatures"))
        .filter(n__gt=1)
        .order_by("pk")
        .first()
    )
    return {
        "applicant": applicant.email,
        "offers": offers,
        "candidate": candidate.email,
        "candidatures": candidate.n,
        "password": BENCH_PASSWORD,
    }


if __name__ == "__main__":
    args = json.loads(sys.argv[1])
    if args.get("pick"):
        print(json.dumps(pick()))
    else:
        print(json.dumps(measure(args["pages"], args.get("repeat", 10))))
