"""Screenshots of the landlord's "Mes offres" with 500 offers, at 360 and 1280 px.

The demo landlord (bailleur@alin.example) is topped up to 500 offers, then the pages are
taken from a server already serving that database (see README, "What it looks like"):
    python scripts/landlord_screenshots.py http://127.0.0.1:8765 docs/screenshots
"""

import datetime
import os
import random
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alin.settings")
django.setup()

from django.utils import timezone  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from offres.models import Landlord, Offer  # noqa: E402

TARGET = 500
EMAIL = "bailleur@alin.example"
WIDTHS = {"mobile": (360, 780), "desktop": (1280, 900)}


def top_up():
    landlord = Landlord.objects.get(members__user__email=EMAIL)
    existing = list(Offer.objects.filter(landlord=landlord)[:50])
    missing = TARGET - Offer.objects.filter(landlord=landlord).count()
    rng = random.Random(500)
    today = timezone.localdate()
    offers = []
    for n in range(max(missing, 0)):
        model = rng.choice(existing)
        offers.append(
            Offer(
                landlord=landlord,
                reference=f"VOL-{n:04d}",
                title=model.title,
                description=model.description,
                typology=model.typology,
                surface=model.surface,
                rent=model.rent,
                charges=model.charges,
                financing=model.financing,
                address=model.address,
                commune_id=model.commune_id,
                available_from=today + datetime.timedelta(days=rng.randint(10, 90)),
                deadline=today + datetime.timedelta(days=rng.randint(1, 60)),
                status=rng.choice([Offer.Status.PUBLISHED] * 3 + [Offer.Status.DRAFT]),
                published_at=timezone.now(),
            )
        )
    for offer in offers:
        if offer.status == Offer.Status.DRAFT:
            offer.published_at = None
    Offer.objects.bulk_create(offers)
    return Offer.objects.filter(landlord=landlord).count()


def main(base, out):
    count = top_up()
    print(f"{count} offres pour {EMAIL}")
    out = Path(out)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for size, (width, height) in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="fr-FR"
            )
            page = context.new_page()
            page.goto(f"{base}/compte/login/")
            page.get_by_label("Email").fill(EMAIL)
            page.get_by_label("Mot de passe").fill("Demo2026!")
            page.get_by_role("button", name="Je me connecte").click()
            page.wait_for_load_state()
            page.goto(f"{base}/bailleur/")
            width_used = page.evaluate("document.documentElement.scrollWidth")
            assert width_used <= width, f"{size}: {width_used}px"
            page.screenshot(
                path=str(out / f"mes-offres-500-{size}.png"), full_page=size == "mobile"
            )
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
