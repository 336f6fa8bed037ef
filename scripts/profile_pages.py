"""Profile the main pages in-process (Django test client, cProfile): median time per
page, SQL queries, and the top of the profile. Run on a database seeded by
``manage.py seed_volume``:

    DATABASE_URL=... REDIS_URL=... python scripts/profile_pages.py [--top 15] [--runs 30]

Production settings (DEBUG off); ``--cold`` clears the cache before every request.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alin.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "profile-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("BENCH_QUERY_COUNT", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # X-SQL-Queries on every response

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from offres.models import Offer  # noqa: E402

SITE = str(Path(django.__file__).parent.parent) + "/"
SEARCH = "/offres/?typologie=2&typologie=3&loyer_max=900&tri=date_limite"


def pages():
    offer = Offer.objects.filter(status=Offer.Status.PUBLISHED).order_by("pk").first()
    return [
        ("search p1", SEARCH, False),
        ("search p50", SEARCH + "&page=50", False),
        ("applicant offers", "/offres/", True),
        ("ma situation", "/ma-situation/", True),
        ("mes candidatures", "/candidatures/", True),
        ("offer page", f"/offres/{offer.pk}/", False),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    anonymous = Client()
    applicant = Client()
    applicant.force_login(User.objects.get(email="bench-1@alin.example"))
    for name, path, signed_in in pages():
        if args.only and args.only not in name:
            continue
        client = applicant if signed_in else anonymous
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times, queries = [], set()
        for _ in range(args.runs):
            if args.cold:
                cache.clear()
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            queries.add(int(response["X-SQL-Queries"]))
        # The profile: a second pass (cProfile slows what it measures).
        profile = cProfile.Profile()
        for _ in range(max(3, args.runs // 3)):
            if args.cold:
                cache.clear()
            profile.enable()
            client.get(path)
            profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top + 40)
        print(
            f"== {name} ({path}): median {statistics.median(times):.1f} ms, "
            f"p90 {sorted(times)[int(len(times) * 0.9) - 1]:.1f} ms, "
            f"SQL queries {'/'.join(map(str, sorted(queries)))}"
        )
        if args.top:
            # The request's plumbing (client, middleware chain) says nothing: left out.
            plumbing = re.compile(
                r"test/client|handlers/|middleware|deprecation|proxy\.py|"
                r"observability|second_factor|decorators\.py"
            )
            lines = [line for line in out.getvalue().splitlines() if line.strip()]
            start = next(i for i, line in enumerate(lines) if "ncalls" in line)
            kept = [line for line in lines[start + 1 :] if not plumbing.search(line)]
            print(lines[start])
            print("\n".join(line.replace(SITE, "") for line in kept[: args.top]))


if __name__ == "__main__":
    main()
