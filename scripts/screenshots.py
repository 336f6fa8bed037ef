"""Screenshots of the main pages at phone and desktop width (make screenshots).

Runs against a server already serving the demo data (make run), with Debian's Chromium:
    python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"mobile": (360, 780), "desktop": (1280, 900)}
PAGES = [
    ("accueil", None, "/"),
    ("creation-de-compte", None, "/compte/signup/"),
    ("ma-situation", "candidat@alin.example", "/ma-situation/"),
    ("offres-galerie", "candidat@alin.example", "/offres/?lieu=93&tri=loyer"),
    ("offres-liste", None, "/offres/?vue=liste&typologie=2&typologie=3"),
    ("offre", "candidat@alin.example", "/offres/{offer}/"),
    ("mes-candidatures", "demo.candidat1@alin.example", "/candidatures/"),
    ("espace-bailleur", "bailleur@alin.example", "/bailleur/"),
    ("candidatures-transmises", "bailleur@alin.example", "/bailleur/candidatures/"),
]


def login(page, base, email):
    page.goto(f"{base}/compte/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mot de passe").fill("Demo2026!")
    page.get_by_role("button", name="Je me connecte").click()
    page.wait_for_load_state()


def main(base, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        probe = browser.new_page()
        login(probe, base, "candidat@alin.example")
        probe.goto(f"{base}/offres/")
        cards = probe.locator("article a[href^='/offres/']")
        href = cards.first.get_attribute("href")
        offer = href.split("/")[2]
        for size, (width, height) in WIDTHS.items():
            for name, email, path in PAGES:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="fr-FR"
                )
                page = context.new_page()
                if email:
                    login(page, base, email)
                page.goto(base + path.format(offer=offer))
                page.screenshot(path=str(out / f"{name}-{size}.png"), full_page=size == "mobile")
                context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
